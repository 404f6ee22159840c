"""`RandomBrightness`: shifts each image's brightness at random in training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)


class RandomBrightness(BaseRandomImageLayer):
    """Adds a random brightness offset to each image during training.

    For each image a fraction `b` is drawn uniformly from the factor's range;
    the image becomes `x + b * (high - low)`, clipped to `value_range =
    (low, high)`. `b = -1` gives a black image, `b = 1` a white one. Outside
    training the images pass through.

    Args:
        factor: A float `f` in `[-1, 1]` for `[-|f|, |f|]`, or a pair
            `(lower, upper)`.
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, `data_format`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        (transposed for `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to change the brightness. Defaults to `True`, as
            in Keras; a model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomBrightness((0.5, 0.5), value_range=(0, 1))
    >>> layer(torch.tensor([[[0.25], [0.75]]]))[..., 0].tolist()
    [[0.75, 1.0]]
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomBrightness", "factor", factor, (-1, 1))
        check_value_range("RandomBrightness", value_range)
        super().__init__(seed=seed, **kwargs)
        self.factor = factor
        self.value_range = sorted(value_range)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"rgb_delta": (batch, 1, 1, 1)}`, the offsets in pixel units."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        low, high = self.value_range
        shape = (images.shape[0], 1, 1, 1)
        delta = self._uniform(shape, *self.factor, images, seed)
        return {"rgb_delta": delta * (high - low)}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        images = self._to_compute_dtype(images)
        delta = transformation["rgb_delta"].to(images).reshape(-1, 1, 1, 1)
        return (images + delta).clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        config = {"factor": self.factor, "value_range": self.value_range}
        return {**super().get_config(), **config}
