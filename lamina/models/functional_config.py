"""Keras 3's config of a functional model, both ways, and Keras's layer order.

`functional_config` writes `{"name", "trainable", "layers", "input_layers",
"output_layers"}` with each layer's `inbound_nodes` in Keras 3's form;
`functional_from_config` also reads Keras 2's `[[["dense", 0, 0, {}]]]`
nodes.
"""

from collections.abc import Mapping
from typing import Any

from lamina.saving.errors import LoadError
from lamina.utils import tree


# --------------------------------------------------------------- layer order
def keras_layer_order(inputs: list[Any], outputs: list[Any]) -> list[Any]:
    """The layers of a graph in the order Keras lists them in `model.layers`.

    Keras sorts layers by depth (distance from the outputs, deepest first)
    and breaks ties by the order a depth-first walk from the outputs meets
    them. Weight files name layers by their position in this order, so
    lamina lists them identically.
    """
    ordered_nodes, first_seen = _depth_first_nodes(inputs, outputs)
    graph = {id(node) for node in ordered_nodes}
    node_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    layers: dict[int, Any] = {}
    for node in reversed(ordered_nodes):
        depth = max(
            node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0)
        )
        layer_depth[id(node.layer)] = depth
        layers[id(node.layer)] = node.layer
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for tensor in inputs:
        layer = tensor._keras_history[0]
        if id(layer) not in layer_depth:
            layer_depth[id(layer)] = 0
            first_seen[id(layer)] = -1
            layers[id(layer)] = layer
    keys = sorted(layers, key=lambda key: (-layer_depth[key], first_seen[key]))
    return [layers[key] for key in keys]


def _depth_first_nodes(
    inputs: list[Any], outputs: list[Any]
) -> tuple[list[Any], dict[int, int]]:
    """Nodes from inputs to outputs, and each layer's first-seen index.

    Iterative (no recursion), so very deep models cannot overflow the stack.
    """
    input_ids = {id(tensor) for tensor in inputs}
    finished: set[int] = set()
    in_progress: set[int] = set()
    ordered: list[Any] = []
    first_seen: dict[int, int] = {}
    for output in outputs:
        stack = [(output, False)]
        while stack:
            tensor, expanded = stack.pop()
            node = _node_of(tensor)
            if expanded:
                finished.add(id(node))
                ordered.append(node)
                continue
            if id(node) in finished:
                continue
            if node.input_tensors and id(tensor) in input_ids:
                finished.add(id(node))
                continue
            if id(node) in in_progress:
                raise ValueError(
                    f"Layer '{node.layer.name}' is part of a cycle in the "
                    f"model graph; a functional model must be acyclic."
                )
            first_seen.setdefault(id(node.layer), len(first_seen))
            in_progress.add(id(node))
            stack.append((tensor, True))
            for parent in reversed(node.input_tensors):
                stack.append((parent, False))
    return ordered, first_seen


def _node_of(tensor: Any) -> Any:
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


# ---------------------------------------------------------------- to config
def functional_config(model: Any) -> dict[str, Any]:
    """Returns a functional model's config dict, as Keras 3 writes it.

    Example:
    >>> import lamina
    >>> inputs = lamina.Input(shape=(3,), name="x")
    >>> model = lamina.Model(inputs, lamina.layers.Dense(2, name="d")(inputs))
    >>> config = functional_config(model)
    >>> config["input_layers"], config["output_layers"]
    (['x', 0, 0], ['d', 0, 0])
    """
    from lamina.saving.serialization_lib import serialize_keras_object

    own_nodes = {id(node) for node in model._nodes}
    reindex = _node_reindexing(model.operations, own_nodes)
    layer_configs = []
    for layer in model.operations:
        layer_config = serialize_keras_object(layer)
        layer_config["name"] = layer.name
        layer_config["inbound_nodes"] = [
            _node_config(node, reindex)
            for node in layer._inbound_nodes
            if id(node) in own_nodes and node.input_tensors
        ]
        layer_configs.append(layer_config)

    def tensor_config(tensor: Any) -> list[Any]:
        layer, node_index, tensor_index = tensor._keras_history
        offset = 1 if _is_functional(layer) else 0  # Keras 3 counts from 1 here
        new_index = reindex[id(layer._inbound_nodes[node_index])] + offset
        return [layer.name, new_index, tensor_index]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layer_configs,
        "input_layers": tree.map_structure(tensor_config, model._inputs_struct),
        "output_layers": tree.map_structure(tensor_config, model._outputs_struct),
    }


def _is_functional(layer: Any) -> bool:
    from lamina.models.functional import Functional

    return isinstance(layer, Functional)


def _node_reindexing(layers: list[Any], own_nodes: set[int]) -> dict[int, int]:
    """Each kept node's index among its layer's nodes that this model uses."""
    reindex: dict[int, int] = {}
    for layer in layers:
        kept = 0
        for node in layer._inbound_nodes:
            if id(node) in own_nodes:
                reindex[id(node)] = kept
                kept += 1
    return reindex


def _node_config(node: Any, reindex: dict[int, int]) -> dict[str, Any]:
    from lamina.layers.keras_tensor import KerasTensor
    from lamina.saving.serialization_lib import keras_tensor_config
    from lamina.saving.serialization_lib import serialize_keras_object

    def serialize(value: Any) -> Any:
        if not isinstance(value, KerasTensor):
            return serialize_keras_object(value)
        layer, node_index, tensor_index = value._keras_history
        new_index = reindex.get(id(layer._inbound_nodes[node_index]), node_index)
        return keras_tensor_config(value, [layer.name, new_index, tensor_index])

    args = [node.inputs, *node.args]
    return {
        "args": _map_leaves(serialize, args),
        "kwargs": _map_leaves(serialize, dict(node.kwargs)),
    }


def _map_leaves(function: Any, structure: Any) -> Any:
    if isinstance(structure, (list, tuple)):
        return [_map_leaves(function, item) for item in structure]
    if isinstance(structure, Mapping):
        return {key: _map_leaves(function, value) for key, value in structure.items()}
    return function(structure)


# -------------------------------------------------------------- from config
def functional_from_config(
    config: Mapping[str, Any],
    custom_objects: Mapping[str, Any] | None = None,
    safe_mode: bool = True,
    cls: Any = None,
) -> Any:
    """Rebuilds a functional model from a Keras 3 or Keras 2 config dict.

    Layers are created first; then their calls are replayed, each as soon
    as the tensors it reads exist (so shared layers at different depths
    work).

    Raises:
        LoadError: The config is not a functional model's, or its graph
            cannot be rebuilt (an unknown layer name, a loop).
    """
    from lamina.models.functional import Functional

    _check_keys(config)
    created: dict[str, Any] = {}
    pending: list[tuple[Any, list[Any]]] = []
    for layer_data in config["layers"]:
        layer = _create_layer(layer_data, custom_objects, safe_mode)
        created[layer_data.get("name", layer.name)] = layer
        nodes = layer_data.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise LoadError(
                f"Layer '{layer.name}' has inbound_nodes that are not a list."
            )
        pending.append((layer, list(nodes)))
    _replay_calls(pending, created)
    inputs = _map_history(config["input_layers"], created)
    outputs = _map_history(config["output_layers"], created)
    cls = cls or Functional
    return cls(
        inputs=inputs,
        outputs=outputs,
        name=config.get("name"),
        trainable=config.get("trainable", True),
    )


def _check_keys(config: Any) -> None:
    missing = [
        key
        for key in ("layers", "input_layers", "output_layers")
        if not isinstance(config, Mapping) or key not in config
    ]
    if missing:
        raise LoadError(
            f"A functional model's config needs the keys 'layers', "
            f"'input_layers' and 'output_layers', but {missing} are missing."
        )
    if not isinstance(config["layers"], list) or not all(
        isinstance(layer, Mapping) for layer in config["layers"]
    ):
        raise LoadError("A functional model's 'layers' must be a list of dicts.")


def _create_layer(
    layer_data: Mapping[str, Any], custom_objects: Any, safe_mode: bool
) -> Any:
    from lamina.layers.layer import Layer
    from lamina.saving.serialization_lib import deserialize_keras_object

    layer_data = {
        key: value for key, value in layer_data.items() if key != "inbound_nodes"
    }
    layer = deserialize_keras_object(layer_data, custom_objects, safe_mode)
    if not isinstance(layer, Layer):
        raise LoadError(
            f"The functional config lists {layer_data.get('class_name')!r}, "
            f"which is not a layer (got {type(layer).__name__})."
        )
    return layer


def _replay_calls(
    pending: list[tuple[Any, list[Any]]], created: dict[str, Any]
) -> None:
    while any(nodes for _, nodes in pending):
        progressed = False
        for layer, nodes in pending:
            while nodes:
                call = _resolve_node(nodes[0], created)
                if call is None:
                    break
                args, kwargs = call
                layer(*args, **kwargs)
                nodes.pop(0)
                progressed = True
        if not progressed:
            stuck = [layer.name for layer, nodes in pending if nodes]
            raise LoadError(
                f"Cannot rebuild the functional model: the calls of layers "
                f"{stuck} read tensors that are never produced (a loop, or a "
                f"missing layer in the config)."
            )


def _resolve_node(node_data: Any, created: dict[str, Any]) -> tuple | None:
    """The `(args, kwargs)` of one layer call; `None` if an input is not ready."""
    if isinstance(node_data, list):
        return _resolve_keras2_node(node_data, created)
    if not isinstance(node_data, Mapping):
        raise LoadError(f"Cannot read the layer call {node_data!r} in the config.")
    not_ready = []

    def revive(value: Any) -> Any:
        if isinstance(value, Mapping) and value.get("class_name") == "__keras_tensor__":
            history = (value.get("config") or {}).get("keras_history")
            tensor = _tensor_at(history, created, offset=0)
            if tensor is None:
                not_ready.append(history)
            return tensor
        if isinstance(value, Mapping) and "class_name" in value and "config" in value:
            from lamina.saving.serialization_lib import deserialize_keras_object

            return deserialize_keras_object(value)
        if isinstance(value, Mapping):
            return {key: revive(item) for key, item in value.items()}
        if isinstance(value, list):
            return [revive(item) for item in value]
        return value

    args = revive(list(node_data.get("args") or []))
    kwargs = revive(dict(node_data.get("kwargs") or {}))
    return None if not_ready else (args, kwargs)


def _resolve_keras2_node(node_data: list[Any], created: dict[str, Any]) -> tuple | None:
    tensors = []
    kwargs: dict[str, Any] = {}
    for entry in node_data:
        if not isinstance(entry, list) or len(entry) not in (3, 4):
            raise LoadError(f"Cannot read the Keras 2 layer call {entry!r}.")
        tensor = _tensor_at(entry[:3], created, offset=0)
        if tensor is None:
            return None
        tensors.append(tensor)
        if len(entry) == 4 and isinstance(entry[3], Mapping):
            kwargs = dict(entry[3])
    return [tensors[0] if len(tensors) == 1 else tensors], kwargs


def _tensor_at(history: Any, created: dict[str, Any], offset: int) -> Any:
    if not isinstance(history, (list, tuple)) or len(history) != 3:
        raise LoadError(f"Cannot read the tensor reference {history!r} in the config.")
    name, node_index, tensor_index = history
    if name not in created:
        raise LoadError(
            f"The config refers to a layer named {name!r}, but no layer of that "
            f"name is in the model. Known layers: {sorted(created)}."
        )
    layer = created[name]
    node_index = int(node_index) - (offset if _is_functional(layer) else 0)
    if node_index < 0:
        raise LoadError(f"The config refers to node {history!r}, which cannot exist.")
    if node_index >= len(layer._inbound_nodes):
        return None
    outputs = tree.flatten(layer._inbound_nodes[node_index].outputs)
    if not 0 <= int(tensor_index) < len(outputs):
        raise LoadError(
            f"The config refers to output {tensor_index} of layer {name!r}, "
            f"which has {len(outputs)} output(s)."
        )
    return outputs[int(tensor_index)]


def _map_history(structure: Any, created: dict[str, Any]) -> Any:
    def is_leaf(value: Any) -> bool:
        return (
            isinstance(value, (list, tuple))
            and len(value) == 3
            and isinstance(value[0], str)
        )

    def resolve(value: Any) -> Any:
        if is_leaf(value):
            tensor = _tensor_at(value, created, offset=1)
            if tensor is None:
                raise LoadError(f"The model's input/output {value!r} does not exist.")
            return tensor
        if isinstance(value, Mapping):
            return {key: resolve(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [resolve(item) for item in value]
        raise LoadError(f"Cannot read the model input/output reference {value!r}.")

    return resolve(structure)
