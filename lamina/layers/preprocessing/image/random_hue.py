"""`RandomHue`: turns each image's hue by a random amount during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.ops.image import hsv_to_rgb
from lamina.ops.image import rgb_to_hsv


class RandomHue(BaseRandomImageLayer):
    """Shifts the hue of each RGB image by a random amount during training.

    For each image an amount `h` is drawn uniformly from the factor's range
    and given a random sign; the hue (in `[0, 1]`, a full turn of the colour
    wheel) moves by `h / 2`. Outside training the images pass through.

    Args:
        factor: A float `f` in `[0, 1]`, read as `(0, f)`, or a pair
            `(lower, upper)`. `1.0` allows shifts of up to half a turn.
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, 3)` or one RGB image (transposed for
        `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to shift the hue. Defaults to `True`, as in Keras;
            a model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomHue(0.5, value_range=(0, 1))
    >>> tuple(layer(torch.rand(2, 4, 4, 3)).shape)
    (2, 4, 4, 3)
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomHue", "factor", factor, (0, 1))
        check_value_range("RandomHue", value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.value_range = value_range

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"factor": (batch,)}`: the hue shifts, in turns."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        batch_size = images.shape[0]
        sign = torch.where(
            self._uniform((batch_size,), 0.0, 1.0, images, seed) > 0.5, -1.0, 1.0
        )
        amount = self._uniform((batch_size,), *self.factor, images, seed)
        return {"factor": sign * amount * 0.5}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        self._check_channels(images, (3,))
        low, high = self.value_range
        images = (self._to_compute_dtype(images) - low) / (high - low)  # to [0, 1]
        shift = transformation["factor"].to(images).reshape(-1, 1, 1)  # (B, 1, 1)
        channel_axis = -1 if self.data_format == "channels_last" else 1
        hue, saturation, value = rgb_to_hsv(images, self.data_format).unbind(
            channel_axis
        )  # each (batch, height, width)
        hue = hue + shift
        hue = torch.where(hue > 1.0, hue - 1.0, hue)
        hue = torch.where(hue < 0.0, hue + 1.0, hue)
        hsv = torch.stack([hue, saturation, value], dim=channel_axis)
        rgb = hsv_to_rgb(hsv, self.data_format).clamp(0.0, 1.0)
        return rgb * (high - low) + low

    def get_config(self) -> dict[str, Any]:
        config = {"factor": self.factor, "value_range": self.value_range}
        return {**super().get_config(), **config}
