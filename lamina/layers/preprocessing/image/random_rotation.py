"""`RandomRotation`: rotates each image by a random angle during training."""

import math
from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_affine_layer import (
    BaseRandomAffineLayer,
)


class RandomRotation(BaseRandomAffineLayer):
    """Rotates each image about its centre by a random angle during training.

    The angle is drawn per image, uniformly in `[lower, upper]` fractions of
    a full turn (`2 * pi`); positive angles turn counter-clockwise. Outside
    training the images pass through.

    Args:
        factor: A float `f` for `[-f, f]`, or a pair `(lower, upper)`, as
            fractions of `2 * pi`. `0.2` rotates by up to +-72 degrees.
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
        training: Whether to rotate. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomRotation((0.25, 0.25), interpolation="nearest")
    >>> layer(torch.tensor([[[1.0], [2.0]], [[3.0], [4.0]]]))[..., 0].tolist()
    [[2.0, 4.0], [1.0, 3.0]]
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomRotation", "factor", factor, (-1, 1))
        super().__init__(
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            data_format=data_format,
            **kwargs,
        )
        self.factor = factor

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """`{"angle": (batch,) degrees, "rotation_matrix": (batch, 8), ...}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        batch_size = images.shape[0]
        height, width = self._spatial_size(images)
        lower, upper = self.factor
        angle = self._uniform((batch_size,), lower * 360.0, upper * 360.0, images, seed)
        return {
            "angle": angle,
            "rotation_matrix": _rotation_matrix(angle, height, width),
            "image_height": height,
            "image_width": width,
            "batch_size": batch_size,
        }

    def _transform_matrix(
        self, transformation: dict[str, Any], images: torch.Tensor
    ) -> torch.Tensor:
        return transformation["rotation_matrix"]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": self.factor}


def _rotation_matrix(angle: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """`(batch, 8)` transforms rotating by `angle` degrees about the centre."""
    radians = angle * (math.pi / 180.0)
    cos, sin = torch.cos(radians), torch.sin(radians)
    center_x, center_y = 0.5 * (width - 1), 0.5 * (height - 1)
    zeros = torch.zeros_like(cos)
    return torch.stack(
        [
            cos,
            -sin,
            center_x - center_x * cos + center_y * sin,
            sin,
            cos,
            center_y - center_x * sin - center_y * cos,
            zeros,
            zeros,
        ],
        dim=1,
    )  # (batch, 8)
