"""`RandomSharpness`: sharpens or softens each image at random in training."""

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)

# The smoothing filter of PIL's ImageEnhance.Sharpness (centre 5, ring 1).
_SMOOTH = torch.tensor([[1.0, 1.0, 1.0], [1.0, 5.0, 1.0], [1.0, 1.0, 1.0]]) / 13.0


class RandomSharpness(BaseRandomImageLayer):
    """Blends each image with a smoothed copy by a random amount in training.

    For each image `f` is drawn uniformly from the factor's range and the
    image becomes `x + (1 - 2 f) * (smooth(x) - x)`, clipped to
    `value_range`: `f = 0` gives the smoothed image, `0.5` the original and
    `1` a sharpened one. `smooth` is a 3x3 filter with zero padding. Outside
    training the images pass through (as floats).

    Args:
        factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair.
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to change the sharpness. Defaults to `True`, as in
            Keras; a model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomSharpness((0.5, 0.5), value_range=(0, 1))
    >>> layer(torch.full((1, 3, 3, 1), 0.5))[0, 1, 1].tolist()
    [0.5]
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomSharpness", "factor", factor, (0, 1))
        check_value_range("RandomSharpness", value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.value_range = sorted(value_range)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"factor": (batch,)}`: the sharpness factors."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        return {"factor": self._uniform((images.shape[0],), *self.factor, images, seed)}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        if self.data_format == "channels_last":
            images = images.permute(0, 3, 1, 2)  # (batch, channels, height, width)
        channels = images.shape[1]
        kernel = _SMOOTH.to(images).expand(channels, 1, 3, 3)
        smooth = F.conv2d(images, kernel, padding=1, groups=channels)
        blend = 1.0 - 2.0 * transformation["factor"].to(images).reshape(-1, 1, 1, 1)
        images = (images + blend * (smooth - images)).clamp(*self.value_range)
        if self.data_format == "channels_last":
            images = images.permute(0, 2, 3, 1)  # (batch, height, width, channels)
        return images

    def get_config(self) -> dict[str, Any]:
        config = {"factor": self.factor, "value_range": self.value_range}
        return {**super().get_config(), **config}
