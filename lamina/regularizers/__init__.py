"""Weight regularizers, and `get`/`serialize`/`deserialize` by name."""

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

import torch

from lamina.initializers._serialization import deserialize_object
from lamina.initializers._serialization import serialize_object
from lamina.regularizers.l1_l2 import L1
from lamina.regularizers.l1_l2 import L1L2
from lamina.regularizers.l1_l2 import L2
from lamina.regularizers.orthogonal_regularizer import OrthogonalRegularizer
from lamina.regularizers.regularizer import Regularizer

l1 = L1
l1_l2 = L1L2
l2 = L2
orthogonal_regularizer = OrthogonalRegularizer

ALL_OBJECTS: dict[str, type[Regularizer]] = {
    "L1": L1,
    "L1L2": L1L2,
    "L2": L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "Regularizer": Regularizer,
    "l1": L1,
    "l1_l2": L1L2,
    "l1l2": L1L2,
    "l2": L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
    "regularizer": Regularizer,
}


def serialize(regularizer: Regularizer | None) -> dict[str, Any] | None:
    """Returns Keras 3's config dict of a regularizer.

    Example:
    >>> serialize(L2(0.1))["config"]
    {'l2': 0.1}
    """
    return serialize_object(regularizer, "regularizers", ALL_OBJECTS)


def deserialize(
    config: str | Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None
) -> Regularizer:
    """Builds a regularizer from a name or a Keras 2 / Keras 3 config dict.

    Example:
    >>> deserialize({"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.0}}).l1
    0.1
    """
    return deserialize_object(config, "regularizers", ALL_OBJECTS, custom_objects)


def get(identifier: Any) -> Callable[[torch.Tensor], torch.Tensor] | None:
    """Resolves a regularizer from a name, config dict, class or callable.

    `None` stays `None`. The string `"l1_l2"` gives `L1L2(l1=0.01, l2=0.01)`,
    the defaults of Keras 2's `l1_l2`.

    Example:
    >>> get("l2")
    L2(l2=0.01)
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier == "l1_l2":
        return L1L2(l1=0.01, l2=0.01)
    if isinstance(identifier, (str, Mapping)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Could not interpret regularizer identifier {identifier!r} of type "
        f"{type(identifier).__name__}. Pass a name such as 'l2', a config "
        f"dict, a Regularizer or a callable."
    )


__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]
