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

    def _apply(self, function_name: str, *args: Any) -> "KerasTensor":
        from lamina.layers.core.tensor_operation import TensorOperation

        return TensorOperation(function_name)(self, *args)

    def __add__(self, other: Any) -> "KerasTensor":
        return self._apply("add", other)

    def __radd__(self, other: Any) -> "KerasTensor":
        return self._apply("radd", other)

    def __sub__(self, other: Any) -> "KerasTensor":
        return self._apply("sub", other)

    def __rsub__(self, other: Any) -> "KerasTensor":
        return self._apply("rsub", other)

    def __mul__(self, other: Any) -> "KerasTensor":
        return self._apply("mul", other)

    def __rmul__(self, other: Any) -> "KerasTensor":
        return self._apply("rmul", other)

    def __truediv__(self, other: Any) -> "KerasTensor":
        return self._apply("truediv", other)

    def __matmul__(self, other: Any) -> "KerasTensor":
        return self._apply("matmul", other)

    def __neg__(self) -> "KerasTensor":
        return self._apply("neg")

    def __pow__(self, other: Any) -> "KerasTensor":
        return self._apply("pow", other)

    def __getitem__(self, key: Any) -> "KerasTensor":
        return self._apply("getitem", key)


def any_symbolic(structure: Any) -> bool:
    """Whether any leaf of `structure` is a `KerasTensor`."""
    if isinstance(structure, KerasTensor):
        return True
    if isinstance(structure, torch.Tensor):
        return False
    return any(isinstance(leaf, KerasTensor) for leaf in tree.flatten(structure))
