"""`BaseGlobalPooling`: max or mean over all spatial axes."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer

Shape = tuple[int | None, ...]


class BaseGlobalPooling(Layer):
    """Reduces every spatial axis of a `(batch, *spatial, channels)` input.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()`.
        keepdims: Whether to keep the spatial axes with size 1. Defaults to
            `False`.
    """

    def __init__(
        self,
        rank: int,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs: Any,
    ) -> None:
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = data_format
        self.keepdims = bool(keepdims)

    def build(self, input_shape: Shape) -> None:
        _spatial.check_rank(self, tuple(input_shape), self.rank, self.data_format)

    def _spatial_axes(self) -> tuple[int, ...]:
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        _spatial.check_rank(self, tuple(inputs.shape), self.rank, self.data_format)
        return self.reduce(inputs, self._spatial_axes())

    def reduce(self, inputs: torch.Tensor, axes: tuple[int, ...]) -> torch.Tensor:
        """Reduces `inputs` over `axes`; subclasses define max or mean."""
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        config = {"data_format": self.data_format, "keepdims": self.keepdims}
        return {**super().get_config(), **config}
