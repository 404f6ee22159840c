"""`ELU`: the exponential linear unit as a layer."""

from typing import Any

import torch

from lamina.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        alpha: Scale of the negative part. Defaults to `1.0`.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
    >>> ELU()(torch.tensor([0.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.elu(inputs, alpha=self.alpha)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "alpha": self.alpha}
