"""`RandomColorJitter`: random brightness, contrast, saturation and hue."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.layers.preprocessing.image.random_brightness import RandomBrightness
from lamina.layers.preprocessing.image.random_contrast import RandomContrast
from lamina.layers.preprocessing.image.random_hue import RandomHue
from lamina.layers.preprocessing.image.random_saturation import RandomSaturation

_STEPS = ("brightness", "contrast", "saturation", "hue")


class RandomColorJitter(BaseRandomImageLayer):
    """Applies `RandomBrightness`, `RandomContrast`, `RandomSaturation` and
    `RandomHue`, in that order, each only when its factor is given.

    Each factor means what it means for the single layer. Outside training
    the images pass through (as floats).

    Lamina draws every step's parameters in `get_random_transformation`
    (keys `"brightness"`, `"contrast"`, `"saturation"`, `"hue"`), so a
    transformation can be replayed; Keras 3 draws them inside
    `transform_images` and ignores the transformation it is given.

    Args:
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        brightness_factor: `RandomBrightness`'s factor, or `None` to skip.
            Defaults to `None`.
        contrast_factor: `RandomContrast`'s factor, or `None`. Defaults to
            `None`.
        saturation_factor: `RandomSaturation`'s factor, or `None`. Defaults
            to `None`.
        hue_factor: `RandomHue`'s factor, or `None`. Defaults to `None`.
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, 3)` or one RGB image (transposed for
        `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to jitter. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomColorJitter((0, 1), brightness_factor=(0.5, 0.5))
    >>> layer(torch.tensor([[[0.25, 0.5, 0.75]]])).tolist()
    [[[0.75, 1.0, 1.0]]]
    """

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        brightness_factor: Any = None,
        contrast_factor: Any = None,
        saturation_factor: Any = None,
        hue_factor: Any = None,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        check_value_range("RandomColorJitter", value_range)
        factors = (brightness_factor, contrast_factor, saturation_factor, hue_factor)
        classes = (RandomBrightness, RandomContrast, RandomSaturation, RandomHue)
        steps = {
            step: layer_class(
                factor, value_range=value_range, data_format=data_format, seed=seed
            )
            for step, layer_class, factor in zip(_STEPS, classes, factors, strict=True)
            if factor is not None
        }
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self.random_brightness = steps.get("brightness")
        self.random_contrast = steps.get("contrast")
        self.random_saturation = steps.get("saturation")
        self.random_hue = steps.get("hue")

    def _steps(self) -> list[tuple[str, BaseRandomImageLayer]]:
        layers = (
            self.random_brightness,
            self.random_contrast,
            self.random_saturation,
            self.random_hue,
        )
        return [
            (step, layer)
            for step, layer in zip(_STEPS, layers, strict=True)
            if layer is not None
        ]

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """One transformation per step given: `{"brightness": ..., ...}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        source = self.generator if seed is None else seed
        return {
            step: layer.get_random_transformation(images, training=True, seed=source)
            for step, layer in self._steps()
        }

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        for step, layer in self._steps():
            images = layer.transform_images(images, transformation[step], training)
        return images

    def get_config(self) -> dict[str, Any]:
        config = {
            "value_range": self.value_range,
            "brightness_factor": self.brightness_factor,
            "contrast_factor": self.contrast_factor,
            "saturation_factor": self.saturation_factor,
            "hue_factor": self.hue_factor,
        }
        return {**super().get_config(), **config}
