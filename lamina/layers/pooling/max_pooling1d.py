"""`MaxPooling1D`: max pooling over steps."""

from typing import Any

from lamina.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """Downsamples steps by taking the maximum of each window.

    Args:
        pool_size: Int or tuple of 1 ints, the window size. Defaults to `2`.
        strides: Int, tuple of 1 ints, or `None` to use `pool_size`.
            Defaults to `None`.
        padding: `"valid"` or `"same"` (TensorFlow's rule: output size
            `ceil(size / stride)`, padded cells never win). Defaults to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, steps, channels)`, or with `channels_first`
        `(batch, channels, steps)`.

    Output shape:
        The same axes, each spatial size becoming
        `(size - pool_size) // stride + 1` (`"valid"`) or
        `ceil(size / stride)` (`"same"`).

    Example:
    >>> import torch
    >>> tuple(MaxPooling1D()(torch.ones(2, 6, 3)).shape)
    (2, 3, 3)
    """

    def __init__(
        self,
        pool_size: Any = 2,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            pool_size,
            strides,
            1,
            "max",
            padding=padding,
            data_format=data_format,
            **kwargs,
        )
