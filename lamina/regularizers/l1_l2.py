"""Penalties on the size of weights: `L1`, `L2` and their sum `L1L2`."""

from typing import Any

import torch

from lamina.regularizers.regularizer import Regularizer
from lamina.regularizers.regularizer import check_factor


class L1L2(Regularizer):
    """Penalty `l1 * sum(abs(x)) + l2 * sum(x**2)`.

    Args:
        l1: L1 factor. Defaults to `0.0`.
        l2: L2 factor. Defaults to `0.0`.

    Example:
    >>> float(L1L2(l1=0.5, l2=1.0)(torch.tensor([1.0, -2.0])))
    6.5
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = check_factor(self, "l1", 0.0 if l1 is None else l1)
        self.l2 = check_factor(self, "l2", 0.0 if l2 is None else l2)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        penalty = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1:
            penalty = penalty + self.l1 * torch.sum(torch.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * torch.sum(torch.square(x))
        return penalty

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """Penalty `l1 * sum(abs(x))`.

    Args:
        l1: L1 factor. Defaults to `0.01`.

    Example:
    >>> float(L1(0.5)(torch.tensor([1.0, -2.0])))
    1.5
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = check_factor(self, "l1", 0.01 if l1 is None else l1)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l1 * torch.sum(torch.abs(x))

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1}


class L2(Regularizer):
    """Penalty `l2 * sum(x**2)` (no factor one half, as in Keras).

    Args:
        l2: L2 factor. Defaults to `0.01`.

    Example:
    >>> float(L2(0.5)(torch.tensor([1.0, -2.0])))
    2.5
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = check_factor(self, "l2", 0.01 if l2 is None else l2)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l2 * torch.sum(torch.square(x))

    def get_config(self) -> dict[str, Any]:
        return {"l2": self.l2}
