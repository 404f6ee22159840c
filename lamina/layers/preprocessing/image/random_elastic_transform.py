"""`RandomElasticTransform`: bends each image by a smooth random field."""

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.layers.preprocessing.image._affine import _sample
from lamina.layers.preprocessing.image._affine import _sample_wrapped
from lamina.layers.preprocessing.image._arguments import check_choice
from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.random.seed_generator import seeded

_INTERPOLATIONS = ("nearest", "bilinear")
_FILL_MODES = ("reflect", "wrap", "constant", "nearest", "mirror")


class RandomElasticTransform(BaseRandomImageLayer):
    """Displaces each pixel by a Gaussian-smoothed random field in training.

    With probability `p` (drawn per image from the factor's range) an image
    is resampled at `(x + alpha * dx, y + alpha * dy)`, where `dx`, `dy` are
    Gaussian noise times `sigma`, blurred by a Gaussian of width `sigma`
    ([Simard et al. 2003](https://doi.org/10.1109/ICDAR.2003.1227801)). One
    strength `s` is drawn per call from `scale`; then
    `alpha = 0.1 * s * max(height, width)` and
    `sigma = 0.05 * s * min(height, width)`, as in Keras. The result is
    clipped to `value_range`. Outside training the images pass through.

    The blur window has the width Keras gives the largest `sigma`
    (`int(6 * sigma) | 1` taps), for every draw, so no value leaves the
    device; smaller draws see the same Gaussian over a few more near-zero
    taps.

    Args:
        factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair: the
            probability of bending. Defaults to `1.0`.
        scale: A float `s` in `[0, 1]` for `(0, s)`, or a pair: the range of
            the strength. Defaults to `1.0`.
        interpolation: `"bilinear"` or `"nearest"`. Defaults to `"bilinear"`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"`, `"nearest"` or
            `"mirror"` (`c b | a b c | b a`, mirrored about the edge
            pixels). Defaults to `"reflect"`.
        fill_value: Value outside the image with `fill_mode="constant"`.
            Defaults to `0.0`.
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to bend. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomElasticTransform(value_range=(0, 1))
    >>> tuple(layer(torch.rand(2, 16, 16, 3)).shape)
    (2, 16, 16, 3)
    """

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float | tuple[float, float] = 1.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        owner = "RandomElasticTransform"
        factor = factor_range(owner, "factor", factor, (0, 1))
        scale = factor_range(owner, "scale", scale, (0, 1))
        check_choice(owner, "interpolation", interpolation, _INTERPOLATIONS)
        check_choice(owner, "fill_mode", fill_mode, _FILL_MODES)
        if isinstance(fill_value, bool) or not isinstance(fill_value, (int, float)):
            raise TypeError(
                f"{owner} expected fill_value to be a number, but received "
                f"fill_value={fill_value!r}."
            )
        check_value_range(owner, value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.scale = scale
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"apply_transform": (batch,), "distortion_factor": (),
        "noise": (batch, 2, height, width)}`; `None` when nothing can move."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        if self.scale[1] == 0 or self.factor[1] == 0:
            return None
        batch_size = images.shape[0]
        height, width = self._spatial_size(images)
        low, high = self.factor
        with seeded(self.generator if seed is None else seed, images.device) as device:
            probability = torch.rand(batch_size, device=device) * (high - low) + low
            threshold = torch.rand(batch_size, device=device)
            strength = torch.rand((), device=device)
            noise = torch.randn(batch_size, 2, height, width, device=device)
        strength = strength * (self.scale[1] - self.scale[0]) + self.scale[0]
        return {
            "apply_transform": threshold < probability,
            "distortion_factor": strength,
            "noise": noise,
        }

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        if self.data_format == "channels_last":
            images = images.permute(0, 3, 1, 2)  # (batch, channels, height, width)
        height, width = images.shape[-2:]
        field = self._displacement(transformation, height, width).to(images)
        ys = torch.arange(height, dtype=images.dtype, device=images.device)[:, None]
        xs = torch.arange(width, dtype=images.dtype, device=images.device)[None, :]
        warped = self._resample(images, xs + field[:, 0], ys + field[:, 1])
        apply = transformation["apply_transform"].to(images.device)
        images = torch.where(apply.reshape(-1, 1, 1, 1), warped, images)
        images = images.clamp(self.value_range[0], self.value_range[1])
        if self.data_format == "channels_last":
            images = images.permute(0, 2, 3, 1)  # (batch, height, width, channels)
        return images

    def _displacement(
        self, transformation: dict[str, Any], height: int, width: int
    ) -> torch.Tensor:
        """`(batch, 2, height, width)` pixel offsets `(dx, dy)`."""
        strength = transformation["distortion_factor"].to(torch.float32)
        noise = transformation["noise"].to(strength.device, torch.float32)
        alpha = max(height, width) * 0.1 * strength
        sigma = (min(height, width) * 0.05 * strength).clamp_min(1e-6)
        size = int(6 * min(height, width) * 0.05 * self.scale[1]) | 1
        positions = torch.arange(size, device=noise.device) - (size - 1) / 2
        kernel = torch.exp(-0.5 * (positions / sigma) ** 2)
        kernel = kernel / kernel.sum()  # (size,)
        kernel = torch.outer(kernel, kernel).expand(2, 1, size, size)
        blurred = F.conv2d(noise * sigma, kernel, padding=size // 2, groups=2)
        return alpha * blurred

    def _resample(
        self, images: torch.Tensor, source_x: torch.Tensor, source_y: torch.Tensor
    ) -> torch.Tensor:
        mode = "bilinear"
        if self.interpolation == "nearest":
            source_x, source_y = torch.round(source_x), torch.round(source_y)
            mode = "nearest"
        if self.fill_mode == "wrap":
            return _sample_wrapped(images, source_x, source_y, mode)
        fill_mode = self.fill_mode
        if fill_mode == "mirror":
            height, width = images.shape[-2:]
            source_x, source_y = _fold(source_x, width), _fold(source_y, height)
            fill_mode = "nearest"
        return _sample(images, source_x, source_y, mode, fill_mode, self.fill_value)

    def get_config(self) -> dict[str, Any]:
        config = {
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
        }
        return {**super().get_config(), **config}


def _fold(coordinate: torch.Tensor, size: int) -> torch.Tensor:
    """Mirrors coordinates about the first and last pixel centres."""
    if size == 1:
        return torch.zeros_like(coordinate)
    period = 2 * (size - 1)
    folded = torch.remainder(coordinate, period)
    return torch.where(folded > size - 1, period - folded, folded)
