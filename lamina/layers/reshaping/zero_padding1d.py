"""`ZeroPadding1D`: adds rows of zeros around sequences."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer


class ZeroPadding1D(Layer):
    """Pads the steps of sequences with zeros.

    Args:
        padding: Int (same on both ends) or a `(before, after)` pair.
            Defaults to `1`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, steps, channels)`, or with `channels_first`
        `(batch, channels, steps)`.

    Output shape:
        The same axes, each spatial size grown by its `before + after`.

    Example:
    >>> import torch
    >>> tuple(ZeroPadding1D(1)(torch.ones(2, 5, 3)).shape)
    (2, 7, 3)
    """

    def __init__(
        self, padding: Any = 1, data_format: str | None = None, **kwargs: Any
    ) -> None:
        padding = _spatial.standardize_tuple(
            "ZeroPadding1D", padding, 2, "padding", allow_zero=True
        )
        padding = (padding,)
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.padding = padding
        self.data_format = data_format

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        _spatial.check_rank(self, tuple(inputs.shape), 1, self.data_format)
        if self.data_format == "channels_first":
            return _spatial.pad_spatial(inputs, list(self.padding))  # (b, c, *new)
        flat = [0, 0] + [side for pair in reversed(self.padding) for side in pair]
        return torch.nn.functional.pad(inputs, flat)  # (batch, *new, channels)

    def get_config(self) -> dict[str, Any]:
        config = {"padding": self.padding[0], "data_format": self.data_format}
        return {**super().get_config(), **config}
