"""`RandomTranslation`: shifts each image by a random offset during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import symmetric_range
from lamina.layers.preprocessing.image.base_random_affine_layer import (
    BaseRandomAffineLayer,
)


class RandomTranslation(BaseRandomAffineLayer):
    """Shifts each image by a random vertical and horizontal offset in training.

    Offsets are drawn per image as fractions of the height and width;
    positive values move the content down and right. Outside training the
    images pass through.

    Args:
        height_factor: A float `f` for `[-f, f]`, or a pair `(lower, upper)`,
            each in `[-1, 1]`, as fractions of the height. `(-0.2, 0.3)`
            shifts by -20% to +30% of the height.
        width_factor: The same for the width.
        fill_mode: How to fill points outside the image: `"reflect"`,
            `"wrap"`, `"constant"` or `"nearest"`. Defaults to `"reflect"`.
        interpolation: `"bilinear"` or `"nearest"`. Defaults to `"bilinear"`.
        seed: Integer seed or `None`. Defaults to `None`.
        fill_value: Value outside the image with `fill_mode="constant"`.
            Defaults to `0.0`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        (transposed for `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to shift. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomTranslation(0.0, (0.5, 0.5), fill_mode="constant")
    >>> layer(torch.tensor([[[1.0], [2.0]]]))[..., 0].tolist()
    [[0.0, 1.0]]
    """

    def __init__(
        self,
        height_factor: float | tuple[float, float],
        width_factor: float | tuple[float, float],
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        height_range = _shift_range("height_factor", height_factor)
        width_range = _shift_range("width_factor", width_factor)
        super().__init__(
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            data_format=data_format,
            **kwargs,
        )
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._height_range = height_range
        self._width_range = width_range

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """`{"translations": (batch, 2) pixel offsets (x, y), "input_shape"}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        height, width = self._spatial_size(images)
        shape = (images.shape[0], 1)
        height_shift = self._uniform(shape, *self._height_range, images, seed) * height
        width_shift = self._uniform(shape, *self._width_range, images, seed) * width
        return {
            "translations": torch.cat([width_shift, height_shift], dim=1),  # (B, 2)
            "input_shape": tuple(images.shape),
        }

    def _transform_matrix(
        self, transformation: dict[str, Any], images: torch.Tensor
    ) -> torch.Tensor:
        translations = transformation["translations"].reshape(-1, 2).float()
        shift_x, shift_y = translations.unbind(dim=1)  # (batch,)
        ones, zeros = torch.ones_like(shift_x), torch.zeros_like(shift_x)
        return torch.stack(
            [ones, zeros, -shift_x, zeros, ones, -shift_y, zeros, zeros], dim=1
        )  # (batch, 8)

    def get_config(self) -> dict[str, Any]:
        config = {
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
        }
        return {**super().get_config(), **config}


def _shift_range(argument: str, factor: Any) -> tuple[float, float]:
    return symmetric_range("RandomTranslation", argument, factor, (-1, 1))
