"""`AlphaDropout`: dropout that keeps SELU's self-normalizing statistics."""

from typing import Any

import torch

from lamina.layers.layer import Layer

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Dropout for SELU networks: keeps the inputs' mean and variance.

    Dropped values are set to SELU's negative saturation value
    `-alpha * scale`, then an affine map `a * x + b` restores the original
    mean and variance (Klambauer et al., 2017,
    https://arxiv.org/abs/1706.02515). Outside training it passes inputs
    through.

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
    >>> AlphaDropout(0.2)(torch.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(
        self,
        rate: float,
        noise_shape: tuple[int | None, ...] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or not (0 <= rate < 1)
        ):
            raise ValueError(
                f"AlphaDropout expected rate to be a float in [0, 1), but "
                f"received rate={rate!r}."
            )
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        keep = torch.empty(
            self._noise_shape(inputs), device=inputs.device, dtype=inputs.dtype
        )
        keep.bernoulli_(1 - self.rate)  # 1 keeps, 0 drops; broadcast on inputs
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        dropped = inputs * keep + alpha_p * (1 - keep)
        return a * dropped + b

    def _noise_shape(self, inputs: torch.Tensor) -> tuple[int, ...]:
        if self.noise_shape is None:
            return tuple(inputs.shape)
        return tuple(
            size if wanted is None else wanted
            for size, wanted in zip(inputs.shape, self.noise_shape, strict=True)
        )

    def get_config(self) -> dict[str, Any]:
        config = {"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}
        return {**super().get_config(), **config}
