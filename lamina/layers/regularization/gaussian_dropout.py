"""`GaussianDropout`: multiplies inputs by Gaussian noise centred on 1."""

import math
from typing import Any

import torch

from lamina.layers.layer import Layer


class GaussianDropout(Layer):
    """Multiplies inputs by noise from `N(1, rate / (1 - rate))` in training.

    Args:
        rate: Float in [0, 1), the drop probability of the equivalent
            `Dropout`; the noise has standard deviation
            `sqrt(rate / (1 - rate))`.
        seed: Accepted for Keras compatibility; use
            `lamina.utils.set_random_seed` for reproducible noise.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to apply noise (`True`) or pass through.

    Example:
    >>> GaussianDropout(0.2)(torch.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or not (0 <= rate < 1)
        ):
            raise ValueError(
                f"GaussianDropout expected rate to be a float in [0, 1), but "
                f"received rate={rate!r}."
            )
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        return inputs * (1.0 + torch.randn_like(inputs) * stddev)

    def get_config(self) -> dict[str, Any]:
        config = {"rate": self.rate, "seed": self.seed}
        return {**super().get_config(), **config}
