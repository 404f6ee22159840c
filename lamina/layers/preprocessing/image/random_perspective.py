"""`RandomPerspective`: moves each image's corners at random in training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._affine import affine_warp
from lamina.layers.preprocessing.image._arguments import check_choice
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)

_INTERPOLATIONS = ("nearest", "bilinear")


class RandomPerspective(BaseRandomImageLayer):
    """Warps some images so their four corners move by random offsets.

    For each image a probability `p` is drawn from the factor's range and the
    image is warped with probability `p`. Each corner `c` moves to
    `c * (1 + d)`, with `d` drawn uniformly in `[-scale / 2, scale / 2]` per
    coordinate (Keras's rule, so the top-left corner stays put); points from
    outside the image get `fill_value`. Outside training the images pass
    through (as floats).

    Args:
        factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair: the
            probability of warping. Defaults to `1.0`.
        scale: Float in `[0, 1]`, how far the corners move. Defaults to `1.0`.
        interpolation: `"bilinear"` or `"nearest"`. Defaults to `"bilinear"`.
        fill_value: Value of the points from outside the image. Defaults to
            `0.0`.
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to warp. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomPerspective(scale=0.0)
    >>> layer(torch.ones(1, 4, 4, 1)).sum().item()
    16.0
    """

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float = 1.0,
        interpolation: str = "bilinear",
        fill_value: float = 0.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomPerspective", "factor", factor, (0, 1))
        if isinstance(scale, bool) or not isinstance(scale, (int, float)):
            raise TypeError(
                f"RandomPerspective expected scale to be a float in [0, 1], but "
                f"received scale={scale!r}."
            )
        if not 0 <= scale <= 1:
            raise ValueError(
                f"RandomPerspective expected scale to be in [0, 1] (how far the "
                f"corners move), but received scale={scale!r}."
            )
        check_choice(
            "RandomPerspective", "interpolation", interpolation, _INTERPOLATIONS
        )
        if isinstance(fill_value, bool) or not isinstance(fill_value, (int, float)):
            raise TypeError(
                f"RandomPerspective expected fill_value to be a number, but "
                f"received fill_value={fill_value!r}."
            )
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """`{"apply_perspective": (batch,), "start_points": (batch, 4, 2),
        "end_points": (batch, 4, 2), "input_shape": ...}` with `(x, y)` points."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        batch_size = images.shape[0]
        height, width = self._spatial_size(images)
        probability = self._uniform((batch_size,), *self.factor, images, seed)
        threshold = self._uniform((batch_size,), 0.0, 1.0, images, seed)
        half = 0.5 * self.scale
        offsets = self._uniform((batch_size, 4, 2), -half, half, images, seed)
        corners = torch.tensor(
            [[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1], [width - 1, height - 1]],
            device=offsets.device,
        )
        start_points = corners.expand(batch_size, 4, 2)  # (batch, 4, 2)
        return {
            "apply_perspective": threshold < probability,
            "start_points": start_points,
            "end_points": start_points + start_points * offsets,
            "input_shape": tuple(images.shape),
        }

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        start = transformation["start_points"].to(images.device, torch.float32)
        end = transformation["end_points"].to(images.device, torch.float32)
        matrix = _homography(start, end)  # (batch, 8)
        warped = affine_warp(
            images,
            matrix,
            self.interpolation,
            "constant",
            self.fill_value,
            self.data_format,
        )
        apply = transformation["apply_perspective"].to(images.device)
        return torch.where(apply.reshape(-1, 1, 1, 1), warped, images)

    def get_config(self) -> dict[str, Any]:
        config = {
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }
        return {**super().get_config(), **config}


def _homography(start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """`(batch, 8)` projective transforms taking each end point to its start.

    The output pixel at an end point samples the input at the start point,
    the convention of `affine_warp`.
    """
    x, y = end.unbind(-1)  # (batch, 4) each
    u, v = start.unbind(-1)
    zero, one = torch.zeros_like(x), torch.ones_like(x)
    rows_u = torch.stack([x, y, one, zero, zero, zero, -u * x, -u * y], -1)
    rows_v = torch.stack([zero, zero, zero, x, y, one, -v * x, -v * y], -1)
    system = torch.stack([rows_u, rows_v], dim=2).reshape(-1, 8, 8)  # (batch, 8, 8)
    targets = torch.stack([u, v], dim=2).reshape(-1, 8, 1)  # (batch, 8, 1)
    return torch.linalg.solve(system, targets).reshape(-1, 8)
