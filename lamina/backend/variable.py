"""`Variable`: a trainable weight with Keras's variable surface on a Parameter."""

from typing import Any

import numpy as np
import torch


class Variable(torch.nn.Parameter):
    """A layer weight: a `torch.nn.Parameter` that also speaks Keras.

    Besides being a Parameter (so optimizers, `state_dict`, DDP and
    `torch.compile` see it), it has Keras's `name`, `path`, `trainable`,
    `numpy()`, `assign()` and `value`.

    Args:
        initializer: Initial value (a tensor, array, list or number), or an
            initializer (name or callable) to call with `shape` and `dtype`.
        shape: Shape, when `initializer` is an initializer.
        dtype: Dtype. Defaults to the value's (`floatx()` for Python floats).
        trainable: Whether gradients flow to it. Defaults to `True`.
        name: Short name such as `"kernel"`. Defaults to a unique
            `"variable"`, `"variable_1"`, ...
        autocast: Whether layers computing in float16 read it cast (kept
            for Keras code; lamina layers autocast their inputs).
        aggregation: Keras's aggregation mode name, kept as an attribute.
        synchronization: Keras's synchronization mode name, kept likewise.
        path: Full path such as `"dense/kernel"`. Defaults to `name`.

    Example:
    >>> v = Variable(torch.zeros(2), name="bias")
    >>> v.assign([1.0, 2.0]).numpy().tolist()
    [1.0, 2.0]
    >>> Variable("ones", shape=(2,)).numpy().tolist()
    [1.0, 1.0]
    """

    def __new__(
        cls,
        initializer: Any,
        shape: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        name: str | None = None,
        autocast: bool = True,
        aggregation: str = "none",
        synchronization: str = "auto",
        *,
        path: str | None = None,
    ) -> "Variable":
        data = _initial_value(initializer, shape, dtype)
        requires_grad = trainable and (data.is_floating_point() or data.is_complex())
        variable = super().__new__(cls, data, requires_grad=requires_grad)
        if name is None:
            from lamina.layers.naming import unique_name

            name = unique_name("variable")  # variable, variable_1, ... as Keras
        variable._variable_name = name
        variable.autocast = autocast
        variable.aggregation = aggregation
        variable.synchronization = synchronization
        variable._trainable = trainable
        variable.path = path or _scoped(name)
        variable.regularizer = None
        variable.constraint = None
        return variable

    @property
    def name(self) -> str:
        return self._variable_name

    @property
    def trainable(self) -> bool:
        """Whether the variable was made trainable; a frozen layer (`trainable =
        False`) turns off `requires_grad` but leaves this flag as it was."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        self.requires_grad_(self._trainable)

    @property
    def value(self) -> torch.Tensor:
        """The tensor holding the value: the Parameter itself, as on Keras's
        torch backend, so `variable.value.grad` reads its gradient."""
        return self

    def numpy(self) -> np.ndarray:  # type: ignore[override]
        """A copy of the value: later training does not change it (as Keras)."""
        value = self.detach().cpu()
        if value.dtype == torch.bfloat16:  # NumPy has no bfloat16
            value = value.float()
        return value.numpy().copy()

    def assign(self, value: Any) -> "Variable":
        """Copies `value` (tensor, array or number) into this variable in place."""
        new_value = torch.as_tensor(value, dtype=self.dtype, device=self.device)
        if new_value.shape != self.shape and new_value.numel() != 1:
            raise ValueError(
                f"Variable '{self.path}' has shape {tuple(self.shape)}, but "
                f"assign() received a value of shape {tuple(new_value.shape)}. "
                f"Pass a value of the variable's shape."
            )
        with torch.no_grad():
            self.copy_(new_value)
        return self

    def assign_add(self, delta: Any) -> "Variable":
        return self.assign(self.detach() + torch.as_tensor(delta, device=self.device))

    def assign_sub(self, delta: Any) -> "Variable":
        return self.assign(self.detach() - torch.as_tensor(delta, device=self.device))

    def __deepcopy__(self, memo: dict) -> "Variable":
        if id(self) in memo:
            return memo[id(self)]
        copied = Variable(
            self.detach().clone(memory_format=torch.preserve_format),
            trainable=self.requires_grad,
            name=self.name,
            path=self.path,
        )
        copied.regularizer = self.regularizer
        copied.constraint = self.constraint
        copied.requires_grad_(self.requires_grad)
        memo[id(self)] = copied
        return copied

    def __reduce_ex__(self, protocol: int) -> tuple:
        return (
            _rebuild_variable,
            (self.detach().cpu(), self.requires_grad, self.name, self.path),
        )

    def __repr__(self) -> str:
        return (
            f"<Variable path={self.path}, shape={tuple(self.shape)}, "
            f"dtype={str(self.dtype).removeprefix('torch.')}, "
            f"value={self.detach().cpu().numpy()!r}>"
        )


def _rebuild_variable(
    data: torch.Tensor, trainable: bool, name: str, path: str
) -> Variable:
    return Variable(data, trainable=trainable, name=name, path=path)


def _initial_value(initializer: Any, shape: Any, dtype: Any) -> torch.Tensor:
    from lamina import initializers
    from lamina.backend.config import floatx
    from lamina.ops import convert_to_tensor

    if isinstance(initializer, str) or (
        callable(initializer) and not isinstance(initializer, torch.Tensor)
    ):
        if shape is None:
            raise ValueError(
                f"Variable received the initializer {initializer!r} without a "
                f"shape. Pass shape=(...), or pass the initial value itself."
            )
        dtype = dtype or floatx()
        return convert_to_tensor(initializers.get(initializer)(shape, dtype=dtype))
    value = convert_to_tensor(initializer, dtype=dtype)
    if shape is not None and tuple(value.shape) != tuple(shape):
        raise ValueError(
            f"Variable received a value of shape {tuple(value.shape)} and "
            f"shape={tuple(shape)}. Pass a value of that shape, or leave shape out."
        )
    return value


def _scoped(name: str) -> str:
    """`name` under the open `lamina.name_scope`s, as Keras writes a path."""
    from lamina.backend.name_scope import current_path

    scope = current_path()
    return f"{scope}/{name}" if scope else name
