"""`Dropout`: zeroes random inputs during training."""

from typing import Any

import torch

from lamina.layers.layer import Layer


class Dropout(Layer):
    """Sets a random fraction `rate` of inputs to 0 during training.

    The kept inputs are scaled by `1 / (1 - rate)` so the expected sum is
    unchanged; outside training the layer passes inputs through.

    Args:
        rate: Float in [0, 1), fraction of inputs to drop.
        noise_shape: Shape of the drop mask, broadcast against the input;
            `None` entries take the input's size. Defaults to `None`.
        seed: Accepted for Keras compatibility; use
            `lamina.utils.set_random_seed` for reproducible masks.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to drop (`True`) or pass through.

    Example:
    >>> Dropout(0.5)(torch.ones(4)).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """

    def __init__(
        self,
        rate: float,
        noise_shape: tuple[int | None, ...] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(
                f"Dropout expected rate to be a float in [0, 1), but received "
                f"rate={rate!r}."
            )
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        if self.noise_shape is None:
            return torch.nn.functional.dropout(inputs, self.rate, training=True)
        shape = [
            size if wanted is None else wanted
            for size, wanted in zip(inputs.shape, self.noise_shape, strict=True)
        ]
        keep = torch.empty(shape, device=inputs.device, dtype=inputs.dtype)
        keep.bernoulli_(1 - self.rate)
        return inputs * keep / (1 - self.rate)  # broadcast over the input

    def get_config(self) -> dict[str, Any]:
        config = {"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}
        return {**super().get_config(), **config}
