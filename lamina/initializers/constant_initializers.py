"""Initializers whose values do not depend on random numbers."""

from typing import Any

import torch

from lamina.backend import standardize_dtype
from lamina.initializers.initializer import Initializer
from lamina.initializers.initializer import Shape


class Constant(Initializer):
    """Fills the tensor with one scalar value.

    Args:
        value: A Python scalar. Defaults to `0.0`.

    Example:
    >>> Constant(3.0)((2,)).tolist()
    [3.0, 3.0]
    """

    def __init__(self, value: float = 0.0):
        self.value = value

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return torch.full(tuple(shape), self.value, dtype=standardize_dtype(dtype))

    def get_config(self) -> dict[str, Any]:
        return {"value": self.value}


class Zeros(Initializer):
    """Fills the tensor with zeros.

    Example:
    >>> Zeros()((2,), dtype="int64").tolist()
    [0, 0]
    """

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return torch.zeros(tuple(shape), dtype=standardize_dtype(dtype))


class Ones(Initializer):
    """Fills the tensor with ones.

    Example:
    >>> Ones()((2,)).tolist()
    [1.0, 1.0]
    """

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return torch.ones(tuple(shape), dtype=standardize_dtype(dtype))


class Identity(Initializer):
    """Makes a 2D identity matrix (ones on the diagonal), times `gain`.

    Args:
        gain: Factor applied to the identity matrix. Defaults to `1.0`.

    Example:
    >>> Identity(gain=2.0)((2, 3)).tolist()
    [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        if len(shape) != 2:
            raise ValueError(
                f"Identity initializer makes 2D matrices only, but received "
                f"shape={tuple(shape)} of rank {len(shape)}. Use it for a "
                f"(rows, columns) weight."
            )
        eye = torch.eye(shape[0], shape[1], dtype=standardize_dtype(dtype))
        return (self.gain * eye).to(eye.dtype)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain}
