"""`AveragePooling2D`: average pooling over images."""

from typing import Any

from lamina.layers.pooling.base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Downsamples images by taking the mean of each window.

    Args:
        pool_size: Int or tuple of 2 ints, the window size. Required.
        strides: Int, tuple of 2 ints, or `None` to use `pool_size`.
            Defaults to `None`.
        padding: `"valid"` or `"same"` (TensorFlow's rule: output size
            `ceil(size / stride)`, means over real cells only). Defaults to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        The same axes, each spatial size becoming
        `(size - pool_size) // stride + 1` (`"valid"`) or
        `ceil(size / stride)` (`"same"`).

    Example:
    >>> import torch
    >>> tuple(AveragePooling2D(2)(torch.ones(2, 6, 6, 3)).shape)
    (2, 3, 3, 3)
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            pool_size,
            strides,
            2,
            "average",
            padding=padding,
            data_format=data_format,
            **kwargs,
        )
