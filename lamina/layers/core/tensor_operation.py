"""`TensorOperation`: arithmetic written directly on symbolic tensors.

`Input(shape=(3,)) * 2` or `x[:, 0]` in a functional model records one of
these layers, so the operation replays when the model runs.
"""

import operator
from typing import Any

import torch

from lamina.layers.layer import Layer

_OPERATIONS = {
    "add": operator.add,
    "radd": lambda a, b: b + a,
    "sub": operator.sub,
    "rsub": lambda a, b: b - a,
    "mul": operator.mul,
    "rmul": lambda a, b: b * a,
    "truediv": operator.truediv,
    "matmul": operator.matmul,
    "neg": operator.neg,
    "pow": operator.pow,
    "getitem": operator.getitem,
}


class TensorOperation(Layer):
    """Applies one Python operator (`+`, `*`, `[...]`, ...) to its inputs.

    Args:
        operation: Name of the operator, one of `add`, `sub`, `mul`,
            `truediv`, `matmul`, `neg`, `pow`, `getitem` (and `r*` forms).

    Example:
    >>> TensorOperation("mul")(torch.ones(2), 3.0).tolist()
    [3.0, 3.0]
    """

    def __init__(self, operation: str, **kwargs: Any) -> None:
        if operation not in _OPERATIONS:
            raise ValueError(
                f"TensorOperation received operation={operation!r}. Available "
                f"operations: {sorted(_OPERATIONS)}."
            )
        super().__init__(**kwargs)
        self.operation = operation

    def call(self, inputs: torch.Tensor, *args: Any) -> torch.Tensor:
        return _OPERATIONS[self.operation](inputs, *args)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "operation": self.operation}
