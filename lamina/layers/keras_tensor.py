"""`KerasTensor`: a symbolic tensor (shape and dtype) of the functional API."""

from typing import Any

import torch

from lamina.backend.config import dtype_name
from lamina.backend.config import standardize_dtype
from lamina.utils import tree


class KerasTensor:
    """A placeholder for a tensor in a functional model: shape, dtype, history.

    Args:
        shape: Shape with `None` for unknown axes (the batch axis first).
        dtype: Dtype name. Defaults to `floatx()`.
        name: Optional name (the `Input` it came from).

    Example:
    >>> KerasTensor((None, 3)).shape
    (None, 3)
    """

    def __init__(
        self, shape: tuple[int | None, ...], dtype: Any = None, name: str | None = None
    ) -> None:
        self.shape = tuple(None if dim is None else int(dim) for dim in shape)
        self.dtype = dtype_name(standardize_dtype(dtype))
        self.name = name
        self.has_mask = False
        self.mask_shape: tuple[int | None, ...] | None = None
        self._keras_history: tuple[Any, int, int] | None = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __len__(self) -> int:
        raise TypeError(
            "A symbolic KerasTensor has no length; use tensor.shape instead."
        )

    def __bool__(self) -> bool:
        raise TypeError(
            "A symbolic KerasTensor cannot be used as a Python bool. Build the "
            "model with layers; use a Lambda layer or a custom Layer for "
            "control flow on tensor values."
        )

    # Python operators record the `lamina.ops` op Keras records for them.
    def __add__(self, other: Any) -> "KerasTensor":
        return _ops().add(self, other)

    def __radd__(self, other: Any) -> "KerasTensor":
        return _ops().add(other, self)

    def __sub__(self, other: Any) -> "KerasTensor":
        return _ops().subtract(self, other)

    def __rsub__(self, other: Any) -> "KerasTensor":
        return _ops().subtract(other, self)

    def __mul__(self, other: Any) -> "KerasTensor":
        return _ops().multiply(self, other)

    def __rmul__(self, other: Any) -> "KerasTensor":
        return _ops().multiply(other, self)

    def __truediv__(self, other: Any) -> "KerasTensor":
        return _ops().true_divide(self, other)

    def __rtruediv__(self, other: Any) -> "KerasTensor":
        return _ops().true_divide(other, self)

    def __floordiv__(self, other: Any) -> "KerasTensor":
        return _ops().floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> "KerasTensor":
        return _ops().floor_divide(other, self)

    def __mod__(self, other: Any) -> "KerasTensor":
        return _ops().mod(self, other)

    def __rmod__(self, other: Any) -> "KerasTensor":
        return _ops().mod(other, self)

    def __pow__(self, other: Any) -> "KerasTensor":
        return _ops().power(self, other)

    def __rpow__(self, other: Any) -> "KerasTensor":
        return _ops().power(other, self)

    def __matmul__(self, other: Any) -> "KerasTensor":
        return _ops().matmul(self, other)

    def __rmatmul__(self, other: Any) -> "KerasTensor":
        return _ops().matmul(other, self)

    def __neg__(self) -> "KerasTensor":
        return _ops().negative(self)

    def __abs__(self) -> "KerasTensor":
        return _ops().absolute(self)

    def __lt__(self, other: Any) -> "KerasTensor":
        return _ops().less(self, other)

    def __le__(self, other: Any) -> "KerasTensor":
        return _ops().less_equal(self, other)

    def __gt__(self, other: Any) -> "KerasTensor":
        return _ops().greater(self, other)

    def __ge__(self, other: Any) -> "KerasTensor":
        return _ops().greater_equal(self, other)

    # `==` keeps identity, as in Keras: KerasTensors are dict keys.
    def __ne__(self, other: Any) -> "KerasTensor":
        return _ops().not_equal(self, other)

    def __and__(self, other: Any) -> "KerasTensor":
        return _ops().logical_and(self, other)

    def __rand__(self, other: Any) -> "KerasTensor":
        return _ops().logical_and(other, self)

    def __or__(self, other: Any) -> "KerasTensor":
        return _ops().logical_or(self, other)

    def __ror__(self, other: Any) -> "KerasTensor":
        return _ops().logical_or(other, self)

    def __xor__(self, other: Any) -> "KerasTensor":
        return _ops().logical_xor(self, other)

    def __rxor__(self, other: Any) -> "KerasTensor":
        return _ops().logical_xor(other, self)

    def __invert__(self) -> "KerasTensor":
        return _ops().logical_not(self)

    def __round__(self, ndigits: int | None = None) -> "KerasTensor":
        return _ops().round(self, decimals=ndigits or 0)

    def __getitem__(self, key: Any) -> "KerasTensor":
        return _ops().get_item(self, key)

    def __iter__(self) -> Any:
        # Without this, Python would iterate through __getitem__ until an
        # index fails, slicing the batch axis of a symbolic tensor.
        raise TypeError(
            f"A symbolic KerasTensor of shape {self.shape} cannot be iterated "
            f"or unpacked. Index it (tensor[:, 0]) or use ops.unstack(tensor, "
            f"axis=...) on an axis of known size."
        )


def _ops() -> Any:
    import lamina.ops

    return lamina.ops


def any_symbolic(structure: Any) -> bool:
    """Whether any leaf of `structure` is a `KerasTensor`."""
    if isinstance(structure, KerasTensor):
        return True
    if isinstance(structure, torch.Tensor):
        return False
    return any(isinstance(leaf, KerasTensor) for leaf in tree.flatten(structure))
