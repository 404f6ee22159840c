"""`ZeroPadding3D`: adds rows of zeros around volumes."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer


class ZeroPadding3D(Layer):
    """Pads the spatial axes of volumes with zeros.

    Args:
        padding: Int (same on every side), a tuple of 3 ints (per axis, both
            sides), or a tuple of 3 `(before, after)` pairs. Defaults to
            `((1, 1), (1, 1), (1, 1))`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or with `channels_first`
        `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        The same axes, each spatial size grown by its `before + after`.

    Example:
    >>> import torch
    >>> tuple(ZeroPadding3D(1)(torch.ones(1, 2, 2, 2, 3)).shape)
    (1, 4, 4, 4, 3)
    """

    def __init__(
        self,
        padding: Any = ((1, 1), (1, 1), (1, 1)),
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        padding = _spatial.standardize_pairs("ZeroPadding3D", padding, 3, "padding")
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.padding = padding
        self.data_format = data_format

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        _spatial.check_rank(self, tuple(inputs.shape), 3, self.data_format)
        if self.data_format == "channels_first":
            return _spatial.pad_spatial(inputs, list(self.padding))  # (b, c, *new)
        flat = [0, 0] + [side for pair in reversed(self.padding) for side in pair]
        return torch.nn.functional.pad(inputs, flat)  # (batch, *new, channels)

    def get_config(self) -> dict[str, Any]:
        config = {"padding": self.padding, "data_format": self.data_format}
        return {**super().get_config(), **config}
