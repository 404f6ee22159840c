"""`RandomZoom`: zooms each image in or out by a random amount during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import symmetric_range
from lamina.layers.preprocessing.image.base_random_affine_layer import (
    BaseRandomAffineLayer,
)


class RandomZoom(BaseRandomAffineLayer):
    """Zooms each image in or out about its centre during training.

    Each image is scaled by `1 + z`, `z` drawn uniformly per image and axis
    from the factor's range: a positive `z` zooms out (the image shrinks and
    `fill_mode` fills the border), a negative `z` zooms in. Outside training
    the images pass through.

    Args:
        height_factor: A float `f` for `[-f, f]`, or a pair `(lower, upper)`,
            each in `(-1, 1]`: the vertical zoom range. `(0.2, 0.3)` zooms out
            by 20% to 30%, `(-0.3, -0.2)` zooms in by 20% to 30%.
        width_factor: The same for the horizontal axis, or `None` to zoom both
            axes by the same drawn amount (keeping the aspect ratio).
            Defaults to `None`.
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
        training: Whether to zoom. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomZoom((1.0, 1.0), fill_mode="constant")
    >>> layer(torch.ones(1, 3, 3, 1))[0, ..., 0].tolist()
    [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """

    def __init__(
        self,
        height_factor: float | tuple[float, float],
        width_factor: float | tuple[float, float] | None = None,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        height_range = _zoom_range("height_factor", height_factor)
        width_range = (
            None if width_factor is None else _zoom_range("width_factor", width_factor)
        )
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
        """`{"height_zoom": (batch, 1), "width_zoom": (batch, 1), ...}` scales."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        shape = (images.shape[0], 1)
        lower, upper = self._height_range
        height_zoom = self._uniform(shape, 1.0 + lower, 1.0 + upper, images, seed)
        width_zoom = height_zoom
        if self._width_range is not None:
            lower, upper = self._width_range
            width_zoom = self._uniform(shape, 1.0 + lower, 1.0 + upper, images, seed)
        return {
            "height_zoom": height_zoom,
            "width_zoom": width_zoom,
            "input_shape": tuple(images.shape),
        }

    def _transform_matrix(
        self, transformation: dict[str, Any], images: torch.Tensor
    ) -> torch.Tensor:
        height, width = self._spatial_size(images)
        width_zoom = transformation["width_zoom"].reshape(-1).float()  # (batch,)
        height_zoom = transformation["height_zoom"].reshape(-1).float()
        zeros = torch.zeros_like(width_zoom)
        return torch.stack(
            [
                width_zoom,
                zeros,
                (width - 1) / 2.0 * (1.0 - width_zoom),
                zeros,
                height_zoom,
                (height - 1) / 2.0 * (1.0 - height_zoom),
                zeros,
                zeros,
            ],
            dim=1,
        )  # (batch, 8)

    def get_config(self) -> dict[str, Any]:
        config = {
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
        }
        return {**super().get_config(), **config}


def _zoom_range(argument: str, factor: Any) -> tuple[float, float]:
    return symmetric_range("RandomZoom", argument, factor, (-1, 1), low_inclusive=False)
