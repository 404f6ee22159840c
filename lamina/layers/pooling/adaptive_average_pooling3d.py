"""`AdaptiveAveragePooling3D`: average pooling of volumes to a fixed output size."""

from typing import Any

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Pools volumes to `output_size` by taking the mean of adaptive windows.

    Each spatial axis of size `n` is split into `output_size` windows,
    window `i` covering `[floor(i * n / m), ceil((i + 1) * n / m))` for an
    output size `m`, so any input size gives the same output size.

    Args:
        output_size: Int (the same for every axis) or tuple of 3 ints, the
            output's spatial size.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or with `channels_first`
        `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, output_dim1, output_dim2, output_dim3, channels)`, or channels first.

    Example:
    >>> import torch
    >>> tuple(AdaptiveAveragePooling3D(2)(torch.ones(2, 6, 5, 7, 3)).shape)
    (2, 2, 2, 2, 3)
    """

    def __init__(
        self, output_size: Any, data_format: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(output_size, 3, "average", data_format=data_format, **kwargs)
