"""`RandomColorDegeneration`: fades each image towards grey at random."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.ops.image import rgb_to_grayscale


class RandomColorDegeneration(BaseRandomImageLayer):
    """Blends each RGB image with its grey version by a random amount.

    For each image `f` is drawn uniformly from the factor's range and the
    image becomes `x + f * (grey(x) - x)`, clipped to `value_range`: `0`
    keeps the colours, `1` gives the grey image. Outside training the
    images pass through.

    Args:
        factor: A float `f` in `[-1, 1]` for `(-|f|, |f|)`, or a pair.
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
        training: Whether to fade the colours. Defaults to `True`, as in
            Keras; a model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomColorDegeneration((1.0, 1.0), value_range=(0, 1))
    >>> [round(v, 4) for v in layer(torch.tensor([[[1.0, 0.0, 0.0]]]))[0, 0].tolist()]
    [0.2989, 0.2989, 0.2989]
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomColorDegeneration", "factor", factor, (-1, 1))
        check_value_range("RandomColorDegeneration", value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.value_range = sorted(value_range)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"factor": (batch, 1, 1, 1)}`: how far each image fades to grey."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        shape = (images.shape[0], 1, 1, 1)
        return {"factor": self._uniform(shape, *self.factor, images, seed)}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        self._check_channels(images, (3,))
        images = self._to_compute_dtype(images)
        gray = rgb_to_grayscale(images, data_format=self.data_format)  # 1 channel
        factor = transformation["factor"].to(images).reshape(-1, 1, 1, 1)
        return (images + factor * (gray - images)).clamp(*self.value_range)

    def get_config(self) -> dict[str, Any]:
        config = {"factor": self.factor, "value_range": self.value_range}
        return {**super().get_config(), **config}
