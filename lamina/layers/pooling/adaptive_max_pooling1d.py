"""`AdaptiveMaxPooling1D`: max pooling of sequences to a fixed output size."""

from typing import Any

from lamina.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Pools sequences to `output_size` by taking the maximum of adaptive windows.

    Each spatial axis of size `n` is split into `output_size` windows,
    window `i` covering `[floor(i * n / m), ceil((i + 1) * n / m))` for an
    output size `m`, so any input size gives the same output size.

    Args:
        output_size: Int, or tuple of 1 int, the output length.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).

    Input shape:
        `(batch, steps, channels)`, or with `channels_first`
        `(batch, channels, steps)`.

    Output shape:
        `(batch, output_steps, channels)`, or channels first.

    Example:
    >>> import torch
    >>> tuple(AdaptiveMaxPooling1D(4)(torch.ones(2, 10, 3)).shape)
    (2, 4, 3)
    """

    def __init__(
        self, output_size: Any, data_format: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(output_size, 1, "max", data_format=data_format, **kwargs)
