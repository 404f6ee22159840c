"""Private: the operations `RandAugment` and `AugMix` choose from.

Both layers hold one instance of each operation, named as Keras names the
attributes (`random_shear`, ..., `equalization`), so their transformation
dicts key the same way.
"""

from typing import Any

from lamina.layers.preprocessing.image.auto_contrast import AutoContrast
from lamina.layers.preprocessing.image.equalization import Equalization
from lamina.layers.preprocessing.image.random_brightness import RandomBrightness
from lamina.layers.preprocessing.image.random_color_degeneration import (
    RandomColorDegeneration,
)
from lamina.layers.preprocessing.image.random_contrast import RandomContrast
from lamina.layers.preprocessing.image.random_posterization import RandomPosterization
from lamina.layers.preprocessing.image.random_rotation import RandomRotation
from lamina.layers.preprocessing.image.random_sharpness import RandomSharpness
from lamina.layers.preprocessing.image.random_shear import RandomShear
from lamina.layers.preprocessing.image.random_translation import RandomTranslation
from lamina.layers.preprocessing.image.solarization import Solarization

GEOMETRIC_AND_TONAL = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
)
COLOR = (
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
)


def build_operations(
    names: tuple[str, ...],
    factor: tuple[float, float],
    value_range: Any,
    interpolation: str,
    seed: int | None,
    data_format: str,
) -> dict[str, Any]:
    """One layer per name, each reading `factor` as Keras's RandAugment does."""
    colour = {"value_range": value_range, "seed": seed, "data_format": data_format}
    warp = {"interpolation": interpolation, "seed": seed, "data_format": data_format}
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor, **warp),
        "random_translation": lambda: RandomTranslation(
            height_factor=factor, width_factor=factor, **warp
        ),
        "random_rotation": lambda: RandomRotation(factor=factor, **warp),
        "random_brightness": lambda: RandomBrightness(factor=factor, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(
            factor=factor, **colour
        ),
        "random_contrast": lambda: RandomContrast(factor=factor, **colour),
        "random_sharpness": lambda: RandomSharpness(factor=factor, **colour),
        "random_posterization": lambda: RandomPosterization(
            factor=max(1, int(8 * factor[1])), **colour
        ),
        "solarization": lambda: Solarization(
            addition_factor=factor, threshold_factor=factor, **colour
        ),
        "auto_contrast": lambda: AutoContrast(
            value_range=value_range, data_format=data_format
        ),
        "equalization": lambda: Equalization(
            value_range=value_range, data_format=data_format
        ),
    }
    return {name: makers[name]() for name in names}
