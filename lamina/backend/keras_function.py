"""`K.function` and `K.gradients`: Keras 2's way to evaluate parts of a model.

Keras 2 programs read intermediate activations and gradients this way:

    get_hidden = K.function([model.input, K.learning_phase()], [hidden.output])
    activations = get_hidden([x, 0])[0]
    grads = K.gradients(model.output[:, 3], model.input)[0]
    saliency = K.function([model.input], [grads])([x])[0]

Here the symbolic tensors are a functional graph; `function` makes a model of
it and runs it on arrays, and `gradients` adds a node that differentiates one
tensor of the graph with respect to others while the graph runs.
"""

from typing import Any

import numpy as np
import torch

from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.utils import tree


def gradients(loss: Any, variables: Any) -> list[Any]:
    """Gradients of `loss` (summed if not a scalar) with respect to `variables`.

    On symbolic tensors (`model.output`, `layer.output`, `model.input`) it
    returns symbolic gradients to evaluate with `K.function`; on tensors it
    differentiates at once. A variable `loss` does not depend on gets zeros.

    Args:
        loss: A tensor or a symbolic tensor of the model.
        variables: One or a list of: symbolic tensors of the same graph,
            weights (`model.trainable_weights`), or tensors.

    Returns:
        A list with one gradient per variable.

    Example:
    >>> import torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> gradients((x**2).sum(), [x])[0].tolist()
    [2.0, 4.0]
    """
    targets = list(variables) if isinstance(variables, (list, tuple)) else [variables]
    if isinstance(loss, KerasTensor):
        symbolic = [target for target in targets if isinstance(target, KerasTensor)]
        weights = [target for target in targets if not isinstance(target, KerasTensor)]
        for weight in weights:
            if not isinstance(weight, torch.Tensor) or not weight.requires_grad:
                raise TypeError(
                    f"gradients() of a symbolic loss takes symbolic tensors and "
                    f"trainable weights as variables, but received {weight!r}. "
                    f"Pass layer outputs, model inputs or model.trainable_weights."
                )
        outputs = SymbolicGradient(targets)(loss, *symbolic)
        return list(outputs)
    if not isinstance(loss, torch.Tensor):
        raise TypeError(
            f"gradients() expected a tensor or a symbolic tensor as loss, but "
            f"received {type(loss).__name__}."
        )
    return _differentiate(loss, targets)


def _differentiate(loss: torch.Tensor, targets: list[torch.Tensor]) -> list[Any]:
    found = torch.autograd.grad(
        loss.sum(),
        targets,
        allow_unused=True,
        retain_graph=True,
        create_graph=torch.is_grad_enabled(),
    )
    return [
        torch.zeros_like(target) if grad is None else grad
        for grad, target in zip(found, targets, strict=True)
    ]


class SymbolicGradient(Layer):
    """The graph node `K.gradients` adds: `d loss / d target` for each target.

    Args:
        targets: The variables in order: symbolic tensors (passed again as
            call inputs) and weights.
    """

    def __init__(self, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Kept out of nn.Module's registries: these weights belong to others.
        self.__dict__["_targets"] = tuple(targets)
        self.built = True

    def _symbolic_call(self, inputs: Any, args: tuple, kwargs: dict) -> Any:
        from lamina.backend.config import dtype_name
        from lamina.layers.node import Node

        outputs = tuple(
            KerasTensor(target.shape, target.dtype)
            if isinstance(target, KerasTensor)
            else KerasTensor(tuple(target.shape), dtype_name(target.dtype))
            for target in self._targets
        )  # each gradient has its target's shape
        Node(self, inputs, outputs, args, kwargs)
        return outputs

    def call(self, loss: torch.Tensor, *symbolic_values: torch.Tensor) -> tuple:
        values = iter(symbolic_values)
        targets = [
            next(values) if isinstance(target, KerasTensor) else target
            for target in self._targets
        ]
        for target in targets:
            if not target.requires_grad:
                raise ValueError(
                    f"Layer '{self.name}' cannot differentiate with respect to a "
                    f"tensor of shape {tuple(target.shape)} that no gradient "
                    f"reaches. Evaluate symbolic gradients with K.function, "
                    f"which tracks gradients from the model's inputs."
                )
        return tuple(_differentiate(loss, targets))


def function(
    inputs: Any,
    outputs: Any,
    updates: Any = None,
    name: str | None = None,
    **kwargs: Any,
) -> "KerasFunction":
    """A callable that evaluates symbolic `outputs` from values for `inputs`.

    Args:
        inputs: List of symbolic inputs (`model.input`, `Input(...)`). A
            `K.learning_phase()` entry is a slot for 0 (inference) or 1
            (training) in each call.
        outputs: A symbolic tensor or a list of them: layer outputs,
            `K.gradients` results, ops on these.
        updates: Optional list of `(variable, symbolic_value)` pairs assigned
            after each call.
        name: Unused; kept for Keras 2 code.

    Returns:
        A `KerasFunction`; call it with a list of arrays, one per input.

    Example:
    >>> import numpy as np
    >>> import lamina
    >>> inputs = lamina.Input((2,))
    >>> doubled = inputs * 2
    >>> function([inputs], [doubled])([np.ones((1, 2))])[0].tolist()
    [[2.0, 2.0]]
    """
    if kwargs:
        raise TypeError(
            f"function() received unexpected arguments {sorted(kwargs)}; it takes "
            f"inputs, outputs, updates and name."
        )
    return KerasFunction(inputs, outputs, updates)


class KerasFunction:
    """Evaluates a part of a functional graph; made by `K.function`."""

    def __init__(self, inputs: Any, outputs: Any, updates: Any = None) -> None:
        from lamina.models.functional import Functional

        inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._phase_slots = [
            index
            for index, item in enumerate(inputs)
            if not isinstance(item, KerasTensor)
        ]
        for index in self._phase_slots:
            if inputs[index] not in (0, 1):
                raise TypeError(
                    f"function() inputs must be symbolic tensors or "
                    f"K.learning_phase(), but input {index} is {inputs[index]!r}."
                )
        self._inputs = [item for item in inputs if isinstance(item, KerasTensor)]
        self._updates = _check_updates(updates)
        extra = [value for _, value in self._updates]
        self._outputs_struct = outputs
        flat_outputs = tree.flatten(outputs) + extra
        for output in flat_outputs:
            if not isinstance(output, KerasTensor):
                raise TypeError(
                    f"function() outputs must be symbolic tensors (layer "
                    f"outputs, K.gradients results), but received {output!r}."
                )
        self._model = Functional(self._inputs, flat_outputs)
        self._differentiates = any(
            isinstance(layer, SymbolicGradient) for layer in self._model.operations
        )

    def __call__(self, values: Any) -> Any:
        from lamina.backend.keras2 import learning_phase

        values = list(values) if isinstance(values, (list, tuple)) else [values]
        expected = len(self._inputs) + len(self._phase_slots)
        if len(values) != expected:
            raise ValueError(
                f"This K.function takes {expected} input value(s), one per input "
                f"it was made with, but received {len(values)}."
            )
        training = bool(learning_phase())
        tensors = []
        for index, value in enumerate(values):
            if index in self._phase_slots:
                training = bool(value)
            else:
                tensors.append(self._to_tensor(value))
        with torch.set_grad_enabled(self._differentiates):
            results = self._model(tensors, training=training)
        results = results if isinstance(results, list) else [results]
        count = len(results) - len(self._updates)
        for (variable, _), result in zip(self._updates, results[count:], strict=True):
            with torch.no_grad():
                variable.copy_(result.to(variable.dtype))
        arrays = [result.detach().cpu().numpy() for result in results[:count]]
        return tree.pack_sequence_as(self._outputs_struct, arrays)

    def _to_tensor(self, value: Any) -> torch.Tensor:
        from lamina.backend.device import get_device

        tensor = torch.as_tensor(np.asarray(value), device=get_device())
        if self._differentiates and tensor.is_floating_point():
            tensor = tensor.clone().requires_grad_(True)
        return tensor


def _check_updates(updates: Any) -> list[tuple[torch.Tensor, KerasTensor]]:
    checked = []
    for update in updates or []:
        if not (
            isinstance(update, (list, tuple))
            and len(update) == 2
            and isinstance(update[0], torch.Tensor)
            and isinstance(update[1], KerasTensor)
        ):
            raise TypeError(
                f"function() updates must be (variable, symbolic_value) pairs, "
                f"but received {update!r}."
            )
        checked.append((update[0], update[1]))
    return checked
