"""`BaseAdaptivePooling`: pooling to a fixed output size, whatever the input size."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer

Shape = tuple[int | None, ...]

_AVERAGE_POOL = {
    1: F.adaptive_avg_pool1d,
    2: F.adaptive_avg_pool2d,
    3: F.adaptive_avg_pool3d,
}
_MAX_POOL = {
    1: F.adaptive_max_pool1d,
    2: F.adaptive_max_pool2d,
    3: F.adaptive_max_pool3d,
}


class BaseAdaptivePooling(Layer):
    """Splits each spatial axis into `output_size` windows and pools each one.

    Window `i` of an axis of size `n` pooled to `m` covers
    `[floor(i * n / m), ceil((i + 1) * n / m))`, so windows may differ in
    size by one and overlap when `n` is not a multiple of `m`; this is
    PyTorch's `adaptive_*_pool`, which Keras's torch backend runs too.

    Args:
        output_size: Int, or tuple of `rank` ints, the output's spatial size.
        rank: Number of spatial axes (1, 2 or 3).
        pool_mode: `"average"` or `"max"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()`.
    """

    def __init__(
        self,
        output_size: Any,
        rank: int,
        pool_mode: str,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        output_size = _standardize_output_size(type(self).__name__, output_size, rank)
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.output_size = output_size
        self.rank = rank
        self.pool_mode = pool_mode
        self.data_format = data_format

    def build(self, input_shape: Shape) -> None:
        _spatial.check_rank(self, tuple(input_shape), self.rank, self.data_format)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        _spatial.check_rank(self, tuple(inputs.shape), self.rank, self.data_format)
        channels_first = _spatial.to_channels_first(inputs, self.data_format)
        if self.pool_mode == "max":
            pooled = _MAX_POOL[self.rank](channels_first, self.output_size)
        else:
            pooled = _AVERAGE_POOL[self.rank](channels_first, self.output_size)
        # pooled: (batch, channels, *output_size)
        return _spatial.from_channels_first(pooled, self.data_format)

    def get_config(self) -> dict[str, Any]:
        config = {"output_size": self.output_size, "data_format": self.data_format}
        return {**super().get_config(), **config}


def _standardize_output_size(owner: str, value: Any, rank: int) -> tuple[int, ...]:
    """Turns an int or a sequence of `rank` ints into a tuple of positive ints."""
    values = (value,) * rank if _is_int(value) else value
    if not isinstance(values, (tuple, list)) or not all(map(_is_int, values)):
        raise TypeError(
            f"{owner} expected output_size to be an int or a tuple of {rank} "
            f"ints, but received output_size={value!r} of type "
            f"{type(value).__name__}. Pass e.g. output_size={(4,) * rank}."
        )
    if len(values) != rank or min(values) <= 0:
        raise ValueError(
            f"{owner} expected output_size to be a positive int or a tuple of "
            f"{rank} positive ints, but received output_size={value!r}. Pass "
            f"e.g. output_size={(4,) * rank}."
        )
    return tuple(int(item) for item in values)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
