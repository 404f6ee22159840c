"""The base class of all initializers."""

from collections.abc import Sequence
from typing import Any

import torch

Shape = Sequence[int]


class Initializer:
    """Base class of initializers: callables that make a weight's first value.

    Subclasses implement `__call__(shape, dtype=None)`, returning a torch tensor
    of that shape, and `get_config()` when they take arguments.

    Example:
    >>> class Twos(Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return torch.full(tuple(shape), 2.0)
    >>> Twos()((2,)).tolist()
    [2.0, 2.0]
    """

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        """Returns a new tensor of `shape` and `dtype` (default: floatx)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(shape, dtype=None)."
        )

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as a JSON-serialisable dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Initializer":
        """Builds an initializer from the output of `get_config()`."""
        return cls(**config)

    def clone(self) -> "Initializer":
        """Returns a new initializer with the same configuration."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"
