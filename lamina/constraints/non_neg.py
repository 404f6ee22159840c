"""The non-negativity constraint."""

import torch

from lamina.constraints.constraint import Constraint


class NonNeg(Constraint):
    """Sets negative weights to zero.

    Example:
    >>> NonNeg()(torch.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return torch.clamp(w, min=0)
