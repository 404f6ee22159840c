"""`RandAugment`: applies `num_ops` randomly chosen augmentations."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_choice
from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image._augment_ops import COLOR
from lamina.layers.preprocessing.image._augment_ops import GEOMETRIC_AND_TONAL
from lamina.layers.preprocessing.image._augment_ops import build_operations
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.random.seed_generator import seeded

# Keras's order: the operation index drawn picks from this list.
_OPERATIONS = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
)


class RandAugment(BaseRandomImageLayer):
    """Applies `num_ops` augmentations drawn from eleven, one batch at a time.

    Each call draws `num_ops` operation indices (shared by the batch) among
    shear, translation, rotation, brightness, colour degeneration, contrast,
    sharpness, posterization, solarization, auto-contrast and equalization,
    and applies them in turn, each with the strength range `factor`
    ([Cubuk et al. 2019](https://arxiv.org/abs/1909.13719)). Every
    operation's parameters are drawn once per call. Outside training the
    images pass through (as floats).

    Args:
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        num_ops: Integer number of operations per call. Defaults to `2`.
        factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair: the
            strength range of every operation. Defaults to `0.5`.
        interpolation: `"bilinear"` or `"nearest"`, for the geometric
            operations. Defaults to `"bilinear"`.
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, 3)` or one RGB image.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to augment. Defaults to `True`, as in Keras; a
            model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandAugment(value_range=(0, 1), seed=0)
    >>> tuple(layer(torch.rand(2, 8, 8, 3)).shape)
    (2, 8, 8, 3)
    """

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        num_ops: int = 2,
        factor: float | tuple[float, float] = 0.5,
        interpolation: str = "bilinear",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        check_value_range("RandAugment", value_range)
        if isinstance(num_ops, bool) or not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError(
                f"RandAugment expected num_ops to be a non-negative integer, "
                f"but received num_ops={num_ops!r}."
            )
        factor = factor_range("RandAugment", "factor", factor, (0, 1))
        check_choice(
            "RandAugment", "interpolation", interpolation, ("nearest", "bilinear")
        )
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self.factor = factor
        self.interpolation = interpolation
        operations = build_operations(
            GEOMETRIC_AND_TONAL + COLOR,
            factor,
            value_range,
            interpolation,
            seed,
            self.data_format,
        )
        for name in _OPERATIONS:
            setattr(self, name, operations[name])

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """`{"layer_idxes": (num_ops,), "transforms": {operation: ...}}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        source = self.generator if seed is None else seed
        with seeded(source, images.device) as device:
            indices = torch.randint(0, len(_OPERATIONS), (self.num_ops,), device=device)
        transforms = {
            name: getattr(self, name).get_random_transformation(
                images, training=True, seed=source
            )
            for name in _OPERATIONS
        }
        return {"transforms": transforms, "layer_idxes": indices}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        indices = transformation["layer_idxes"].to(images.device)
        transforms = transformation["transforms"]
        # Every operation runs and a mask keeps the chosen one, so the
        # choice never leaves the device (Keras does the same).
        for step in range(self.num_ops):
            for index, name in enumerate(_OPERATIONS):
                changed = getattr(self, name).transform_images(
                    images, transforms[name], training=True
                )
                images = torch.where(indices[step] == index, changed, images)
        return images

    def get_config(self) -> dict[str, Any]:
        config = {
            "value_range": self.value_range,
            "num_ops": self.num_ops,
            "factor": self.factor,
            "interpolation": self.interpolation,
        }
        return {**super().get_config(), **config}
