"""`Cropping1D`: cuts cells off the edges of sequences."""

from typing import Any

import torch

from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer


class Cropping1D(Layer):
    """Removes cells from the start and end of each step axis of sequences.

    Args:
        cropping: Int (same on both ends) or a `(before, after)` pair.
            Defaults to `(1, 1)`.

    Input shape:
        `(batch, steps, channels)`.

    Output shape:
        The same axes, each spatial size reduced by its `before + after`.

    Example:
    >>> import torch
    >>> tuple(Cropping1D((1, 2))(torch.ones(2, 6, 3)).shape)
    (2, 3, 3)
    """

    def __init__(self, cropping: Any = (1, 1), **kwargs: Any) -> None:
        cropping = _spatial.standardize_tuple(
            "Cropping1D", cropping, 2, "cropping", allow_zero=True
        )
        cropping = (cropping,)
        data_format = "channels_last"
        super().__init__(**kwargs)
        self.cropping = cropping
        self.data_format = data_format

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        self._check_shape(tuple(input_shape))

    def _check_shape(self, shape: tuple[int | None, ...]) -> None:
        _spatial.check_rank(self, shape, 1, self.data_format)
        sizes = _spatial.spatial_shape(shape, self.data_format)
        for size, (before, after) in zip(sizes, self.cropping, strict=True):
            if size is not None and before + after >= size:
                raise ValueError(
                    f"Layer '{self.name}' (Cropping1D) would crop "
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
        config = {"cropping": self.cropping[0]}
        return {**super().get_config(), **config}
