"""`RandomPosterization`: keeps only the top bits of each pixel in training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image._value_range import rescale_values
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)

_MAX_BITS = 8


class RandomPosterization(BaseRandomImageLayer):
    """Reduces each image to `bits` bits per channel during training.

    The pixels are mapped to `[0, 255]`, truncated to 8-bit integers, and
    their low `8 - bits` bits cleared, then mapped back to `value_range`.
    `bits` is drawn per image as an integer in `[lower, upper)` (Keras's
    `randint` rule), or is `lower` when both ends are equal. Outside training
    the images pass through.

    Args:
        factor: An integer `b` in `[1, 8]` for the range `(1, b)`, or a pair
            `(lower, upper)`.
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
        training: Whether to posterize. Defaults to `True`, as in Keras; a
            model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomPosterization((2, 2))
    >>> layer(torch.tensor([[[100.0], [200.0]]]))[..., 0].tolist()
    [[64.0, 192.0]]
    """

    def __init__(
        self,
        factor: int | tuple[int, int],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomPosterization", "factor", factor, (1, _MAX_BITS))
        check_value_range("RandomPosterization", value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.value_range = sorted(value_range)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"shift_factor": (batch,) uint8}`: the low bits to clear, `8 - bits`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        lower, upper = self.factor
        draws = self._uniform((images.shape[0],), lower, upper, images, seed)
        bits = torch.floor(draws) if lower != upper else torch.full_like(draws, lower)
        return {"shift_factor": (_MAX_BITS - bits).to(torch.uint8)}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        shift = transformation["shift_factor"].to(images.device, torch.uint8)
        shift = shift.reshape(-1, 1, 1, 1)
        pixels = rescale_values(
            self._to_compute_dtype(images), self.value_range, (0, 255)
        )
        pixels = pixels.to(torch.uint8)
        pixels = torch.bitwise_left_shift(
            torch.bitwise_right_shift(pixels, shift), shift
        )
        pixels = pixels.to(self._dtype)
        return rescale_values(pixels, (0, 255), self.value_range)

    def get_config(self) -> dict[str, Any]:
        config = {"factor": self.factor, "value_range": self.value_range}
        return {**super().get_config(), **config}
