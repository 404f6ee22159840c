"""Constraints on the L2 norm of weight slices: `MaxNorm`, `MinMaxNorm`, `UnitNorm`.

The norm is taken over `axis`: for a Dense kernel `(in, out)`, `axis=0`
constrains each unit's incoming weight vector; for a Conv2D kernel
`(kh, kw, in, out)` use `axis=[0, 1, 2]`.
"""

from collections.abc import Sequence
from typing import Any

import torch

from lamina.backend import epsilon
from lamina.constraints.constraint import Constraint

Axis = int | Sequence[int]


def _norms(w: torch.Tensor, axis: Axis) -> torch.Tensor:
    dims = axis if isinstance(axis, int) else tuple(axis)
    return torch.sqrt(torch.sum(torch.square(w), dim=dims, keepdim=True))


class MaxNorm(Constraint):
    """Rescales weight slices whose L2 norm exceeds `max_value`.

    Args:
        max_value: Largest allowed norm. Defaults to `2`.
        axis: Axis or axes along which norms are taken. Defaults to `0`.

    Example:
    >>> MaxNorm(1.0)(torch.tensor([[3.0], [4.0]])).squeeze().tolist()
    [0.6000000238418579, 0.800000011920929]
    """

    def __init__(self, max_value: float = 2, axis: Axis = 0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (epsilon() + norms))

    def get_config(self) -> dict[str, Any]:
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves weight-slice norms into `[min_value, max_value]` at speed `rate`.

    `new_norm = rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    Args:
        min_value: Smallest allowed norm. Defaults to `0.0`.
        max_value: Largest allowed norm. Defaults to `1.0`.
        rate: Fraction of the way to move, in `[0, 1]`. Defaults to `1.0`.
        axis: Axis or axes along which norms are taken. Defaults to `0`.

    Example:
    >>> w = MinMaxNorm(2.0, 3.0)(torch.tensor([[0.6], [0.8]]))
    >>> round(float(w.norm()), 4)
    2.0
    """

    def __init__(
        self,
        min_value: float = 0.0,
        max_value: float = 1.0,
        rate: float = 1.0,
        axis: Axis = 0,
    ):
        if min_value > max_value:
            raise ValueError(
                f"MinMaxNorm expected min_value <= max_value, but received "
                f"min_value={min_value!r} and max_value={max_value!r}."
            )
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        norms = _norms(w, self.axis)
        clipped = torch.clamp(norms, self.min_value, self.max_value)
        desired = self.rate * clipped + (1 - self.rate) * norms
        return w * (desired / (epsilon() + norms))

    def get_config(self) -> dict[str, Any]:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


class UnitNorm(Constraint):
    """Scales weight slices to unit L2 norm.

    Args:
        axis: Axis or axes along which norms are taken. Defaults to `0`.

    Example:
    >>> round(float(UnitNorm()(torch.tensor([[3.0], [4.0]])).norm()), 4)
    1.0
    """

    def __init__(self, axis: Axis = 0):
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return w / (epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict[str, Any]:
        return {"axis": self.axis}
