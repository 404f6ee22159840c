"""`ZeroPadding2D`: adds rows of zeros around images."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer


class ZeroPadding2D(Layer):
    """Pads the spatial axes of images with zeros.

    Args:
        padding: Int (same on every side), a tuple of 2 ints (per axis, both
            sides), or a tuple of 2 `(before, after)` pairs. Defaults to
            `(1, 1)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        The same axes, each spatial size grown by its `before + after`.

    Example:
    >>> import torch
    >>> tuple(ZeroPadding2D((1, 2))(torch.ones(2, 4, 4, 3)).shape)
    (2, 6, 8, 3)
    """

    def __init__(
        self, padding: Any = (1, 1), data_format: str | None = None, **kwargs: Any
    ) -> None:
        padding = _spatial.standardize_pairs("ZeroPadding2D", padding, 2, "padding")
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.padding = padding
        self.data_format = data_format

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        _spatial.check_rank(self, tuple(inputs.shape), 2, self.data_format)
        if self.data_format == "channels_first":
            return _spatial.pad_spatial(inputs, list(self.padding))  # (b, c, *new)
        flat = [0, 0] + [side for pair in reversed(self.padding) for side in pair]
        return torch.nn.functional.pad(inputs, flat)  # (batch, *new, channels)

    def get_config(self) -> dict[str, Any]:
        config = {"padding": self.padding, "data_format": self.data_format}
        return {**super().get_config(), **config}
