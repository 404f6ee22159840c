"""`RandomSaturation`: scales each image's saturation at random in training."""

from typing import Any

import torch

from lamina.backend.config import epsilon
from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.ops.image import hsv_to_rgb
from lamina.ops.image import rgb_to_hsv


class RandomSaturation(BaseRandomImageLayer):
    """Scales the saturation of each RGB image by a random factor in training.

    For each image `f` is drawn uniformly from the factor's range and the
    saturation is multiplied by `f / (1 - f)` (so `f = 0.5` keeps it, `0`
    gives grey, values near `1` saturate fully), then clipped to
    `value_range`, as Keras does. Outside training the images pass through.

    Args:
        factor: A float `f` in `[-1, 1]`, read as `(-|f|, |f|)` (Keras's
            rule), or a pair `(lower, upper)`.
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
        training: Whether to change the saturation. Defaults to `True`, as in
            Keras; a model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomSaturation((0.0, 0.0), value_range=(0, 1))
    >>> layer(torch.tensor([[[1.0, 0.5, 0.0]]])).tolist()
    [[[1.0, 1.0, 1.0]]]
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomSaturation", "factor", factor, (-1, 1))
        check_value_range("RandomSaturation", value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.value_range = sorted(value_range)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"factor": (batch,)}`: the saturation multipliers."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        draws = self._uniform((images.shape[0],), *self.factor, images, seed)
        return {"factor": draws / (1.0 - draws + epsilon())}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        self._check_channels(images, (3,))
        images = self._to_compute_dtype(images)
        scale = transformation["factor"].to(images).reshape(-1, 1, 1)  # (B, 1, 1)
        channel_axis = -1 if self.data_format == "channels_last" else 1
        hue, saturation, value = rgb_to_hsv(images, self.data_format).unbind(
            channel_axis
        )  # each (batch, height, width)
        saturation = (saturation * scale).clamp(
            self.value_range[0], self.value_range[1]
        )
        hsv = torch.stack([hue, saturation, value], dim=channel_axis)
        return hsv_to_rgb(hsv, self.data_format)

    def get_config(self) -> dict[str, Any]:
        config = {"factor": self.factor, "value_range": self.value_range}
        return {**super().get_config(), **config}
