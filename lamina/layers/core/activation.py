"""`Activation`: applies an activation function as a layer of its own."""

from typing import Any

import torch

from lamina import activations
from lamina.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to its input.

    Args:
        activation: Activation name (`"relu"`, `"softmax"`, ...) or function.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
    >>> Activation("relu")(torch.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.activation(inputs)

    def get_config(self) -> dict[str, Any]:
        config = {"activation": activations.serialize(self.activation)}
        return {**super().get_config(), **config}
