"""`GlobalAveragePooling1D`: mean over all steps of steps."""

from typing import Any

import torch

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Takes the mean over all steps of steps, per channel.

    Masked steps (from `Masking` or `Embedding(mask_zero=True)`) are left
    out of the mean.

    Args:
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        keepdims: Whether to keep the steps with size 1. Defaults to
            `False`.

    Input shape:
        `(batch, steps, channels)`, or with `channels_first`
        `(batch, channels, steps)`.

    Output shape:
        `(batch, channels)`; with `keepdims=True` the input's rank with each
        spatial size 1.

    Call arguments:
        inputs: The input tensor.
        mask: Optional `(batch, steps)` boolean mask; `False` steps are left
            out of the mean.

    Example:
    >>> tuple(GlobalAveragePooling1D()(torch.ones(2, 6, 3)).shape)
    (2, 3)
    """

    def __init__(
        self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(
        self, inputs: torch.Tensor, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        if mask is None:
            return super().call(inputs)
        step_axis = 1 if self.data_format == "channels_last" else 2
        weights = mask.unsqueeze(3 - step_axis).to(inputs.dtype)  # broadcastable
        total = (inputs * weights).sum(dim=step_axis, keepdim=self.keepdims)
        count = weights.sum(dim=step_axis, keepdim=self.keepdims)
        return total / count  # (batch, channels)

    def compute_mask(self, inputs: torch.Tensor, mask: Any = None) -> None:
        return None

    def reduce(self, inputs: torch.Tensor, axes: tuple[int, ...]) -> torch.Tensor:
        return torch.mean(inputs, dim=axes, keepdim=self.keepdims)  # (batch, channels)
