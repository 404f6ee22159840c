"""`Cropping2D`: cuts cells off the edges of images."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer


class Cropping2D(Layer):
    """Removes cells from the start and end of each spatial axis of images.

    Args:
        cropping: Int (same on every side), a tuple of 2 ints (per axis, both
            sides), or a tuple of 2 `(before, after)` pairs. Defaults to
            `((0, 0), (0, 0))`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        The same axes, each spatial size reduced by its `before + after`.

    Example:
    >>> import torch
    >>> tuple(Cropping2D(((1, 0), 2))(torch.ones(2, 6, 6, 3)).shape)
    (2, 5, 2, 3)
    """

    def __init__(
        self,
        cropping: Any = ((0, 0), (0, 0)),
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        cropping = _spatial.standardize_pairs("Cropping2D", cropping, 2, "cropping")
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.cropping = cropping
        self.data_format = data_format

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        self._check_shape(tuple(input_shape))

    def _check_shape(self, shape: tuple[int | None, ...]) -> None:
        _spatial.check_rank(self, shape, 2, self.data_format)
        sizes = _spatial.spatial_shape(shape, self.data_format)
        for size, (before, after) in zip(sizes, self.cropping, strict=True):
            if size is not None and before + after >= size:
                raise ValueError(
                    f"Layer '{self.name}' (Cropping2D) would crop "
                    f"{before + after} of {size} cells (cropping="
                    f"{self.cropping}, input shape {(None, *shape[1:])}), "
                    f"leaving nothing. Crop less than the input's size."
                )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self._check_shape(tuple(inputs.shape))
        first = 1 if self.data_format == "channels_last" else 2
        outputs = inputs
        for axis, (before, after) in enumerate(self.cropping, start=first):
            size = outputs.shape[axis]
            outputs = outputs.narrow(axis, before, size - before - after)  # cropped
        return outputs

    def get_config(self) -> dict[str, Any]:
        config = {"cropping": self.cropping, "data_format": self.data_format}
        return {**super().get_config(), **config}
