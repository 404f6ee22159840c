"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import scaled_keep_mask


class _SpatialDropout(Layer):
    """Drops whole channels: one keep/drop draw per (sample, channel)."""

    _rank = 3  # rank of the input, batch axis included

    def __init__(
        self,
        rate: float,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or not (0 <= rate < 1)
        ):
            raise ValueError(
                f"{type(self).__name__} expected rate to be a float in [0, 1), "
                f"but received rate={rate!r}."
            )
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.seed = seed
        self.data_format = standardize_data_format(data_format)
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if inputs.ndim != self._rank:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expects inputs of "
                f"rank {self._rank} (batch axis included), but received input "
                f"shape {(None, *inputs.shape[1:])}."
            )
        if not training or self.rate == 0:
            return inputs
        shape = self._noise_shape(
            inputs
        )  # (batch, 1.., channels) or (batch, channels, 1..)
        return inputs * scaled_keep_mask(shape, self.rate, inputs)

    def _noise_shape(self, inputs: torch.Tensor) -> tuple[int, ...]:
        ones = (1,) * (inputs.ndim - 2)
        if self.data_format == "channels_first":
            return (inputs.shape[0], inputs.shape[1], *ones)
        return (inputs.shape[0], *ones, inputs.shape[-1])

    def get_config(self) -> dict[str, Any]:
        # Keras writes exactly these keys for spatial dropout.
        return {
            "rate": self.rate,
            "seed": self.seed,
            "name": self.name,
            "dtype": self.dtype,
        }


class SpatialDropout1D(_SpatialDropout):
    """Drops whole 1D feature maps (channels) during training.

    Like `Dropout`, but one draw per sample and channel is shared by all
    timesteps (noise shape `(batch, 1, channels)`), so strongly correlated
    neighbouring steps are dropped together. Kept values are scaled by
    `1 / (1 - rate)`; outside training the layer passes inputs through.

    Args:
        rate: Float in [0, 1), fraction of channels to drop.
        seed: Accepted for Keras compatibility; use
            `lamina.utils.set_random_seed` for reproducible masks.

    Input shape:
        `(batch, steps, channels)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to drop (`True`) or pass through.

    Example:
    >>> tuple(SpatialDropout1D(0.2)(torch.ones(2, 3, 4)).shape)
    (2, 3, 4)
    """

    _rank = 3

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(rate, seed=seed, data_format="channels_last", **kwargs)


class SpatialDropout2D(_SpatialDropout):
    """Drops whole 2D feature maps (channels) during training.

    Args:
        rate: Float in [0, 1), fraction of channels to drop.
        data_format: `"channels_last"` (`(batch, rows, cols, channels)`) or
            `"channels_first"`. Defaults to the global `image_data_format()`.
        seed: Accepted for Keras compatibility.

    Input shape:
        `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to drop (`True`) or pass through.

    Example:
    >>> tuple(SpatialDropout2D(0.5)(torch.ones(2, 5, 5, 3), training=True).shape)
    (2, 5, 5, 3)
    """

    _rank = 4

    def __init__(
        self,
        rate: float,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(rate, seed=seed, data_format=data_format, **kwargs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout3D(SpatialDropout2D):
    """Drops whole 3D feature maps (channels) during training.

    Args:
        rate: Float in [0, 1), fraction of channels to drop.
        data_format: `"channels_last"` (`(batch, d1, d2, d3, channels)`) or
            `"channels_first"`. Defaults to the global `image_data_format()`.
        seed: Accepted for Keras compatibility.

    Input shape:
        `(batch, d1, d2, d3, channels)` or `(batch, channels, d1, d2, d3)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to drop (`True`) or pass through.

    Example:
    >>> tuple(SpatialDropout3D(0.5)(torch.ones(1, 2, 2, 2, 3)).shape)
    (1, 2, 2, 2, 3)
    """

    _rank = 5
