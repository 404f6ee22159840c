"""`RandomInvert`: inverts the pixel values of some images during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)


class RandomInvert(BaseRandomImageLayer):
    """Replaces some images `x` by `high - x` during training.

    For each image a probability `p` is drawn uniformly from the factor's
    range and the image is inverted with probability `p`, becoming
    `value_range[1] - x` (Keras's rule). Outside training the images pass
    through.

    Args:
        factor: A float `f` in `[0, 1]` for the range `[0, f]`, or a pair
            `(lower, upper)`. Defaults to `1.0`.
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        (transposed for `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to invert. Defaults to `True`, as in Keras; a
            model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomInvert((1.0, 1.0), value_range=(0, 1))
    >>> layer(torch.tensor([[[0.25], [1.0]]]))[..., 0].tolist()
    [[0.75, 0.0]]
    """

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomInvert", "factor", factor, (0, 1))
        check_value_range("RandomInvert", value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.value_range = value_range

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"apply_inversion": (batch,) bool}`: which images are inverted."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        shape = (images.shape[0],)
        probability = self._uniform(shape, *self.factor, images, seed)
        threshold = self._uniform(shape, 0.0, 1.0, images, seed)
        return {"apply_inversion": threshold < probability}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        images = self._to_compute_dtype(images)
        apply = transformation["apply_inversion"].to(images.device).reshape(-1, 1, 1, 1)
        return torch.where(apply, self.value_range[1] - images, images)

    def get_config(self) -> dict[str, Any]:
        config = {"factor": self.factor, "value_range": self.value_range}
        return {**super().get_config(), **config}
