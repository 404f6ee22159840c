"""`ActivityRegularization`: adds an L1/L2 penalty on its input to the loss."""

from typing import Any

import torch

from lamina import regularizers
from lamina.layers.layer import Layer


class ActivityRegularization(Layer):
    """Passes inputs through and adds `l1 * sum(|x|) + l2 * sum(x**2)` to the loss.

    The penalty is averaged over the batch, as for any `activity_regularizer`,
    and appears in `layer.losses` after each call.

    Args:
        l1: Non-negative float, L1 factor. Defaults to `0.0`.
        l2: Non-negative float, L2 factor. Defaults to `0.0`.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
    >>> layer = ActivityRegularization(l2=0.5)
    >>> _ = layer(torch.ones(2, 3))
    >>> float(layer.losses[0])
    1.5
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any) -> None:
        kwargs.pop("activity_regularizer", None)  # always built from l1 and l2
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
