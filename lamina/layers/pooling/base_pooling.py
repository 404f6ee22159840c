"""`BasePooling`: the windowed max and average pooling behind `*Pooling*D`."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer

Shape = tuple[int | None, ...]

_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


class BasePooling(Layer):
    """Slides a window over the spatial axes and keeps its max or mean.

    `padding="same"` follows TensorFlow: the output has `ceil(size / stride)`
    steps, the odd padded cell goes after, max pooling ignores padded cells
    and average pooling divides by the number of real cells in each window.

    Args:
        pool_size: Int or tuple of `rank` ints, the window size.
        strides: Int, tuple of `rank` ints, or `None` for `pool_size`.
        rank: Number of spatial axes (1, 2 or 3).
        pool_mode: `"max"` or `"average"`.
        padding: `"valid"` or `"same"`. Defaults to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()`.
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any,
        rank: int,
        pool_mode: str,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        pool_size = _spatial.standardize_tuple(owner, pool_size, rank, "pool_size")
        strides = pool_size if strides is None else strides
        strides = _spatial.standardize_tuple(owner, strides, rank, "strides")
        padding = _spatial.standardize_padding(owner, padding, ("valid", "same"))
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.pool_size = pool_size
        self.strides = strides
        self.rank = rank
        self.pool_mode = pool_mode
        self.padding = padding
        self.data_format = data_format

    def build(self, input_shape: Shape) -> None:
        self._check_shape(tuple(input_shape))

    def _check_shape(self, shape: Shape) -> None:
        _spatial.check_rank(self, shape, self.rank, self.data_format)
        if self.padding == "valid":
            _spatial.check_window_fits(
                self,
                _spatial.spatial_shape(shape, self.data_format),
                self.pool_size,
                "pool window",
            )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self._check_shape(tuple(inputs.shape))
        channels_first = _spatial.to_channels_first(inputs, self.data_format)
        if self.pool_mode == "max":
            outputs = self._max_pool(channels_first)
        else:
            outputs = self._average_pool(channels_first)
        return _spatial.from_channels_first(outputs, self.data_format)

    def _same_amounts(self, inputs: torch.Tensor) -> list[tuple[int, int]]:
        sizes = tuple(inputs.shape[2:])
        return _spatial.same_padding(sizes, self.pool_size, self.strides)

    def _max_pool(self, inputs: torch.Tensor) -> torch.Tensor:
        pool = _MAX_POOL[self.rank]
        if self.padding == "valid":
            return pool(inputs, self.pool_size, self.strides)  # (batch, c, *out)
        amounts = self._same_amounts(inputs)
        if all(before == after for before, after in amounts):
            padding = [before for before, _ in amounts]  # PyTorch pads with -inf
            return pool(inputs, self.pool_size, self.strides, padding)
        padded = _spatial.pad_spatial(inputs, amounts, value=float("-inf"))
        return pool(padded, self.pool_size, self.strides)  # (batch, c, *out)

    def _average_pool(self, inputs: torch.Tensor) -> torch.Tensor:
        pool = _AVG_POOL[self.rank]
        if self.padding == "valid":
            return pool(inputs, self.pool_size, self.strides)  # (batch, c, *out)
        amounts = self._same_amounts(inputs)
        if all(before == after for before, after in amounts):
            padding = [before for before, _ in amounts]
            return pool(
                inputs, self.pool_size, self.strides, padding, count_include_pad=False
            )
        # Mean over real cells = mean over the zero-padded window divided by
        # the window's fraction of real cells.
        sums = pool(_spatial.pad_spatial(inputs, amounts), self.pool_size, self.strides)
        ones = inputs.new_ones((1, 1, *inputs.shape[2:]))
        fractions = pool(
            _spatial.pad_spatial(ones, amounts), self.pool_size, self.strides
        )
        return sums / fractions  # (batch, c, *out)

    def get_config(self) -> dict[str, Any]:
        config = {
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
        return {**super().get_config(), **config}
