"""`Identity`: passes its input through unchanged."""

from typing import Any

from lamina.layers.layer import Layer


class Identity(Layer):
    """Returns its input unchanged, mask included; a placeholder layer.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
    >>> import torch
    >>> Identity()(torch.tensor([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return inputs
