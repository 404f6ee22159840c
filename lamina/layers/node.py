"""`Node`: one call of a layer on symbolic inputs, an edge of the model graph."""

from typing import Any

from lamina.utils import tree


class Node:
    """Records that `layer` was called on `inputs` and produced `outputs`.

    Creating a node stamps each output `KerasTensor` with its history
    `(layer, node_index, tensor_index)` so models can walk the graph back.
    """

    def __init__(
        self, layer: Any, inputs: Any, outputs: Any, args: tuple, kwargs: dict
    ) -> None:
        self.layer = layer
        self.inputs = inputs
        self.outputs = outputs
        self.args = args
        self.kwargs = {k: v for k, v in kwargs.items() if k not in ("training",)}
        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for tensor_index, tensor in enumerate(tree.flatten(outputs)):
            tensor._keras_history = (layer, node_index, tensor_index)

    @property
    def input_tensors(self) -> list[Any]:
        from lamina.layers.keras_tensor import KerasTensor

        leaves = tree.flatten([self.inputs, list(self.args), self.kwargs])
        return [leaf for leaf in leaves if isinstance(leaf, KerasTensor)]

    @property
    def parent_nodes(self) -> list["Node"]:
        parents = []
        for tensor in self.input_tensors:
            layer, node_index, _ = tensor._keras_history
            parents.append(layer._inbound_nodes[node_index])
        return parents
