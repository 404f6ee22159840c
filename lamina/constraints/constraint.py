"""The base class of weight constraints."""

from typing import Any

import torch


class Constraint:
    """Base class of constraints: callables that project a weight after updates.

    Subclasses implement `__call__(w)`, returning the projected tensor, and
    `get_config()` when they take arguments. The base class leaves `w` as is.

    Example:
    >>> class Clip(Constraint):
    ...     def __call__(self, w):
    ...         return w.clamp(-1, 1)
    >>> Clip()(torch.tensor([-3.0, 0.5])).tolist()
    [-1.0, 0.5]
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        """Returns the projection of weight `w`."""
        return w

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as a JSON-serialisable dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Constraint":
        """Builds a constraint from the output of `get_config()`."""
        return cls(**config)

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"
