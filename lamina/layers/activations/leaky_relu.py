"""`LeakyReLU`: ReLU with a small slope for negative inputs."""

import warnings
from typing import Any

import torch

from lamina.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky ReLU: `x` if `x >= 0`, else `negative_slope * x`.

    Args:
        negative_slope: Float >= 0, slope for negative inputs. Defaults to
            `0.3`. The Keras 2 name `alpha` is accepted too.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
    >>> LeakyReLU(0.5)(torch.tensor([-2.0, 2.0])).tolist()
    [-1.0, 2.0]
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        if "alpha" in kwargs:  # the Keras 2 name
            negative_slope = kwargs.pop("alpha")
            warnings.warn(
                "LeakyReLU received alpha=, the Keras 2 name of the argument; "
                "it was used as negative_slope. Write "
                f"LeakyReLU(negative_slope={negative_slope}) to silence this.",
                stacklevel=2,
            )
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                f"LeakyReLU expects negative_slope to be a number >= 0, but "
                f"received negative_slope={negative_slope!r}."
            )
        super().__init__(**kwargs)
        self.negative_slope = negative_slope
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.leaky_relu(inputs, self.negative_slope)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "negative_slope": self.negative_slope}
