"""`RandomShear`: shears each image by a random amount during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import symmetric_range
from lamina.layers.preprocessing.image.base_random_affine_layer import (
    BaseRandomAffineLayer,
)


class RandomShear(BaseRandomAffineLayer):
    """Shears each image along x and y by random amounts during training.

    For each image a shear `s_x` is drawn from the `x_factor` range and `s_y`
    from the `y_factor` range, and both change sign together with
    probability 0.5. Output pixel `(x, y)` then samples the input at
    `(x + s_x y, s_y x + y)`, sheared about the top-left corner as in Keras.
    Outside training the images pass through.

    Args:
        x_factor: A float `f` in `[0, 1]` for `[-f, f]`, or a pair
            `(lower, upper)` in `[-1, 1]`: the horizontal shear, as the
            fraction of a pixel moved per row. Defaults to `0.0`.
        y_factor: The same for the vertical shear. Defaults to `0.0`.
        interpolation: `"bilinear"` or `"nearest"`. Defaults to `"bilinear"`.
        fill_mode: How to fill points outside the image: `"reflect"`,
            `"wrap"`, `"constant"` or `"nearest"`. Defaults to `"reflect"`.
        fill_value: Value outside the image with `fill_mode="constant"`.
            Defaults to `0.0`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        (transposed for `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to shear. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> tuple(RandomShear(0.2, 0.1)(torch.rand(2, 8, 8, 3)).shape)
    (2, 8, 8, 3)
    """

    def __init__(
        self,
        x_factor: float | tuple[float, float] = 0.0,
        y_factor: float | tuple[float, float] = 0.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        x_range = _shear_range("x_factor", x_factor)
        y_range = _shear_range("y_factor", y_factor)
        super().__init__(
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            data_format=data_format,
            **kwargs,
        )
        self.x_factor = x_range
        self.y_factor = y_range

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """`{"shear_factor": (batch, 2) shears (x, y), "input_shape"}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        shape = (images.shape[0], 1)
        sign = torch.where(
            self._uniform(shape, 0.0, 1.0, images, seed) > 0.5, -1.0, 1.0
        )
        shear_x = self._uniform(shape, *self.x_factor, images, seed)
        shear_y = self._uniform(shape, *self.y_factor, images, seed)
        return {
            "shear_factor": torch.cat([shear_x, shear_y], dim=1) * sign,  # (B, 2)
            "input_shape": tuple(images.shape),
        }

    def _transform_matrix(
        self, transformation: dict[str, Any], images: torch.Tensor
    ) -> torch.Tensor:
        shears = transformation["shear_factor"].reshape(-1, 2).float()
        shear_x, shear_y = shears.unbind(dim=1)  # (batch,)
        ones, zeros = torch.ones_like(shear_x), torch.zeros_like(shear_x)
        return torch.stack(
            [ones, shear_x, zeros, shear_y, ones, zeros, zeros, zeros], dim=1
        )  # (batch, 8)

    def get_config(self) -> dict[str, Any]:
        config = {"x_factor": self.x_factor, "y_factor": self.y_factor}
        return {**super().get_config(), **config}


def _shear_range(argument: str, factor: Any) -> tuple[float, float]:
    # Keras writes a number `f` into the config as `(-f, f)` and then refuses
    # it on loading (pairs must lie in [0, 1]); pairs in [-1, 1] are accepted
    # here so such configs load. The sign is drawn at random anyway.
    bounds = (-1, 1) if isinstance(factor, (tuple, list)) else (0, 1)
    return symmetric_range("RandomShear", argument, factor, bounds)
