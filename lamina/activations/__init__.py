"""Activation functions, and `get`/`serialize`/`deserialize` by name."""

import types
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from lamina.activations.activations import celu
from lamina.activations.activations import elu
from lamina.activations.activations import exponential
from lamina.activations.activations import gelu
from lamina.activations.activations import glu
from lamina.activations.activations import hard_shrink
from lamina.activations.activations import hard_sigmoid
from lamina.activations.activations import hard_silu
from lamina.activations.activations import hard_swish
from lamina.activations.activations import hard_tanh
from lamina.activations.activations import leaky_relu
from lamina.activations.activations import linear
from lamina.activations.activations import log_sigmoid
from lamina.activations.activations import log_softmax
from lamina.activations.activations import mish
from lamina.activations.activations import relu
from lamina.activations.activations import relu6
from lamina.activations.activations import selu
from lamina.activations.activations import sigmoid
from lamina.activations.activations import silu
from lamina.activations.activations import soft_shrink
from lamina.activations.activations import softmax
from lamina.activations.activations import softplus
from lamina.activations.activations import softsign
from lamina.activations.activations import sparse_plus
from lamina.activations.activations import sparse_sigmoid
from lamina.activations.activations import sparsemax
from lamina.activations.activations import squareplus
from lamina.activations.activations import swish
from lamina.activations.activations import tanh
from lamina.activations.activations import tanh_shrink
from lamina.activations.activations import threshold
from lamina.initializers._serialization import deserialize_object
from lamina.initializers._serialization import serialize_object

_FUNCTIONS = (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh,
    tanh_shrink,
    threshold,
)
ALL_OBJECTS: dict[str, Callable[..., Any]] = {
    **{function.__name__: function for function in _FUNCTIONS},
    "hard_swish": hard_silu,
    "swish": silu,
}


def serialize(activation: Callable[..., Any] | None) -> Any:
    """Returns the name of a built-in activation, or a config dict otherwise.

    Example:
    >>> serialize(swish)
    'silu'
    """
    if activation is None:
        return None
    if isinstance(activation, types.FunctionType):
        if ALL_OBJECTS.get(activation.__name__) is activation:
            return activation.__name__
        return {
            "module": activation.__module__,
            "class_name": "function",
            "config": activation.__name__,
            "registered_name": "function",
        }
    return serialize_object(activation, "activations", ALL_OBJECTS)


def deserialize(
    config: str | Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None
) -> Callable[..., Any]:
    """Returns the activation named by `config` (a name or a config dict).

    Example:
    >>> deserialize("relu") is relu
    True
    """
    return deserialize_object(config, "activations", ALL_OBJECTS, custom_objects)


def get(identifier: Any) -> Callable[..., Any]:
    """Resolves an activation from a name, config dict or callable.

    `None` gives `linear`.

    Example:
    >>> get(None) is linear, get("swish") is silu
    (True, True)
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, Mapping)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Could not interpret activation identifier {identifier!r} of type "
        f"{type(identifier).__name__}. Pass a name such as 'relu', a config "
        f"dict or a callable."
    )


__all__ = [
    "celu",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
]
