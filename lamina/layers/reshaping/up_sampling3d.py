"""`UpSampling3D`: enlarges volumes by integer factors."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer


class UpSampling3D(Layer):
    """Repeats each cell of a volume `size` times along each spatial axis.

    Args:
        size: Int or tuple of 3 ints, the factors. Defaults to `(2, 2, 2)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or with `channels_first`
        `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        The same axes, each spatial size multiplied by its factor.

    Example:
    >>> import torch
    >>> tuple(UpSampling3D(2)(torch.ones(1, 1, 2, 3, 4)).shape)
    (1, 2, 4, 6, 4)
    """

    def __init__(
        self, size: Any = (2, 2, 2), data_format: str | None = None, **kwargs: Any
    ) -> None:
        size = _spatial.standardize_tuple("UpSampling3D", size, 3, "size")
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.size = size
        self.data_format = data_format

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        _spatial.check_rank(self, tuple(inputs.shape), 3, self.data_format)
        first = 1 if self.data_format == "channels_last" else 2
        outputs = inputs
        for axis, factor in enumerate(self.size, start=first):
            outputs = outputs.repeat_interleave(factor, dim=axis)  # axis * factor
        return outputs

    def get_config(self) -> dict[str, Any]:
        config = {"size": self.size, "data_format": self.data_format}
        return {**super().get_config(), **config}
