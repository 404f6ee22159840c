"""`Permute`: reorders the axes of each sample."""

from typing import Any

import torch

from lamina.layers.layer import Layer


class Permute(Layer):
    """Permutes the non-batch axes; `dims` counts from 1, as in Keras.

    Args:
        dims: Tuple of ints, a permutation of `1..rank-1`. `(2, 1)` swaps the
            first and second axes of each sample.

    Input shape:
        `(batch, d1, ..., dn)`.

    Output shape:
        The input axes reordered by `dims`, the batch axis first.

    Example:
    >>> tuple(Permute((2, 1))(torch.ones(4, 10, 64)).shape)
    (4, 64, 10)
    """

    def __init__(self, dims: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                f"Permute expected dims to be a permutation of 1..{len(dims)} "
                f"(axis 0 is the batch axis), but received dims={dims}. Pass "
                f"e.g. Permute((2, 1))."
            )
        self.dims = dims

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.ndim != len(self.dims) + 1:
            raise ValueError(
                f"Layer '{self.name}' (Permute) with dims={self.dims} expects "
                f"inputs of rank {len(self.dims) + 1}, but received input shape "
                f"{(None, *inputs.shape[1:])}. Give dims one entry per "
                f"non-batch axis."
            )
        return inputs.permute(0, *self.dims)  # (batch, permuted axes)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "dims": self.dims}
