"""`MultiOptimizer`: trains each weight with the optimizer chosen for it."""

import warnings
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer_map import OptimizerMap
from lamina.optimizers.optimizer_map import _check_optimizer

Tensor = torch.Tensor


class MultiOptimizer(Optimizer):
    """Delegates each weight to its own optimizer.

    `optimizer_map` picks the optimizer of each weight when the optimizer is
    built: an `OptimizerMap` (by weight path) or any callable
    `fn(weight) -> Optimizer`. Each step hands every optimizer its own
    weights and gradients; the sub-optimizers keep their own learning rates,
    state and `iterations`, reachable through `optimizers`. A
    `MultiOptimizer` has no learning rate of its own: reading or setting
    `learning_rate` is an error, as in Keras.

    Args:
        optimizer_map: An `OptimizerMap`, or a callable that returns the
            `Optimizer` of a given weight.
        loss_scale_factor: Float or `None`; set on every sub-optimizer
            (gradients are divided by it). Defaults to `None`.
        name: String. Defaults to `"multi_optimizer"`, made unique.

    Example:
    >>> from lamina.backend import Variable
    >>> from lamina.optimizers import SGD
    >>> optimizer_map = OptimizerMap(SGD(0.1), {"encoder/.*": SGD(1.0)})
    >>> optimizer = MultiOptimizer(optimizer_map)
    >>> encoder = Variable(torch.zeros(1), name="kernel", path="encoder/kernel")
    >>> decoder = Variable(torch.zeros(1), name="kernel", path="decoder/kernel")
    >>> optimizer.apply([torch.ones(1), torch.ones(1)], [encoder, decoder])
    >>> encoder.tolist(), [round(x, 4) for x in decoder.tolist()]
    ([-1.0], [-0.1])
    """

    def __init__(
        self,
        optimizer_map: OptimizerMap | Callable[[Tensor], Optimizer],
        loss_scale_factor: float | None = None,
        name: str | None = None,
    ):
        if not callable(optimizer_map):
            raise TypeError(
                f"MultiOptimizer expected optimizer_map to be an OptimizerMap "
                f"or a callable weight -> Optimizer, but received "
                f"{optimizer_map!r} of type {type(optimizer_map).__name__}."
            )
        super().__init__(
            learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name
        )
        self._optimizer_map = optimizer_map
        self._inner_optimizers: list[Optimizer] = []
        known = list(getattr(optimizer_map, "values", list)())
        default = getattr(optimizer_map, "default_optimizer", None)
        for optimizer in [*known, default]:
            if optimizer is not None:
                self._add_inner(optimizer)

    def _add_inner(self, optimizer: Optimizer) -> int:
        """Registers a sub-optimizer once; returns its position."""
        for index, inner in enumerate(self._inner_optimizers):
            if inner is optimizer:
                return index
        optimizer.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(optimizer)
        return len(self._inner_optimizers) - 1

    @property
    def optimizers(self) -> list[Optimizer]:
        """The sub-optimizers, in the order their state is saved."""
        return list(self._inner_optimizers)

    @property
    def learning_rate(self) -> Tensor:
        raise AttributeError(
            f"{self._label} has no learning rate: each sub-optimizer has its "
            f"own. Read it from the sub-optimizers, e.g. "
            f"[o.learning_rate for o in optimizer.optimizers]."
        )

    @learning_rate.setter
    def learning_rate(self, learning_rate: Any) -> None:
        raise AttributeError(
            f"{self._label} has no learning rate to set: each sub-optimizer has "
            f"its own. Set it on the sub-optimizers in optimizer.optimizers."
        )

    lr = learning_rate

    @property
    def loss_scale_factor(self) -> float | None:
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value: float | None) -> None:
        self._loss_scale_factor = value
        for optimizer in getattr(self, "_inner_optimizers", []):
            optimizer.loss_scale_factor = value

    # --------------------------------------------------------------- build

    def build(self, variables: Iterable[Tensor]) -> None:
        """Asks `optimizer_map` for each weight's optimizer and builds them."""
        if self.built:
            return
        variables = list(variables)
        self._owners = [self._add_inner(self._owner_of(v)) for v in variables]
        for index, optimizer in enumerate(self._inner_optimizers):
            own = self._owned(index, variables, range(len(variables)))
            if own:
                optimizer.build(own)
        super().build(variables)

    def _owner_of(self, variable: Tensor) -> Optimizer:
        optimizer = self._optimizer_map(variable)
        try:
            _check_optimizer(optimizer, "the optimizer of a weight")
        except (TypeError, ValueError) as err:
            path = getattr(variable, "path", None) or tuple(variable.shape)
            raise type(err)(f"{self._label}, weight {path!r}: {err}") from err
        return optimizer

    def _owned(self, index: int, items: list, positions: Iterable[int]) -> list:
        """The entries of `items` whose weight (at `positions`) `index` owns."""
        return [
            item
            for item, position in zip(items, positions, strict=True)
            if self._owners[position] == index
        ]

    @property
    def variables(self) -> list[Tensor]:
        """Own state (iterations, learning rate), then each sub-optimizer's."""
        own = list(self._variables)
        return own + [v for opt in self._inner_optimizers for v in opt.variables]

    # --------------------------------------------------------------- apply

    def apply(
        self,
        grads: Iterable[Tensor | None],
        trainable_variables: Iterable[Tensor] | None = None,
    ) -> None:
        """Hands each sub-optimizer the gradients of its weights."""
        grads = list(grads)
        if not grads:
            return
        variables = self._resolve_variables(grads, trainable_variables)
        grads, variables = self._drop_missing_gradients(grads, variables)
        positions = self._active_indices or range(len(self._trainable_variables))
        self._active_indices = None
        for index, optimizer in enumerate(self._inner_optimizers):
            own_grads = self._owned(index, grads, positions)
            if own_grads:
                optimizer.apply(own_grads, self._owned(index, variables, positions))
        with torch.no_grad():
            self._increment_iterations()

    def _apply_update(self, grads: list[Tensor], variables: list[Tensor]) -> None:
        positions = range(len(variables))
        for index, optimizer in enumerate(self._inner_optimizers):
            own_variables = self._owned(index, variables, positions)
            if own_variables:
                optimizer._apply_update(
                    self._owned(index, grads, positions), own_variables
                )
        self._iterations.add_(1)

    def _after_traced_update(self, was_in_sync: bool) -> None:
        super()._after_traced_update(was_in_sync)
        for optimizer in self._inner_optimizers:
            # Their counters moved inside the graph: re-read them from the
            # device the next time a host copy is needed.
            optimizer._host_iterations_version = None

    def finalize_variable_values(self, var_list: list[Tensor]) -> None:
        """Lets each sub-optimizer finalize its weights (e.g. copy EMA values)."""
        if not self.built:
            return
        var_list = list(var_list)
        positions = [self._variable_index.get(id(v)) for v in var_list]
        if None in positions:
            raise ValueError(
                f"{self._label} received a weight in finalize_variable_values() "
                f"that it does not train. Pass the weights it was applied to."
            )
        for index, optimizer in enumerate(self._inner_optimizers):
            own = self._owned(index, var_list, positions)
            if own:
                optimizer.finalize_variable_values(own)

    # --------------------------------------------------------------- state

    def get_weights(self) -> list[np.ndarray]:
        return [v.detach().cpu().numpy() for v in self.variables]

    def set_weights(self, weights: list[Any]) -> None:
        """Copies values into own state, then each sub-optimizer's, in order."""
        if not self.built:
            raise ValueError(
                f"{self._label} is not built, so it has no state to set. Call "
                f"build(trainable_variables) before set_weights()."
            )
        variables = self.variables
        if len(weights) != len(variables):
            raise ValueError(
                f"{self._label} has {len(variables)} state tensors (its own and "
                f"its sub-optimizers'), but set_weights() received {len(weights)}."
            )
        with torch.no_grad():
            for variable, value in zip(variables, weights, strict=True):
                value = torch.as_tensor(np.asarray(value))
                if tuple(value.shape) != tuple(variable.shape):
                    raise ValueError(
                        f"{self._label} has a state tensor of shape "
                        f"{tuple(variable.shape)}, but set_weights() received "
                        f"a value of shape {tuple(value.shape)}."
                    )
                variable.copy_(value)

    def load_own_variables(self, store: dict) -> None:
        """Reads all state from `store`; warns and skips on a count mismatch."""
        count = len(self.variables)
        if len(store.keys()) != count:
            warnings.warn(
                f"{self._label} has {count} state tensors (its own and its "
                f"sub-optimizers') but the file holds {len(store.keys())}; its "
                f"state is not loaded. Build the optimizer (one apply()) with "
                f"the same weights before loading state.",
                stacklevel=2,
            )
            return
        self.set_weights([store[str(i)] for i in range(count)])

    def get_config(self) -> dict[str, Any]:
        return {
            "optimizer_map": _serialize_map(self._optimizer_map),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> "MultiOptimizer":
        # Imported here: lamina.saving imports the optimizers (a cycle).
        from lamina.saving.serialization_lib import deserialize_keras_object

        if "optimizer_map" not in config:
            raise ValueError(
                f"MultiOptimizer.from_config() needs the key 'optimizer_map', "
                f"but received a config with keys {sorted(config)}. Create it "
                f"with MultiOptimizer(OptimizerMap(...)) instead of by name."
            )
        config = dict(config)
        config["optimizer_map"] = deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(**config)


def _serialize_map(optimizer_map: Any) -> Any:
    """The Keras config of an `OptimizerMap`, or of a (registered) callable."""
    # Imported here: lamina.saving imports the optimizers (a cycle).
    from lamina.saving import object_registration
    from lamina.saving.serialization_lib import serialize_keras_object

    if not isinstance(optimizer_map, OptimizerMap):
        return serialize_keras_object(optimizer_map)
    # Written by hand: as a Mapping, the generic serializer would save the
    # map's entries instead of the object.
    cls = type(optimizer_map)
    is_builtin = cls is OptimizerMap
    return {
        "module": "keras.optimizers" if is_builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": optimizer_map.get_config(),
        "registered_name": (
            None if is_builtin else object_registration.get_registered_name(cls)
        ),
    }
