"""`Metric`: a stateful measure accumulated over batches on the device."""

from typing import Any

import torch

from lamina.backend import dtype_name
from lamina.backend import floatx
from lamina.backend import get_device
from lamina.backend import standardize_dtype
from lamina.losses._serialization import auto_name
from lamina.losses.loss import convert_to_tensor


class Metric:
    """Base class of metrics: state tensors updated batch by batch.

    State is declared with `add_variable(shape, initializer, dtype, name)` and
    read as `self.<name>`. The tensors live on the device of the data: they
    move (once) to the device of the first batch, and follow the data if a
    later batch arrives on another device; before any batch they are on
    `lamina.backend.get_device()`. Tensors added after the device is known are
    created there directly. `update_state` never
    syncs with the host; `float(metric.result())` is the one sync.

    Subclasses implement `update_state(*args, sample_weight=None)` (starting
    with `y_true, y_pred = self._inputs(y_true, y_pred)` to place the state)
    and `result()`. They may update state in place (`self.total.add_(x)`) or
    rebind it (`self.total = self.total + x`).

    Args:
        dtype: Dtype of the state and result. Defaults to `floatx()`.
        name: Name of the metric. Defaults to the snake-case class name.

    Example:
    >>> class Count(Metric):
    ...     def __init__(self, name="count", dtype=None):
    ...         super().__init__(dtype=dtype, name=name)
    ...         self.add_variable(shape=(), initializer="zeros", name="seen")
    ...     def update_state(self, values, sample_weight=None):
    ...         (values,) = self._inputs(values)
    ...         self.seen.add_(values.numel())
    ...     def result(self):
    ...         return self.seen.clone()
    >>> count = Count()
    >>> float(count(torch.zeros(3)))
    3.0
    """

    def __init__(self, dtype: Any = None, name: str | None = None):
        object.__setattr__(self, "_states", {})
        object.__setattr__(self, "_state_specs", {})
        self.name = name or auto_name(type(self).__name__)
        self._dtype = standardize_dtype(dtype or floatx())
        self._device: torch.device | None = None
        self._metrics: list[Metric] = []

    @property
    def dtype(self) -> str:
        """The state and result dtype as a Keras name, e.g. `"float32"`."""
        return dtype_name(self._dtype)

    def add_variable(
        self,
        shape: tuple[int, ...] = (),
        initializer: Any = "zeros",
        dtype: Any = None,
        aggregation: str = "sum",
        name: str | None = None,
    ) -> torch.Tensor:
        """Declares a state tensor, readable afterwards as `self.<name>`.

        Args:
            shape: Shape of the state. Defaults to `()`.
            initializer: `"zeros"`, `"ones"`, a number, or a callable
                `(shape, dtype) -> tensor`. Defaults to `"zeros"`.
            dtype: Dtype of the state. Defaults to the metric's dtype.
            aggregation: How replicas combine the state; kept for Keras
                compatibility. Defaults to `"sum"`.
            name: Attribute name of the state. Defaults to `variable_<n>`.

        Returns:
            The state tensor.
        """
        name = name or f"variable_{len(self._state_specs)}"
        dtype = standardize_dtype(dtype) if dtype is not None else self._dtype
        self._state_specs[name] = (tuple(shape), initializer, dtype)
        self._states[name] = None
        return getattr(self, name)

    def add_weight(
        self,
        shape: tuple[int, ...] = (),
        initializer: Any = "zeros",
        dtype: Any = None,
        name: str | None = None,
    ) -> torch.Tensor:
        """Alias of `add_variable`, as Keras 2 named it."""
        return self.add_variable(shape, initializer, dtype=dtype, name=name)

    @property
    def variables(self) -> list[torch.Tensor]:
        """The state tensors, in declaration order, then those of sub-metrics."""
        own = [getattr(self, name) for name in self._state_specs]
        return own + [v for metric in self._metrics for v in metric.variables]

    def reset_state(self) -> None:
        """Returns every state tensor to its initial value."""
        device = self._device
        for name in self._state_specs:
            self._states[name] = None if device is None else self._initial(name)
        for metric in self._metrics:
            metric.reset_state()

    def reset_states(self) -> None:
        """Alias of `reset_state`, as Keras 2 named it."""
        self.reset_state()

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulates statistics from one batch; subclasses implement it."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement update_state()."
        )

    def result(self) -> torch.Tensor:
        """Returns the metric value as a tensor; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def __call__(self, *args: Any, **kwargs: Any) -> torch.Tensor:
        """Updates the state with one batch and returns the new result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as a JSON-serialisable dict."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Metric":
        """Rebuilds a metric from `get_config()`'s dict."""
        return cls(**config)

    def _inputs(self, *values: Any) -> tuple[torch.Tensor, ...]:
        """Converts inputs to tensors and places the state on their device.

        Inputs are detached: a metric fed the loss of a custom `train_step`
        must not hold on to its autograd graph, step after step.
        """
        device = next(
            (v.device for v in values if isinstance(v, torch.Tensor)),
            self._device or get_device(),
        )
        self._place_state(device)
        return tuple(
            None if v is None else convert_to_tensor(v, device=device).detach()
            for v in values
        )

    def _place_state(self, device: torch.device) -> None:
        if device == self._device:
            return
        for name, tensor in self._states.items():
            if tensor is not None:
                self._states[name] = tensor.to(device)
        self._device = device
        for metric in self._metrics:
            metric._place_state(device)

    def _initial(self, name: str) -> torch.Tensor:
        shape, initializer, dtype = self._state_specs[name]
        device = self._device or get_device()
        if callable(initializer):
            return torch.as_tensor(initializer(shape, dtype=dtype), device=device)
        if initializer in ("zeros", None):
            value = 0.0
        elif initializer == "ones":
            value = 1.0
        else:
            value = float(initializer)
        return torch.full(shape, value, dtype=dtype, device=device)

    def __getattr__(self, name: str) -> Any:
        states = self.__dict__.get("_states")
        if states is None or name not in states:
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute '{name}'"
            )
        if states[name] is None:
            if self._device is None:
                self._device = get_device()
            states[name] = self._initial(name)
        return states[name]

    def __setattr__(self, name: str, value: Any) -> None:
        states = self.__dict__.get("_states")
        if states is not None and name in states:
            states[name] = value  # functional update: self.total = self.total + x
            return
        if isinstance(value, Metric) and name != "_metrics":
            self.__dict__.setdefault("_metrics", []).append(value)
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"
