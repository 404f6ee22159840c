"""`get_source_inputs`: the `Input` tensors a symbolic tensor was computed from."""

from typing import Any

from lamina.utils import tree


def get_source_inputs(tensor: Any) -> Any:
    """Returns the list of input tensors needed to compute `tensor`.

    Walks the functional graph back from `tensor` through each layer call to
    the `lamina.Input` tensors it depends on, each listed once, in the order
    they are first reached. A value that is not a symbolic tensor is returned
    unchanged, as in Keras.

    Args:
        tensor: A symbolic tensor (`KerasTensor`) from the functional API.

    Returns:
        A list of the source `Input` tensors (possibly one element).

    Example:
    >>> import lamina
    >>> a = lamina.Input(shape=(2,), name="a")
    >>> b = lamina.Input(shape=(3,), name="b")
    >>> merged = lamina.layers.Concatenate()([a, b])
    >>> [t.name for t in get_source_inputs(lamina.layers.Dense(1)(merged))]
    ['a', 'b']
    """
    from lamina.layers.input_layer import InputLayer  # layers import utils

    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return tensor
    layer, node_index, _ = history
    if not layer._inbound_nodes:
        return [tensor]
    node = layer._inbound_nodes[node_index]
    if isinstance(layer, InputLayer) or not node.input_tensors:
        return tree.flatten(node.outputs)
    sources: list[Any] = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not seen for seen in sources):
                sources.append(source)
    return sources
