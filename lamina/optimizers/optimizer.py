"""`Optimizer`: the base class that applies gradients to weights."""

import inspect
import re
import warnings
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from lamina.backend import floatx
from lamina.backend import standardize_dtype
from lamina.backend.variable import Variable
from lamina.optimizers import _clipping
from lamina.optimizers._naming import auto_name
from lamina.optimizers.schedules import LearningRateSchedule
from lamina.optimizers.schedules import deserialize as deserialize_schedule
from lamina.optimizers.schedules import serialize as serialize_schedule

Tensor = torch.Tensor
LearningRate = float | LearningRateSchedule | Callable[[], Any]

# Keys that tf.keras 2 wrote into optimizer configs and that mean nothing here.
_KERAS2_IGNORED_CONFIG_KEYS = ("is_legacy_optimizer", "jit_compile")


class Optimizer:
    """Base class of optimizers: turns gradients into in-place weight updates.

    Updates run under `torch.no_grad()` with multi-tensor (`torch._foreach_*`)
    kernels over all weights at once. The step counter and the learning rate
    stay on the device, so a step never waits for the device. Per-weight state
    ("slots") is created on the first `apply`, on each weight's device and
    dtype. The Keras 2 arguments `lr` (for `learning_rate`) and `decay`
    (`lr / (1 + decay * iterations)`) are accepted.

    Subclasses create slots in `build(variables)` with
    `add_optimizer_variables`, and implement either `_multi_tensor_update`
    (lists of gradients and weights) or Keras's per-weight
    `update_step(gradient, variable, learning_rate)`.

    Args:
        learning_rate: Float, `LearningRateSchedule`, or a callable with no
            arguments that returns the rate.
        weight_decay: Float or `None`; if set, each step first multiplies the
            weights by `1 - weight_decay * learning_rate`. Defaults to `None`.
        clipnorm: Float or `None`; clip each gradient to this L2 norm.
            Defaults to `None`.
        clipvalue: Float or `None`; clip gradient elements to
            `[-clipvalue, clipvalue]`. Defaults to `None`.
        global_clipnorm: Float or `None`; clip all gradients together to
            this joint L2 norm. Defaults to `None`.
        use_ema: Bool, keep an exponential moving average of the weights.
            Defaults to `False`.
        ema_momentum: Float in [0, 1], the EMA's momentum. Defaults to `0.99`.
        ema_overwrite_frequency: Int or `None`; every this many steps, copy the
            averages into the weights. Defaults to `None`.
        loss_scale_factor: Float or `None`; gradients are divided by it.
            Defaults to `None`.
        gradient_accumulation_steps: Int >= 2 or `None`; update only every
            this many steps, with the mean of the gradients since the last
            update. Defaults to `None`.
        name: String. Defaults to the snake-case class name, made unique.

    Example:
    >>> class PlainSGD(Optimizer):
    ...     def _multi_tensor_update(self, grads, variables, learning_rate):
    ...         torch._foreach_sub_(variables, torch._foreach_mul(grads, learning_rate))
    >>> weight = torch.nn.Parameter(torch.ones(2))
    >>> optimizer = PlainSGD(learning_rate=0.5)
    >>> int(optimizer.apply_gradients([(torch.ones(2), weight)]))
    1
    >>> weight.tolist()
    [0.5, 0.5]
    """

    def __init__(
        self,
        learning_rate: LearningRate,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        self.name = name or auto_name(type(self).__name__)
        learning_rate = self._pop_keras2_lr(learning_rate, kwargs)
        self.decay = self._pop_keras2_decay(kwargs)
        if kwargs:
            raise ValueError(
                f"{self._label} received unknown argument(s) {sorted(kwargs)}. "
                f"Check the spelling against the {type(self).__name__} "
                f"documentation."
            )
        self._check_non_negative(weight_decay=weight_decay)
        self._check_clipping(clipnorm, clipvalue, global_clipnorm)
        self._check_ema(use_ema, ema_momentum, ema_overwrite_frequency)
        self._check_accumulation(gradient_accumulation_steps)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._trainable_variables: list[Tensor] = []
        self._variable_index: dict[int, int] = {}
        self._active_indices: list[int] | None = None
        self._exclude_from_decay_ids: set[int] = set()
        self._exclude_from_decay_pattern: re.Pattern | None = None
        self._iterations = Variable(
            torch.zeros((), dtype=torch.int64),
            trainable=False,
            name="iteration",
            path=f"{self.name}/iteration",
        )
        self._variables: list[Tensor] = [self._iterations]
        self._host_iterations = 0
        self._host_iterations_version = self._iterations._version
        self._learning_rate: Variable | LearningRateSchedule | Callable
        self._set_learning_rate(learning_rate)

    # ----------------------------------------------------------- arguments

    @property
    def _label(self) -> str:
        return f"Optimizer '{getattr(self, 'name', '?')}' ({type(self).__name__})"

    def _pop_keras2_lr(self, learning_rate: Any, kwargs: dict[str, Any]) -> Any:
        """Maps the Keras 2 `lr=` to `learning_rate`, refusing both at once."""
        if "lr" not in kwargs:
            return learning_rate
        lr = kwargs.pop("lr")
        parameter = inspect.signature(type(self).__init__).parameters.get(
            "learning_rate"
        )
        default = getattr(parameter, "default", inspect.Parameter.empty)
        if default is not inspect.Parameter.empty and learning_rate != default:
            raise ValueError(
                f"{self._label} received both lr={lr!r} and "
                f"learning_rate={learning_rate!r}. `lr` is the Keras 2 name of "
                f"`learning_rate`; pass only learning_rate={lr!r}."
            )
        return lr

    def _pop_keras2_decay(self, kwargs: dict[str, Any]) -> float:
        decay = kwargs.pop("decay", None)
        if decay is None:
            return 0.0
        self._check_non_negative(decay=decay)
        return float(decay)

    def _check_non_negative(self, **values: Any) -> None:
        for argument, value in values.items():
            if value is not None and value < 0:
                raise ValueError(
                    f"{self._label} expected {argument} >= 0, but received "
                    f"{argument}={value!r}. Pass a non-negative number."
                )

    def _check_clipping(self, clipnorm, clipvalue, global_clipnorm) -> None:
        given = {
            "clipnorm": clipnorm,
            "clipvalue": clipvalue,
            "global_clipnorm": global_clipnorm,
        }
        given = {key: value for key, value in given.items() if value is not None}
        if len(given) > 1:
            received = ", ".join(f"{key}={value!r}" for key, value in given.items())
            raise ValueError(
                f"{self._label} accepts only one of clipnorm, clipvalue and "
                f"global_clipnorm, but received {received}. Keep one of them."
            )
        self._check_non_negative(**given)

    def _check_ema(self, use_ema, ema_momentum, ema_overwrite_frequency) -> None:
        if not use_ema:
            return
        if not 0 <= ema_momentum <= 1:
            raise ValueError(
                f"{self._label} expected ema_momentum in [0, 1], but received "
                f"ema_momentum={ema_momentum!r}."
            )
        if ema_overwrite_frequency is not None and (
            not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
        ):
            raise ValueError(
                f"{self._label} expected ema_overwrite_frequency to be an int "
                f">= 1 or None, but received "
                f"ema_overwrite_frequency={ema_overwrite_frequency!r}."
            )

    def _check_accumulation(self, steps: int | None) -> None:
        if steps is not None and (not isinstance(steps, int) or steps < 2):
            raise ValueError(
                f"{self._label} expected gradient_accumulation_steps to be an "
                f"int >= 2 or None, but received "
                f"gradient_accumulation_steps={steps!r}."
            )

    # ------------------------------------------------------- learning rate

    def _set_learning_rate(self, learning_rate: LearningRate) -> None:
        if isinstance(learning_rate, LearningRateSchedule) or (
            callable(learning_rate) and not isinstance(learning_rate, Tensor)
        ):
            if isinstance(getattr(self, "_learning_rate", None), Variable):
                self._variables.remove(self._learning_rate)
            self._learning_rate = learning_rate
            return
        value = self._learning_rate_as_float(learning_rate)
        current = getattr(self, "_learning_rate", None)
        if isinstance(current, Variable):
            with torch.no_grad():
                current.fill_(value)
            return
        if isinstance(current, LearningRateSchedule):
            raise TypeError(
                f"{self._label} was created with a LearningRateSchedule, so its "
                f"learning rate cannot be set to {value!r}. Create the optimizer "
                f"with a float learning_rate to change it during training."
            )
        self._learning_rate = Variable(
            torch.tensor(value, dtype=standardize_dtype(floatx())),
            trainable=False,
            name="learning_rate",
            path=f"{self.name}/learning_rate",
        )
        with torch.no_grad():
            self._learning_rate.data = self._learning_rate.data.to(
                self._iterations.device
            )
        self._variables.insert(1, self._learning_rate)

    def _learning_rate_as_float(self, learning_rate: Any) -> float:
        if isinstance(learning_rate, bool) or not isinstance(
            learning_rate, int | float | np.number | np.ndarray | Tensor
        ):
            raise TypeError(
                f"{self._label} expected learning_rate to be a float, a "
                f"LearningRateSchedule or a callable, but received "
                f"learning_rate={learning_rate!r} of type "
                f"{type(learning_rate).__name__}."
            )
        value = float(learning_rate)
        if value < 0:
            raise ValueError(
                f"{self._label} expected learning_rate >= 0, but received "
                f"learning_rate={value!r}. Pass a non-negative learning rate "
                f"such as 0.001."
            )
        return value

    @property
    def learning_rate(self) -> Tensor:
        """The learning rate: a 0-d float tensor, or a schedule's current value.

        Assign a float (or a schedule) to change it. With the Keras 2 `decay`
        argument this is the undecayed base rate, as in Keras 2.
        """
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        return self._schedule_value()

    @learning_rate.setter
    def learning_rate(self, learning_rate: LearningRate) -> None:
        self._set_learning_rate(learning_rate)

    lr = learning_rate  # the Keras 2 name

    def _schedule_value(self) -> Tensor:
        if isinstance(self._learning_rate, LearningRateSchedule):
            value = self._learning_rate(self._iterations)
        else:
            value = self._learning_rate()
        return torch.as_tensor(
            value, dtype=torch.float32, device=self._iterations.device
        )

    def _current_learning_rate(self) -> Tensor:
        """The rate for this step, as a tensor on the device (no host sync)."""
        learning_rate = self.learning_rate.detach()
        if self.decay:
            steps = self._iterations.to(learning_rate.dtype)
            learning_rate = learning_rate / (1.0 + self.decay * steps)
        return learning_rate

    # ---------------------------------------------------------- iterations

    @property
    def iterations(self) -> Tensor:
        """Number of applied steps: an int64 0-d tensor (assignable).

        With `gradient_accumulation_steps`, counts the real updates.
        """
        if self.gradient_accumulation_steps:
            return torch.div(
                self._iterations,
                self.gradient_accumulation_steps,
                rounding_mode="floor",
            )
        return self._iterations

    @iterations.setter
    def iterations(self, value: Any) -> None:
        self._iterations.assign(value)

    def _host_iteration_count(self) -> int:
        """`iterations` as a Python int, read from the device only after
        something other than `apply` changed the counter."""
        if self._iterations._version != self._host_iterations_version:
            self._host_iterations = int(self._iterations)
            self._host_iterations_version = self._iterations._version
        return self._host_iterations

    def _increment_iterations(self) -> None:
        in_sync = self._iterations._version == self._host_iterations_version
        self._iterations.add_(1)
        if in_sync:
            self._host_iterations += 1
            self._host_iterations_version = self._iterations._version

    # -------------------------------------------------------------- state

    @property
    def variables(self) -> list[Tensor]:
        """The optimizer's state in Keras's order: iterations, learning rate
        (unless it is a schedule), then the slots of each weight."""
        return list(self._variables)

    def build(self, variables: Iterable[Tensor]) -> None:
        """Creates the state for `variables` (called by the first `apply`).

        Subclasses call `super().build(variables)` first, then create slots.
        """
        variables = list(variables)
        self._move_state_to(variables[0].device if variables else None)
        self._trainable_variables = variables
        self._variable_index = {id(v): i for i, v in enumerate(variables)}
        self._weight_decay_flags = [self._use_weight_decay(v) for v in variables]
        self._constrained = [
            (v, v.constraint) for v in variables if getattr(v, "constraint", None)
        ]
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average"
            )
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(
                variables, "gradient_accumulator"
            )
        self.built = True

    def _move_state_to(self, device: torch.device | None) -> None:
        if device is None:
            return
        with torch.no_grad():
            for state in (self._iterations, self._learning_rate):
                if isinstance(state, Tensor) and state.device != device:
                    state.data = state.data.to(device)
        self._host_iterations_version = self._iterations._version

    def add_variable(
        self,
        shape: tuple[int, ...],
        initializer: str | float = "zeros",
        dtype: Any = None,
        name: str | None = None,
    ) -> Tensor:
        """Creates a state tensor, tracked in `variables`.

        `initializer` is `"zeros"`, `"ones"` or a number. `name` is accepted
        for Keras compatibility; state tensors are identified by position.
        """
        dtype = standardize_dtype(dtype or floatx())
        value = {"zeros": 0.0, "ones": 1.0}.get(initializer, initializer)
        variable = torch.full(
            tuple(shape), value, dtype=dtype, device=self._iterations.device
        )
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(
        self,
        reference_variable: Tensor,
        name: str | None = None,
        initializer: str | float = "zeros",
    ) -> Tensor:
        """Creates a state tensor shaped, typed and placed like a weight."""
        value = {"zeros": 0.0, "ones": 1.0}.get(initializer, initializer)
        variable = torch.full_like(
            reference_variable.detach(), value, memory_format=torch.preserve_format
        )
        self._variables.append(variable)
        return variable

    def add_optimizer_variables(
        self,
        trainable_variables: list[Tensor],
        name: str | list[str],
        initializer: str | float | list = "zeros",
    ) -> list[Tensor] | tuple[list[Tensor], ...]:
        """Creates one slot per weight for each name, interleaved per weight
        (Keras's order). Returns a list, or a tuple of lists for a name list."""
        names = [name] if isinstance(name, str) else list(name)
        initializers = (
            list(initializer) if isinstance(initializer, list) else [initializer]
        )
        initializers = initializers * (len(names) if len(initializers) == 1 else 1)
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            for slot_list, slot_name, init in zip(
                slots, names, initializers, strict=True
            ):
                slot_list.append(
                    self.add_variable_from_reference(variable, slot_name, init)
                )
        return slots[0] if isinstance(name, str) else slots

    def _get_variable_index(self, variable: Tensor) -> int:
        return self._variable_index[id(variable)]

    def _gather(self, per_variable: list) -> list:
        """The entries of a per-weight list for the weights of this step."""
        if self._active_indices is None:
            return per_variable
        return [per_variable[i] for i in self._active_indices]

    def assign(self, variable: Tensor, value: Any) -> None:
        """Copies `value` into `variable` in place."""
        variable.copy_(value)

    def assign_add(self, variable: Tensor, value: Any) -> None:
        """Adds `value` to `variable` in place."""
        variable.add_(value)

    def assign_sub(self, variable: Tensor, value: Any) -> None:
        """Subtracts `value` from `variable` in place."""
        variable.sub_(value)

    # -------------------------------------------------------------- apply

    def apply_gradients(
        self, grads_and_vars: Iterable[tuple[Tensor | None, Tensor]]
    ) -> Tensor:
        """Applies `(gradient, weight)` pairs; returns `iterations`.

        Example:
        >>> from lamina.optimizers import SGD
        >>> weight = torch.nn.Parameter(torch.zeros(1))
        >>> int(SGD(0.1).apply_gradients([(torch.ones(1), weight)]))
        1
        """
        pairs = list(grads_and_vars)
        if pairs:
            grads, variables = zip(*pairs, strict=True)
            self.apply(list(grads), list(variables))
        return self._iterations

    def apply(
        self,
        grads: Iterable[Tensor | None],
        trainable_variables: Iterable[Tensor] | None = None,
    ) -> None:
        """Updates the weights in place with `grads`.

        Args:
            grads: One gradient (or `None` to skip) per weight.
            trainable_variables: The weights, in the order of `grads`. May be
                omitted once the optimizer is built; the weights it was built
                with are then used.

        Example:
        >>> from lamina.optimizers import SGD
        >>> weight = torch.nn.Parameter(torch.zeros(1))
        >>> SGD(0.1).apply([torch.ones(1)], [weight])
        >>> weight.tolist()
        [-0.10000000149011612]
        """
        if not isinstance(grads, list):
            grads = list(grads)
        if not grads:
            return
        variables = self._resolve_variables(grads, trainable_variables)
        grads, variables = self._drop_missing_gradients(grads, variables)
        with torch.no_grad():
            grads = [_as_gradient(g, v) for g, v in zip(grads, variables, strict=True)]
            if self.loss_scale_factor is not None:
                grads = torch._foreach_div(grads, float(self.loss_scale_factor))
            if self.gradient_accumulation_steps:
                self._accumulate_or_update(grads, variables)
            else:
                self._update(grads, variables)
            self._active_indices = None
            self._finish_update()
            self._increment_iterations()

    def _finish_update(self) -> None:
        if self.use_ema:
            self._update_moving_averages()
        for variable, constraint in self._constrained:
            variable.copy_(constraint(variable))

    def _apply_update(self, grads: list[Tensor], variables: list[Tensor]) -> None:
        """`apply`'s tensor work, for a compiled training step (under no_grad).

        Only for the weights the optimizer was built with, in that order,
        each with a gradient, and without `gradient_accumulation_steps`: it
        reads nothing on the host. The caller calls `_after_traced_update`
        once the step has run.
        """
        grads = [_as_gradient(g, v) for g, v in zip(grads, variables, strict=True)]
        if self.loss_scale_factor is not None:
            grads = torch._foreach_div(grads, float(self.loss_scale_factor))
        self._update(grads, variables)
        self._finish_update()
        self._iterations.add_(1)

    def _after_traced_update(self, was_in_sync: bool) -> None:
        """Records the step `_apply_update` counted, in the host copy."""
        if was_in_sync:
            self._host_iterations += 1
            self._host_iterations_version = self._iterations._version

    def _resolve_variables(
        self, grads: list, trainable_variables: Iterable[Tensor] | None
    ) -> list[Tensor]:
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{self._label} received gradients without weights before "
                    f"it was built. Pass apply(grads, trainable_variables) or "
                    f"call build(trainable_variables) first."
                )
            variables = self._trainable_variables
        elif isinstance(trainable_variables, list):
            variables = trainable_variables
        else:
            variables = list(trainable_variables)
        if len(grads) != len(variables):
            raise ValueError(
                f"{self._label} received {len(grads)} gradients for "
                f"{len(variables)} weights. Pass exactly one gradient (or None) "
                f"per weight, in the same order."
            )
        if not self.built:
            self.build(variables)
        self._active_indices = self._indices_of(variables)
        return variables

    def _indices_of(self, variables: list[Tensor]) -> list[int] | None:
        """Positions of `variables` among the built weights; `None` if all."""
        if variables is self._trainable_variables:
            return None
        indices = [self._variable_index.get(id(v)) for v in variables]
        if None in indices:
            unknown = variables[indices.index(None)]
            raise ValueError(
                f"{self._label} was built for {len(self._trainable_variables)} "
                f"weights and received a weight it does not know, of shape "
                f"{tuple(unknown.shape)}. An optimizer updates only the weights "
                f"it was first applied to; create a new optimizer for others."
            )
        if indices == list(range(len(self._trainable_variables))):
            return None
        return indices

    def _drop_missing_gradients(
        self, grads: list, variables: list[Tensor]
    ) -> tuple[list[Tensor], list[Tensor]]:
        if all(g is not None for g in grads):
            return grads, variables
        kept = [i for i, g in enumerate(grads) if g is not None]
        if not kept:
            raise ValueError(
                f"{self._label} received no gradient for any weight (all None). "
                f"Check that the loss depends on the weights being trained."
            )
        missing = [
            getattr(variables[i], "path", f"#{i}")
            for i in range(len(grads))
            if grads[i] is None
        ]
        warnings.warn(
            f"{self._label} received no gradient for weights {missing}; they "
            f"are not updated this step. If using compile(), did you pass a "
            f"loss?",
            stacklevel=3,
        )
        indices = self._active_indices or list(range(len(grads)))
        self._active_indices = [indices[i] for i in kept]
        return [grads[i] for i in kept], [variables[i] for i in kept]

    def _accumulate_or_update(self, grads: list[Tensor], variables: list) -> None:
        accumulated = self._gather(self._accumulated_gradients)
        steps = self.gradient_accumulation_steps
        if (self._host_iteration_count() + 1) % steps:
            torch._foreach_add_(accumulated, grads)
            return
        grads = torch._foreach_div(torch._foreach_add(grads, accumulated), steps)
        self._update(grads, variables)
        torch._foreach_zero_(self._accumulated_gradients)

    def _update(self, grads: list[Tensor], variables: list[Tensor]) -> None:
        grads = self._clip_gradients(grads)
        learning_rate = self._current_learning_rate()
        self._apply_weight_decay(variables, learning_rate)
        self._multi_tensor_update(grads, variables, learning_rate)

    def _clip_gradients(self, grads: list[Tensor]) -> list[Tensor]:
        if self.clipnorm:
            return _clipping.clip_by_norm(grads, self.clipnorm)
        if self.global_clipnorm:
            return _clipping.clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue:
            return _clipping.clip_by_value(grads, self.clipvalue)
        return grads

    def _multi_tensor_update(
        self, grads: list[Tensor], variables: list[Tensor], learning_rate: Tensor
    ) -> None:
        """Updates all `variables`; the default calls `update_step` per weight."""
        for grad, variable in zip(grads, variables, strict=True):
            self.update_step(grad, variable, learning_rate)

    def update_step(
        self, gradient: Tensor, variable: Tensor, learning_rate: Tensor
    ) -> None:
        """Keras's per-weight update hook, for optimizers written Keras-style."""
        raise NotImplementedError(
            f"{self._label} must implement _multi_tensor_update(grads, "
            f"variables, learning_rate) or update_step(gradient, variable, "
            f"learning_rate)."
        )

    # ------------------------------------------------------- weight decay

    def exclude_from_weight_decay(
        self,
        var_list: list[Tensor] | None = None,
        var_names: list[str] | None = None,
    ) -> None:
        """Excludes weights from weight decay, before the first `apply`.

        Args:
            var_list: Weights to exclude.
            var_names: Substrings (regular expressions); a weight whose name
                contains one is excluded, e.g. `["bias"]`.
        """
        if self.built:
            raise ValueError(
                f"{self._label} is already built, so exclude_from_weight_decay() "
                f"has no effect. Call it before the first apply()."
            )
        self._exclude_from_decay_ids = {id(v) for v in var_list or []}
        self._exclude_from_decay_pattern = (
            re.compile("|".join(set(var_names))) if var_names else None
        )

    def _use_weight_decay(self, variable: Tensor) -> bool:
        if id(variable) in self._exclude_from_decay_ids:
            return False
        pattern = self._exclude_from_decay_pattern
        name = getattr(variable, "name", None) or ""
        return pattern is None or pattern.search(name) is None

    def _apply_weight_decay(
        self, variables: list[Tensor], learning_rate: Tensor
    ) -> None:
        if self.weight_decay is None:
            return
        flags = self._gather(self._weight_decay_flags)
        decayed = [v for v, use in zip(variables, flags, strict=True) if use]
        if decayed:
            torch._foreach_mul_(decayed, 1.0 - self.weight_decay * learning_rate)

    # ---------------------------------------------------------------- EMA

    def _update_moving_averages(self) -> None:
        variables = self._trainable_variables
        averages = self._model_variables_moving_average
        not_first_step = (self.iterations != 0).to(torch.float32)
        momentum = self.ema_momentum * not_first_step
        torch._foreach_mul_(averages, momentum)
        torch._foreach_add_(averages, torch._foreach_mul(variables, 1.0 - momentum))
        if not self.ema_overwrite_frequency:
            return
        due = ((self.iterations + 1) % self.ema_overwrite_frequency == 0).to(
            torch.float32
        )
        # var * 0 + avg * 1 (or var * 1 + avg * 0) is exact: a select
        # without reading the condition on the host.
        torch._foreach_mul_(variables, 1.0 - due)
        torch._foreach_add_(variables, torch._foreach_mul(averages, due))

    def finalize_variable_values(self, var_list: list[Tensor]) -> None:
        """Copies the moving averages into the weights when `use_ema=True`."""
        if not self.use_ema:
            return
        averages = self._model_variables_moving_average
        if len(var_list) != len(averages):
            raise ValueError(
                f"{self._label} keeps averages of {len(averages)} weights, but "
                f"finalize_variable_values() received {len(var_list)}. Pass the "
                f"weights the optimizer was applied to."
            )
        with torch.no_grad():
            torch._foreach_copy_(list(var_list), averages)

    # ------------------------------------------------------------- saving

    def scale_loss(self, loss: Tensor) -> Tensor:
        """Multiplies the loss by `loss_scale_factor`, when set."""
        if self.loss_scale_factor is None:
            return loss
        return loss * self.loss_scale_factor

    def get_weights(self) -> list[np.ndarray]:
        """The values of `variables` as NumPy arrays."""
        return [v.detach().cpu().numpy() for v in self._variables]

    def set_weights(self, weights: list[Any]) -> None:
        """Copies values into `variables`, which must already exist."""
        if not self.built:
            raise ValueError(
                f"{self._label} is not built, so it has no state to set. Call "
                f"build(trainable_variables) before set_weights()."
            )
        if len(weights) != len(self._variables):
            raise ValueError(
                f"{self._label} has {len(self._variables)} state tensors, but "
                f"set_weights() received {len(weights)} values."
            )
        with torch.no_grad():
            for variable, value in zip(self._variables, weights, strict=True):
                value = torch.as_tensor(np.asarray(value))
                if tuple(value.shape) != tuple(variable.shape):
                    raise ValueError(
                        f"{self._label} has a state tensor of shape "
                        f"{tuple(variable.shape)}, but set_weights() received "
                        f"a value of shape {tuple(value.shape)}."
                    )
                variable.copy_(value)

    def save_own_variables(self, store: dict) -> None:
        """Writes `variables` into `store` under keys `"0"`, `"1"`, ..."""
        for i, value in enumerate(self.get_weights()):
            store[str(i)] = value

    def load_own_variables(self, store: dict) -> None:
        """Reads `variables` from `store`; warns and skips on a count mismatch."""
        if len(store.keys()) != len(self._variables):
            warnings.warn(
                f"{self._label} has {len(self._variables)} state tensors but the "
                f"file holds {len(store.keys())}; its state is not loaded. "
                f"Build the optimizer (one apply()) before loading state.",
                stacklevel=2,
            )
            return
        self.set_weights([store[str(i)] for i in range(len(store.keys()))])

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments (Keras's keys), JSON-serializable.

        Example:
        >>> from lamina.optimizers import SGD
        >>> SGD(name="sgd_doc").get_config()["learning_rate"]
        0.009999999776482582
        """
        learning_rate = self._learning_rate
        if isinstance(learning_rate, LearningRateSchedule):
            learning_rate = serialize_schedule(learning_rate)
        elif isinstance(learning_rate, Tensor):
            learning_rate = float(learning_rate)
        config = {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> "Optimizer":
        """Rebuilds an optimizer from `get_config()` output (Keras 3 or 2)."""
        config = dict(config)
        for key in _KERAS2_IGNORED_CONFIG_KEYS:
            config.pop(key, None)
        if not config.get("decay"):
            config.pop("decay", None)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_schedule(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)


def _as_gradient(gradient: Any, variable: Tensor) -> Tensor:
    """The gradient as a tensor of the weight's dtype and device."""
    if isinstance(gradient, Tensor) and gradient.dtype == variable.dtype:
        return gradient
    return torch.as_tensor(gradient, device=variable.device).to(variable.dtype)
