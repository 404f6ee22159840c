"""The base class of weight regularizers and their argument checks."""

import math
import numbers
from typing import Any

import torch


class Regularizer:
    """Base class of regularizers: callables mapping a weight to a penalty.

    Subclasses implement `__call__(x)`, returning a 0-d tensor that is added to
    the loss, and `get_config()`.

    Example:
    >>> class Sum(Regularizer):
    ...     def __call__(self, x):
    ...         return x.sum()
    ...     def get_config(self):
    ...         return {}
    >>> float(Sum()(torch.ones(3)))
    3.0
    """

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Returns the penalty for weight `x` as a 0-d tensor (zero here)."""
        return torch.zeros((), dtype=x.dtype, device=x.device)

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as a JSON-serialisable dict."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement get_config() to be saved."
        )

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Regularizer":
        """Builds a regularizer from the output of `get_config()`."""
        return cls(**config)

    def __repr__(self) -> str:
        try:
            config = self.get_config()
        except NotImplementedError:
            return f"{type(self).__name__}()"
        arguments = ", ".join(f"{k}={v!r}" for k, v in config.items())
        return f"{type(self).__name__}({arguments})"


def check_factor(owner: object, name: str, value: Any) -> float:
    """Returns `value` as a float after checking it is finite and >= 0."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or value < 0:
        raise ValueError(
            f"{type(owner).__name__} expected {name} to be a non-negative "
            f"finite float, but received {name}={value!r}."
        )
    return float(value)
