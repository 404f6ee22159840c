"""`OperationCall`: an op of `lamina.ops` recorded in a functional model."""

from collections.abc import Callable
from typing import Any

from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.naming import to_snake_case
from lamina.layers.naming import unique_name
from lamina.ops._symbolic import is_symbolic
from lamina.ops._symbolic import keras_class_name
from lamina.ops._symbolic import keras_module
from lamina.ops._symbolic import node_function
from lamina.ops._symbolic import positional_arguments
from lamina.utils import tree


class OperationCall(Layer):
    """Replays one op call, such as `ops.mean(x, axis=-1)`, on real tensors.

    Calling an op of `lamina.ops` on a `KerasTensor` creates one of these;
    it is not meant to be built by hand.

    Args:
        function: The plain op function.
        config: The op's non-tensor arguments, by parameter name.

    Example:
    >>> import lamina
    >>> from lamina import ops
    >>> inputs = lamina.Input((3,))
    >>> model = lamina.Model(inputs, ops.sum(inputs, axis=-1))
    >>> type(model.operations[-1]).__name__, model.operations[-1].op_config
    ('OperationCall', {'axis': -1, 'keepdims': False})
    """

    def __init__(self, function: Callable, config: dict[str, Any], **kwargs: Any):
        # Named as Keras names the op: `absolute` for `ops.abs`, as its class.
        default_name = to_snake_case(keras_class_name(function.__name__))
        kwargs["name"] = kwargs.get("name") or unique_name(default_name)
        super().__init__(**kwargs)
        self.function = function
        self.op_config = dict(config)
        self._node_function = node_function(function)
        self.built = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from lamina.layers.node import Node
        from lamina.layers.shape_inference import infer_output_spec

        if not (is_symbolic(args) or is_symbolic(kwargs.values())):
            return self.call(*args, **kwargs)
        first, rest = (args[0], args[1:]) if args else (None, ())
        outputs = infer_output_spec(self, first, dict(kwargs), *rest)
        for output in tree.flatten(outputs):
            if not isinstance(output, KerasTensor):
                raise TypeError(
                    f"Op '{self.function.__name__}' returns a non-tensor "
                    f"({type(output).__name__}), so it cannot run on a symbolic "
                    f"KerasTensor, which has a shape and dtype but no values. "
                    f"Call it on real tensors, or inside a Layer's call()."
                )
        Node(self, first, outputs, rest, kwargs)
        return outputs

    def call(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("training", None)
        named = {**self.op_config, **kwargs}
        positional = positional_arguments(self.function, list(args), named)
        return self._node_function(*positional, **named)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, **self.op_config}

    def keras_config(self) -> dict[str, Any]:
        """The config as Keras 3 writes an operation node."""
        class_name = keras_class_name(self.function.__name__)
        return {
            "module": keras_module(self.function),
            "class_name": class_name,
            "config": self.get_config(),
            "registered_name": class_name,
        }


def shown_class_name(layer: Any) -> str:
    """The class name Keras shows for `layer`: `Mean` for a recorded `ops.mean`.

    Example:
    >>> import lamina
    >>> shown_class_name(lamina.layers.Dense(2))
    'Dense'
    """
    if isinstance(layer, OperationCall):
        return layer.keras_config()["class_name"]
    return type(layer).__name__
