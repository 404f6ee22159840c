"""`clone_model`: a new model with the same architecture and fresh weights."""

from collections.abc import Callable
from typing import Any


def clone_model(
    model: Any,
    input_tensors: Any = None,
    clone_function: Callable[[Any], Any] | None = None,
    call_function: Callable[..., Any] | None = None,
    recursive: bool = False,
    **kwargs: Any,
) -> Any:
    """Copies a model's architecture into new layers with new weights.

    Sequential and functional models are rebuilt from their config; each
    layer passes through `clone_function` (default: a new layer from the
    layer's config), so weights are freshly initialised, as in Keras. Copy
    weights afterwards with `clone.set_weights(model.get_weights())`.

    Args:
        model: A `Sequential` or functional model.
        input_tensors: Optional new `lamina.Input` tensor(s) to build the
            clone on.
        clone_function: Function from an old layer to its replacement.
        call_function: Accepted for Keras compatibility; must be `None`.
        recursive: Whether nested models are cloned with `clone_function`
            too (instead of through their config). Defaults to `False`.

    Returns:
        The new model, uncompiled.

    Example:
    >>> import lamina
    >>> model = lamina.Sequential([lamina.layers.Dense(2, input_shape=(3,))])
    >>> clone = clone_model(model)
    >>> clone.output_shape, clone.layers[0] is model.layers[0]
    ((None, 2), False)
    """
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential

    if call_function is not None or kwargs:
        raise ValueError(
            f"clone_model received call_function or {sorted(kwargs)}, which "
            f"lamina does not support. Pass only input_tensors and "
            f"clone_function."
        )
    clone_function = clone_function or _clone_layer
    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone_function)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_function, recursive)
    raise ValueError(
        f"clone_model works on Sequential and functional models, but received "
        f"{type(model).__name__} (a subclassed model). Create a new instance "
        f"of your class instead."
    )


def _clone_layer(layer: Any) -> Any:
    return type(layer).from_config(layer.get_config())


def _clone_sequential(model: Any, input_tensors: Any, clone_function: Any) -> Any:
    from lamina.layers.input_layer import Input
    from lamina.models.sequential import Sequential

    layers = [clone_function(layer) for layer in model.layers]
    clone = Sequential(name=model.name, trainable=model.trainable)
    if input_tensors is not None:
        clone.add(
            input_tensors[0] if isinstance(input_tensors, list) else input_tensors
        )
    elif model._input_spec is not None:
        spec = model._input_spec
        clone.add(Input(batch_shape=spec.shape, dtype=spec.dtype))
    for layer in layers:
        clone.add(layer, rebuild=False)
    clone._rebuild()
    return clone


def _clone_graph_layer(layer: Any, clone_function: Any, recursive: bool) -> Any:
    from lamina.layers.core.operation_call import OperationCall
    from lamina.models.functional import Functional

    if isinstance(layer, OperationCall):  # an op, not a layer: Keras copies it
        return OperationCall(layer.function, layer.op_config, name=layer.name)
    if isinstance(layer, Functional) and recursive:
        return clone_model(layer, clone_function=clone_function, recursive=True)
    return clone_function(layer)


def _clone_functional(
    model: Any, input_tensors: Any, clone_function: Any, recursive: bool
) -> Any:
    """Replays the model's graph, calling the cloned layers on new inputs."""
    from lamina.layers.input_layer import Input
    from lamina.layers.input_layer import InputLayer
    from lamina.layers.keras_tensor import KerasTensor
    from lamina.models.functional import Functional
    from lamina.utils import tree

    if input_tensors is None:
        new_inputs = [
            Input(batch_shape=t.shape, dtype=t.dtype, name=t._keras_history[0].name)
            for t in model.inputs
        ]
    else:
        new_inputs = list(tree.flatten(input_tensors))
    values = {id(old): new for old, new in zip(model.inputs, new_inputs, strict=True)}
    clones: dict[int, Any] = {}
    for node in model._nodes:
        if isinstance(node.layer, InputLayer):
            continue
        layer = node.layer
        if id(layer) not in clones:
            clones[id(layer)] = _clone_graph_layer(layer, clone_function, recursive)

        def lookup(value: Any) -> Any:
            return values[id(value)] if isinstance(value, KerasTensor) else value

        outputs = clones[id(layer)](
            tree.map_structure(lookup, node.inputs),
            *tree.map_structure(lookup, list(node.args)),
            **tree.map_structure(lookup, node.kwargs),
        )
        for old, new in zip(
            tree.flatten(node.outputs), tree.flatten(outputs), strict=True
        ):
            values[id(old)] = new
    inputs = tree.pack_sequence_as(model._inputs_struct, new_inputs)
    outputs = tree.map_structure(lambda t: values[id(t)], model._outputs_struct)
    return Functional(inputs, outputs, name=model.name, trainable=model.trainable)
