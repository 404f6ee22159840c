"""`RepeatVector`: repeats a vector `n` times along a new axis."""

from typing import Any

import torch

from lamina.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats each input vector `n` times: `(batch, f)` to `(batch, n, f)`.

    Args:
        n: Positive integer, the number of repetitions.

    Input shape:
        `(batch, features)`.

    Output shape:
        `(batch, n, features)`.

    Example:
    >>> tuple(RepeatVector(3)(torch.ones(2, 5)).shape)
    (2, 3, 5)
    """

    def __init__(self, n: int, **kwargs: Any) -> None:
        if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
            raise ValueError(
                f"RepeatVector expected n to be a positive integer, but received "
                f"n={n!r}. Pass e.g. RepeatVector(3)."
            )
        super().__init__(**kwargs)
        self.n = n

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.ndim != 2:
            raise ValueError(
                f"Layer '{self.name}' (RepeatVector) expects inputs of shape "
                f"(batch, features), but received input shape "
                f"{(None, *inputs.shape[1:])}. Flatten the input first."
            )
        return inputs.unsqueeze(1).repeat(1, self.n, 1)  # (batch, n, features)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "n": self.n}
