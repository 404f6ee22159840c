"""`Flatten`: folds all axes but the batch axis into one."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.layer import Layer


class Flatten(Layer):
    """Flattens each sample into a vector; the batch axis is kept.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; with
            `channels_first` the channel axis is moved last before flattening,
            so the order matches channels_last models. Defaults to the global
            `image_data_format()`.

    Input shape:
        `(batch, ...)`.

    Output shape:
        `(batch, product of the other axes)`.

    Example:
    >>> tuple(Flatten()(torch.ones(2, 28, 28)).shape)
    (2, 784)
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = torch.movedim(inputs, 1, -1)  # channels last
        return inputs.reshape(inputs.shape[0], -1)  # (batch, features)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}
