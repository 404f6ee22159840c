"""`GlobalAveragePooling3D`: mean over all spatial axes of volumes."""

from typing import Any

import torch

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Takes the mean over all spatial axes of volumes, per channel.

    Args:
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        keepdims: Whether to keep the spatial axes with size 1. Defaults to
            `False`.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or with `channels_first`
        `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, channels)`; with `keepdims=True` the input's rank with each
        spatial size 1.

    Example:
    >>> tuple(GlobalAveragePooling3D()(torch.ones(2, 4, 4, 4, 3)).shape)
    (2, 3)
    """

    def __init__(
        self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(3, data_format=data_format, keepdims=keepdims, **kwargs)

    def reduce(self, inputs: torch.Tensor, axes: tuple[int, ...]) -> torch.Tensor:
        return torch.mean(inputs, dim=axes, keepdim=self.keepdims)  # (batch, channels)
