"""Weight constraints, and `get`/`serialize`/`deserialize` by name."""

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

import torch

from lamina.constraints.constraint import Constraint
from lamina.constraints.non_neg import NonNeg
from lamina.constraints.norm_constraints import MaxNorm
from lamina.constraints.norm_constraints import MinMaxNorm
from lamina.constraints.norm_constraints import UnitNorm
from lamina.initializers._serialization import deserialize_object
from lamina.initializers._serialization import serialize_object

max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

ALL_OBJECTS: dict[str, type[Constraint]] = {
    "Constraint": Constraint,
    "MaxNorm": MaxNorm,
    "MinMaxNorm": MinMaxNorm,
    "NonNeg": NonNeg,
    "UnitNorm": UnitNorm,
    "constraint": Constraint,
    "max_norm": MaxNorm,
    "maxnorm": MaxNorm,  # Keras 2 spelling
    "min_max_norm": MinMaxNorm,
    "non_neg": NonNeg,
    "nonneg": NonNeg,  # Keras 2 spelling
    "unit_norm": UnitNorm,
    "unitnorm": UnitNorm,  # Keras 2 spelling
}


def serialize(constraint: Constraint | None) -> dict[str, Any] | None:
    """Returns Keras 3's config dict of a constraint.

    Example:
    >>> serialize(MaxNorm(3))["config"]
    {'max_value': 3, 'axis': 0}
    """
    return serialize_object(constraint, "constraints", ALL_OBJECTS)


def deserialize(
    config: str | Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None
) -> Constraint:
    """Builds a constraint from a name or a Keras 2 / Keras 3 config dict.

    Example:
    >>> deserialize({"class_name": "MaxNorm", "config": {"max_value": 3}}).max_value
    3
    """
    return deserialize_object(config, "constraints", ALL_OBJECTS, custom_objects)


def get(identifier: Any) -> Callable[[torch.Tensor], torch.Tensor] | None:
    """Resolves a constraint from a name, config dict, class or callable.

    `None` stays `None`.

    Example:
    >>> get("non_neg")
    NonNeg()
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, Mapping)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Constraint):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Could not interpret constraint identifier {identifier!r} of type "
        f"{type(identifier).__name__}. Pass a name such as 'max_norm', a config "
        f"dict, a Constraint or a callable."
    )


__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "serialize",
    "unit_norm",
]
