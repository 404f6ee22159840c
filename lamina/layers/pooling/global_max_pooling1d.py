"""`GlobalMaxPooling1D`: maximum over all steps of steps."""

from typing import Any

import torch

from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Takes the maximum over all steps of steps, per channel.

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

    Example:
    >>> tuple(GlobalMaxPooling1D()(torch.ones(2, 6, 3)).shape)
    (2, 3)
    """

    def __init__(
        self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(1, data_format=data_format, keepdims=keepdims, **kwargs)

    def reduce(self, inputs: torch.Tensor, axes: tuple[int, ...]) -> torch.Tensor:
        return torch.amax(inputs, dim=axes, keepdim=self.keepdims)  # (batch, channels)
