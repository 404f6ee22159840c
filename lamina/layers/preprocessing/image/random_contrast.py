"""`RandomContrast`: scales each image's contrast at random during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)


class RandomContrast(BaseRandomImageLayer):
    """Scales the contrast of each image by a random factor during training.

    For each image a factor `c` is drawn uniformly in
    `[1 - lower, 1 + upper]`; every channel becomes
    `(x - mean) * c + mean`, with `mean` the channel's mean over the image,
    and is clipped to `value_range`. Outside training the images pass
    through.

    Args:
        factor: A float `f` in `[0, 1]`, read as `(0, f)` (Keras's rule, so
            `c` lies in `[1, 1 + f]`), or a pair `(lower, upper)`.
        value_range: `(low, high)` range of the pixel values, used to clip.
            Defaults to `(0, 255)`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, `data_format`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        (transposed for `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to change the contrast. Defaults to `True`, as in
            Keras; a model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomContrast((0.0, 0.0), value_range=(0, 1))
    >>> layer(torch.tensor([[[0.25], [0.75]]]))[..., 0].tolist()
    [[0.25, 0.75]]
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomContrast", "factor", factor, (0, 1))
        check_value_range("RandomContrast", value_range)
        super().__init__(seed=seed, **kwargs)
        self.factor = factor
        self.value_range = value_range

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"contrast_factor": (batch, 1, 1, 1)}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        lower, upper = self.factor
        shape = (images.shape[0], 1, 1, 1)
        factor = self._uniform(shape, 1.0 - lower, 1.0 + upper, images, seed)
        return {"contrast_factor": factor.to(self._dtype)}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        images = self._to_compute_dtype(images)
        spatial = (1, 2) if self.data_format == "channels_last" else (2, 3)
        mean = images.mean(dim=spatial, keepdim=True)  # (batch, 1, 1, channels)
        factor = transformation["contrast_factor"].to(images).reshape(-1, 1, 1, 1)
        outputs = (images - mean) * factor + mean
        return outputs.clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        config = {"factor": self.factor, "value_range": self.value_range}
        return {**super().get_config(), **config}
