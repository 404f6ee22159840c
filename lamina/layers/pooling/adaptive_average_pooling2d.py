"""`AdaptiveAveragePooling2D`: average pooling of images to a fixed output size."""

from typing import Any

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Pools images to `output_size` by taking the mean of adaptive windows.

    Each spatial axis of size `n` is split into `output_size` windows,
    window `i` covering `[floor(i * n / m), ceil((i + 1) * n / m))` for an
    output size `m`, so any input size gives the same output size.

    Args:
        output_size: Int (the same for every axis) or tuple of 2 ints, the
            output's spatial size.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        `(batch, output_height, output_width, channels)`, or channels first.

    Example:
    >>> import torch
    >>> tuple(AdaptiveAveragePooling2D((4, 3))(torch.ones(2, 10, 7, 3)).shape)
    (2, 4, 3, 3)
    """

    def __init__(
        self, output_size: Any, data_format: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(output_size, 2, "average", data_format=data_format, **kwargs)
