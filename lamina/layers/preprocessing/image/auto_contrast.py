"""`AutoContrast`: stretches each channel to the full value range."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._value_range import rescale_values
from lamina.layers.preprocessing.image.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class AutoContrast(BaseImagePreprocessingLayer):
    """Maps each image channel's darkest pixel to `low` and brightest to `high`.

    Deterministic: it runs in training and in inference alike, as in Keras.
    Channels whose pixels are all equal (no contrast to stretch) are left
    unchanged.

    Args:
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        **kwargs: Base layer arguments (`name`, `dtype`, `data_format`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`.

    Output shape:
        Same as the input, as floats.

    Example:
    >>> AutoContrast(value_range=(0, 1))(torch.tensor([[[0.25], [0.5]]])).tolist()
    [[[0.0], [1.0]]]
    """

    def __init__(self, value_range: tuple[float, float] = (0, 255), **kwargs: Any):
        check_value_range("AutoContrast", value_range)
        super().__init__(**kwargs)
        self.value_range = sorted(value_range)

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        original = images
        images = self._to_compute_dtype(images)
        pixels = rescale_values(images, self.value_range, (0, 255))
        # Keras 3.15 always reduces axes (1, 2), which for "channels_first"
        # mixes channels; lamina reduces the spatial axes in both formats.
        spatial = (1, 2) if self.data_format == "channels_last" else (2, 3)
        low = pixels.amin(dim=spatial, keepdim=True)  # one value per channel
        high = pixels.amax(dim=spatial, keepdim=True)
        scale = 255.0 / (high - low)
        stretched = (pixels * scale - low * scale).clamp(0.0, 255.0)
        stretched = rescale_values(stretched, (0, 255), self.value_range)
        return torch.where(stretched.isnan(), original.to(stretched), stretched)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "value_range": self.value_range}
