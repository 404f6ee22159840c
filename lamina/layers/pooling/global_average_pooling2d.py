"""`GlobalAveragePooling2D`: mean over all spatial axes of images."""

from typing import Any

import torch

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Takes the mean over all spatial axes of images, per channel.

    Args:
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        keepdims: Whether to keep the spatial axes with size 1. Defaults to
            `False`.

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        `(batch, channels)`; with `keepdims=True` the input's rank with each
        spatial size 1.

    Example:
    >>> tuple(GlobalAveragePooling2D()(torch.ones(2, 6, 6, 3)).shape)
    (2, 3)
    """

    def __init__(
        self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(2, data_format=data_format, keepdims=keepdims, **kwargs)

    def reduce(self, inputs: torch.Tensor, axes: tuple[int, ...]) -> torch.Tensor:
        return torch.mean(inputs, dim=axes, keepdim=self.keepdims)  # (batch, channels)
