"""`RandomErasing`: overwrites a random box of some images in training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image._boxes import box_mask
from lamina.layers.preprocessing.image._boxes import expand_mask
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.random.seed_generator import seeded


class RandomErasing(BaseRandomImageLayer):
    """Fills a random box of each image with noise or a constant, at random.

    For each image a probability `p` is drawn from the factor's range and the
    image is erased with probability `p`. The box's width and height are
    `sqrt(s)` of the image's, with `s` drawn per axis from `scale`
    ([Zhong et al. 2017](https://arxiv.org/abs/1708.04896)). It is filled
    with `fill_value`, or with Gaussian noise times `value_range[1]` when
    `fill_value` is `None`, clipped to `value_range`. Outside training the
    images pass through (as floats).

    Args:
        factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair: the erasing
            probability. Defaults to `1.0`.
        scale: A float `s` in `[0, 1]` for `(0, s)`, or a pair: the range of
            each side's squared fraction. Defaults to `(0.02, 0.33)`.
        fill_value: `None` (noise), a number, or one number per channel
            (three). Defaults to `None`.
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
        training: Whether to erase. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomErasing((1.0, 1.0), scale=(1.0, 1.0), fill_value=0.0)
    >>> layer(torch.ones(2, 4, 4, 3)).sum().item()
    0.0
    """

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float | tuple[float, float] = (0.02, 0.33),
        fill_value: float | tuple[float, float, float] | None = None,
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomErasing", "factor", factor, (0, 1))
        scale = factor_range("RandomErasing", "scale", scale, (0, 1))
        _check_fill_value(fill_value)
        check_value_range("RandomErasing", value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.scale = scale
        self.fill_value = fill_value
        self.value_range = value_range

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"apply_erasing": (batch,), "batch_masks": images' shape bool,
        "fill_value": images' shape}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        batch_size = images.shape[0]
        height, width = self._spatial_size(images)
        with seeded(self.generator if seed is None else seed, images.device) as device:
            sides = torch.rand(batch_size, 2, device=device)
            sides = torch.sqrt(sides * (self.scale[1] - self.scale[0]) + self.scale[0])
            x0 = torch.rand(batch_size, device=device) * (width - sides[:, 0] * width)
            y0 = torch.rand(batch_size, device=device) * (height - sides[:, 1] * height)
            low, high = self.factor
            probability = torch.rand(batch_size, device=device) * (high - low) + low
            threshold = torch.rand(batch_size, device=device)
            noise = torch.randn(images.shape, device=device)
        x1, y1 = x0 + sides[:, 0] * width, y0 + sides[:, 1] * height
        channel_axis = -1 if self.data_format == "channels_last" else 1
        mask = box_mask(x0, x1, y0, y1, height, width)  # (batch, height, width)
        return {
            "apply_erasing": threshold < probability,
            "batch_masks": expand_mask(
                mask, images.shape[channel_axis], self.data_format
            ),
            "fill_value": self._fill(noise),
        }

    def _fill(self, noise: torch.Tensor) -> torch.Tensor:
        """The values written in the box, clipped to `value_range`."""
        if self.fill_value is None:
            fill = noise * self.value_range[1]
        elif isinstance(self.fill_value, (tuple, list)):
            shape = (
                (1, 1, 1, 3) if self.data_format == "channels_last" else (1, 3, 1, 1)
            )
            values = torch.tensor(
                self.fill_value, dtype=noise.dtype, device=noise.device
            )
            fill = values.reshape(shape).expand(noise.shape)
        else:
            fill = torch.full_like(noise, float(self.fill_value))
        return fill.clamp(self.value_range[0], self.value_range[1])

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        masks = transformation["batch_masks"].to(images.device)
        fill = transformation["fill_value"].to(images)
        erased = torch.where(masks, fill, images)
        apply = transformation["apply_erasing"].to(images.device).reshape(-1, 1, 1, 1)
        return torch.where(apply, erased, images)

    def get_config(self) -> dict[str, Any]:
        config = {
            "factor": self.factor,
            "scale": self.scale,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
        }
        return {**super().get_config(), **config}


def _check_fill_value(fill_value: Any) -> None:
    def is_number(value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    if fill_value is None or is_number(fill_value):
        return
    if isinstance(fill_value, (tuple, list)) and len(fill_value) == 3:
        if all(is_number(value) for value in fill_value):
            return
    raise ValueError(
        f"RandomErasing expected fill_value to be None (Gaussian noise), a "
        f"number, or a list of three numbers (one per channel), but received "
        f"fill_value={fill_value!r}."
    )
