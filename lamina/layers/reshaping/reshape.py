"""`Reshape`: gives each sample a new shape."""

import math
from typing import Any

import torch

from lamina.layers.layer import Layer


class Reshape(Layer):
    """Reshapes each sample to `target_shape`; the batch axis is kept.

    Args:
        target_shape: Tuple of ints, the new shape of one sample (without
            the batch axis). One entry may be `-1`, inferred from the size.

    Input shape:
        `(batch, ...)`.

    Output shape:
        `(batch, *target_shape)`.

    Example:
    >>> tuple(Reshape((3, -1))(torch.ones(2, 12)).shape)
    (2, 3, 4)
    """

    def __init__(self, target_shape: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(target_shape, int):
            target_shape = (target_shape,)
        target_shape = tuple(target_shape)
        unknown = sum(1 for dim in target_shape if dim == -1)
        bad = [dim for dim in target_shape if not _is_dim(dim)]
        if bad or unknown > 1:
            raise ValueError(
                f"Reshape expected target_shape to hold positive integers and at "
                f"most one -1, but received target_shape={target_shape}. Pass "
                f"e.g. Reshape((3, -1))."
            )
        self.target_shape = target_shape

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        sample_size = math.prod(inputs.shape[1:])
        known = math.prod(dim for dim in self.target_shape if dim != -1)
        fits = (
            sample_size % known == 0
            if -1 in self.target_shape
            else (sample_size == known)
        )
        if not fits:
            raise ValueError(
                f"Layer '{self.name}' (Reshape) cannot reshape input shape "
                f"{(None, *inputs.shape[1:])} ({sample_size} values per sample) "
                f"to target_shape={self.target_shape}. Pick a target_shape whose "
                f"sizes multiply to {sample_size}, or use -1 for one axis."
            )
        return inputs.reshape(inputs.shape[0], *self.target_shape)  # (batch, *target)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "target_shape": self.target_shape}


def _is_dim(dim: Any) -> bool:
    return isinstance(dim, int) and not isinstance(dim, bool) and (dim > 0 or dim == -1)
