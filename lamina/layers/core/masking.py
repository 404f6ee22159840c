"""`Masking`: marks timesteps that hold only a padding value."""

from typing import Any

import torch

from lamina.layers.layer import Layer


class Masking(Layer):
    """Masks timesteps whose features all equal `mask_value`.

    A timestep is kept when any of its features differs from `mask_value`.
    Masked timesteps are zeroed, and the mask `(batch, timesteps)` is passed
    to later layers that support masking (RNNs, pooling, attention).

    Args:
        mask_value: The padding value. Defaults to `0.0`.

    Input shape:
        `(batch, timesteps, features)` (any rank of at least 2).

    Output shape:
        Same as the input.

    Example:
    >>> x = torch.tensor([[[1.0, 2.0], [0.0, 0.0]]])
    >>> Masking()(x)._keras_mask.tolist()
    [[True, False]]
    """

    def __init__(self, mask_value: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs: torch.Tensor, mask: Any = None) -> torch.Tensor:
        return (inputs != self.mask_value).any(dim=-1)  # (batch, timesteps)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)  # (..., 1)
        return torch.where(keep, inputs, torch.zeros_like(inputs))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mask_value": self.mask_value}
