"""`UpSampling1D`: repeats each step of a sequence."""

from typing import Any

import torch

from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer


class UpSampling1D(Layer):
    """Repeats each step `size` times along the steps axis.

    Args:
        size: Positive int, the repeat factor. Defaults to `2`.

    Input shape:
        `(batch, steps, features)`.

    Output shape:
        `(batch, steps * size, features)`.

    Example:
    >>> import torch
    >>> UpSampling1D(2)(torch.tensor([[[1.0], [2.0]]]))[0, :, 0].tolist()
    [1.0, 1.0, 2.0, 2.0]
    """

    def __init__(self, size: int = 2, **kwargs: Any) -> None:
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise ValueError(
                f"UpSampling1D expected size to be a positive integer, but "
                f"received size={size!r}. Pass e.g. UpSampling1D(size=2)."
            )
        super().__init__(**kwargs)
        self.size = size

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        _spatial.check_rank(self, tuple(inputs.shape), 1, "channels_last")
        return inputs.repeat_interleave(self.size, dim=1)  # (batch, steps * s, f)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "size": self.size}
