"""`Functional`: a model defined as a graph of layer calls on `Input` tensors."""

from typing import Any

import torch

from lamina.layers.core.operation_call import OperationCall
from lamina.layers.input_layer import InputLayer
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.layer import shapes_compatible
from lamina.layers.node import Node
from lamina.models.functional_config import keras_layer_order
from lamina.models.model import Model
from lamina.trainers.trainer import Trainer
from lamina.utils import tree


class Functional(Model):
    """A model made by calling layers on `lamina.Input` tensors.

    Built by `lamina.Model(inputs, outputs)`; see `Model`.

    Args:
        inputs: An input tensor, or a list or dict of them.
        outputs: An output tensor, or a list or dict of them.
        name: Model name.
    """

    def __init__(
        self, inputs: Any, outputs: Any, name: str | None = None, **kwargs: Any
    ) -> None:
        Layer.__init__(self, name=name, **kwargs)
        Trainer.__init__(self)
        _check_symbolic(inputs, "inputs")
        _check_symbolic(outputs, "outputs")
        self._inputs_struct = _as_structure(inputs)
        self._outputs_struct = _as_structure(outputs)
        self.inputs = tree.flatten(self._inputs_struct)
        self.outputs = tree.flatten(self._outputs_struct)
        self._nodes = _topological_nodes(self.inputs, self.outputs)
        self._graph_layers = torch.nn.ModuleList(
            keras_layer_order(self.inputs, self.outputs)
        )
        self.built = True
        self._build_shapes = tree.map_structure(lambda t: t.shape, self._inputs_struct)

    @property
    def layers(self) -> list[Layer]:
        """The graph's layers in Keras's order; ops such as `ops.mean` excluded."""
        return [op for op in self._graph_layers if not isinstance(op, OperationCall)]

    @property
    def operations(self) -> list[Layer]:
        """The graph's layers and recorded ops, in Keras's order."""
        return list(self._graph_layers)

    @property
    def input(self) -> Any:
        """The symbolic input(s) the model was made with."""
        return self._inputs_struct

    @property
    def output(self) -> Any:
        """The symbolic output(s) the model was made with."""
        return self._outputs_struct

    @property
    def input_shape(self) -> Any:
        return _single_or_list([t.shape for t in self.inputs])

    @property
    def output_shape(self) -> Any:
        return _single_or_list([t.shape for t in self.outputs])

    @property
    def input_names(self) -> list[str]:
        return [t._keras_history[0].name for t in self.inputs]

    @property
    def output_names(self) -> list[str]:
        return [t._keras_history[0].name for t in self.outputs]

    def call(self, inputs: Any, training: bool | None = None, mask: Any = None) -> Any:
        flat_inputs = self._flatten_inputs(inputs)
        values: dict[int, Any] = {}
        for spec, tensor in zip(self.inputs, flat_inputs, strict=True):
            values[id(spec)] = tensor
        for node in self._nodes:
            if isinstance(node.layer, InputLayer):
                continue

            def lookup(value: Any) -> Any:
                return values[id(value)] if isinstance(value, KerasTensor) else value

            outputs = node.layer(
                tree.map_structure(lookup, node.inputs),
                *tree.map_structure(lookup, list(node.args)),
                **tree.map_structure(lookup, node.kwargs),
            )
            for spec, tensor in zip(
                tree.flatten(node.outputs), tree.flatten(outputs), strict=True
            ):
                values[id(spec)] = tensor
        flat = [values[id(spec)] for spec in self.outputs]
        for spec, tensor in zip(self.inputs, flat_inputs, strict=True):
            self._warn_if_shape_differs(spec, tensor)
        return tree.pack_sequence_as(self._outputs_struct, flat)

    def _flatten_inputs(self, inputs: Any) -> list[Any]:
        if isinstance(inputs, dict) and not isinstance(self._inputs_struct, dict):
            flat = [self._input_by_name(inputs, name) for name in self.input_names]
        else:
            flat = tree.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(
                f"Model '{self.name}' expects {len(self.inputs)} input(s) "
                f"{self.input_names}, but received {len(flat)}. Pass a list with "
                f"one array per input, or a dict keyed by input name."
            )
        return [
            adjust_input_rank(tensor, spec.shape)
            for tensor, spec in zip(flat, self.inputs, strict=True)
        ]

    def _input_by_name(self, inputs: dict, name: str) -> Any:
        if name not in inputs:
            raise ValueError(
                f"Model '{self.name}' has an input named {name!r}, but the dict "
                f"of inputs has keys {sorted(inputs)}. Key the dict by the "
                f"input names {self.input_names}."
            )
        return inputs[name]

    def _warn_if_shape_differs(self, spec: KerasTensor, tensor: Any) -> None:
        if not isinstance(tensor, torch.Tensor) or tensor.device.type == "meta":
            return
        received = (None, *tensor.shape[1:])
        if shapes_compatible(spec.shape, received):
            return
        first_layer = _first_consumer(self._nodes, spec) or spec._keras_history[0]
        first_layer.warn_shape_mismatch(spec.shape, received)

    def get_config(self) -> dict[str, Any]:
        from lamina.models.functional_config import functional_config

        return functional_config(self)


def adjust_input_rank(tensor: Any, expected: tuple) -> Any:
    """Adds or drops a trailing axis of size 1, as Keras does for model inputs.

    A `(N,)` label column fed to `Input(shape=(1,))` becomes `(N, 1)`.

    Example:
    >>> tuple(adjust_input_rank(torch.ones(4), (None, 1)).shape)
    (4, 1)
    """
    if not isinstance(tensor, torch.Tensor):
        return tensor
    if tensor.ndim == len(expected) - 1 and expected[-1] == 1:
        return tensor.unsqueeze(-1)
    if tensor.ndim == len(expected) + 1 and tensor.shape[-1] == 1:
        return tensor.squeeze(-1)
    return tensor


def functional_from_config(config: dict[str, Any], custom_objects: Any) -> Functional:
    """Rebuilds a functional model from its Keras config dict."""
    from lamina.models.functional_config import functional_from_config as rebuild

    return rebuild(config, custom_objects)


def _check_symbolic(structure: Any, what: str) -> None:
    for leaf in tree.flatten(structure):
        if not isinstance(leaf, KerasTensor):
            raise TypeError(
                f"Model {what} must be symbolic tensors made with lamina.Input "
                f"and layer calls, but received {type(leaf).__name__}. Start the "
                f"graph with lamina.Input(shape=...)."
            )


def _as_structure(structure: Any) -> Any:
    if isinstance(structure, tuple):
        return list(structure)
    return structure


def _topological_nodes(inputs: list[Any], outputs: list[Any]) -> list[Node]:
    """Nodes from the inputs to the outputs, each after the nodes it reads."""
    input_ids = {id(t) for t in inputs}
    ordered = [
        _node_of(t) for t in inputs if isinstance(t._keras_history[0], InputLayer)
    ]
    visited = {id(node) for node in ordered}

    def visit(tensor: KerasTensor) -> None:
        node = _node_of(tensor)
        if id(node) in visited or id(tensor) in input_ids:
            return
        visited.add(id(node))
        if isinstance(node.layer, InputLayer):
            raise ValueError(
                f"The model's outputs depend on input '{node.layer.name}', which "
                f"is not among the model's inputs. Add it to inputs=[...]."
            )
        for parent in node.input_tensors:
            visit(parent)
        ordered.append(node)

    for tensor in outputs:
        visit(tensor)
    return ordered


def _node_of(tensor: KerasTensor) -> Node:
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


def _first_consumer(nodes: list[Node], spec: KerasTensor) -> Layer | None:
    for node in nodes:
        if any(t is spec for t in node.input_tensors):
            return node.layer
    return None


def _single_or_list(shapes: list[Any]) -> Any:
    return shapes[0] if len(shapes) == 1 else shapes
