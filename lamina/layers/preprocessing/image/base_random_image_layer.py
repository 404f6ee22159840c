"""`BaseRandomImageLayer`: the `seed` and random draws of the augmentations."""

from typing import Any

import torch

from lamina.layers.preprocessing.image.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from lamina.random.seed_generator import SeedGenerator
from lamina.random.seed_generator import seeded


class BaseRandomImageLayer(BaseImagePreprocessingLayer):
    """Base of the random image layers: their `seed` and the draws made from it.

    With `seed=None` the draws come from torch's global generator, on the
    images' device and without a host sync (`lamina.utils.set_random_seed`
    makes runs repeat). With an integer seed the layer owns a
    `SeedGenerator`, so its sequence of draws repeats in every run whatever
    else draws random numbers, as Keras's `seed` does; those seeded draws
    cannot be traced by `torch.compile`, so `compile(jit_compile=True)` then
    trains the model eagerly (with a warning).

    Args:
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).
    """

    def __init__(
        self, seed: int | None = None, data_format: str | None = None, **kwargs: Any
    ) -> None:
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(
                f"{type(self).__name__} expected seed to be an integer or None, "
                f"but received seed={seed!r} of type {type(seed).__name__}."
            )
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = None if seed is None else SeedGenerator(seed)

    def _skips_draws(self, images: torch.Tensor, training: bool) -> bool:
        """No draws outside training, nor during shape inference (`meta`)."""
        return not training or images.device.type == "meta"

    def _uniform(
        self,
        shape: tuple[int, ...],
        minval: float,
        maxval: float,
        images: torch.Tensor,
        seed: Any = None,
    ) -> torch.Tensor:
        """Float32 draws uniform in `[minval, maxval)` on the images' device."""
        source = self.generator if seed is None else seed
        with seeded(source, images.device) as device:
            values = torch.rand(shape, device=device)
        return values * (maxval - minval) + minval

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed}
