"""`GaussianNoise`: adds zero-centred Gaussian noise during training."""

from typing import Any

import torch

from lamina.layers.layer import Layer


class GaussianNoise(Layer):
    """Adds noise drawn from `N(0, stddev**2)` during training.

    A regularizer against overfitting and a form of data augmentation for
    real-valued inputs; outside training the layer passes inputs through.

    Args:
        stddev: Float, standard deviation of the noise.
        seed: Accepted for Keras compatibility; use
            `lamina.utils.set_random_seed` for reproducible noise.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to add noise (`True`) or pass through.

    Example:
    >>> GaussianNoise(0.1)(torch.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any) -> None:
        if (
            isinstance(stddev, bool)
            or not isinstance(stddev, (int, float))
            or (stddev < 0)
        ):
            raise ValueError(
                f"GaussianNoise expected stddev to be a float >= 0, but received "
                f"stddev={stddev!r}."
            )
        super().__init__(**kwargs)
        self.stddev = float(stddev)
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.stddev == 0:
            return inputs
        return inputs + torch.randn_like(inputs) * self.stddev

    def get_config(self) -> dict[str, Any]:
        config = {"stddev": self.stddev, "seed": self.seed}
        return {**super().get_config(), **config}
