"""`Solarization`: inverts the pixels above a threshold during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._value_range import rescale_values
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)


class Solarization(BaseRandomImageLayer):
    """Adds a random offset, then inverts the pixels at or above a threshold.

    Working in `[0, 255]`, each image gets an offset `a` and a threshold `t`
    drawn as Keras draws them: uniform in `[lower, upper * 255]` of
    `addition_factor` and `threshold_factor`. The image becomes
    `y = clip(x + a, 0, 255)`, then `255 - y` wherever `y >= t`, mapped back
    to `value_range`. With both factors `0` every pixel is inverted. Outside
    training the images pass through (as floats).

    Args:
        addition_factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair.
            Defaults to `0.0`.
        threshold_factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair.
            Defaults to `0.0`.
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, `data_format`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to solarize. Defaults to `True`, as in Keras; a
            model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = Solarization(value_range=(0, 1))
    >>> layer(torch.tensor([[[0.25], [1.0]]]))[..., 0].tolist()
    [[0.75, 0.0]]
    """

    def __init__(
        self,
        addition_factor: float | tuple[float, float] = 0.0,
        threshold_factor: float | tuple[float, float] = 0.0,
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        addition_factor = _unit_range("addition_factor", addition_factor)
        threshold_factor = _unit_range("threshold_factor", threshold_factor)
        check_value_range("Solarization", value_range)
        super().__init__(seed=seed, **kwargs)
        self.addition_factor = addition_factor
        self.threshold_factor = threshold_factor
        self.value_range = sorted(value_range)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"additions": (batch, 1, 1, 1), "thresholds": (batch, 1, 1, 1)}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        shape = (images.shape[0], 1, 1, 1)
        low, high = self.addition_factor
        additions = self._uniform(shape, low, high * 255, images, seed)
        low, high = self.threshold_factor
        thresholds = self._uniform(shape, low, high * 255, images, seed)
        return {"additions": additions, "thresholds": thresholds}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        additions = transformation["additions"].to(images).reshape(-1, 1, 1, 1)
        thresholds = transformation["thresholds"].to(images).reshape(-1, 1, 1, 1)
        pixels = rescale_values(images, self.value_range, (0, 255))
        pixels = (pixels + additions).clamp(0, 255)
        pixels = torch.where(pixels < thresholds, pixels, 255 - pixels)
        return rescale_values(pixels, (0, 255), self.value_range)

    def get_config(self) -> dict[str, Any]:
        config = {
            "value_range": self.value_range,
            "addition_factor": self.addition_factor,
            "threshold_factor": self.threshold_factor,
        }
        return {**super().get_config(), **config}


def _unit_range(argument: str, factor: Any) -> tuple[float, float]:
    """A number `f` means `(0, f)`; a pair is sorted. Every value in `[0, 1]`."""
    is_pair = isinstance(factor, (tuple, list))
    values = list(factor) if is_pair else [factor]
    valid = (not is_pair or len(values) == 2) and all(
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and 0 <= value <= 1
        for value in values
    )
    if not valid:
        raise ValueError(
            f"Solarization expected {argument} to be a number or a pair of "
            f"numbers in [0, 1], but received {argument}={factor!r}."
        )
    if is_pair:
        lower, upper = sorted(values)
        return lower, upper
    return 0, factor
