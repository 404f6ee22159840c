"""Nested structures (lists, tuples, dicts of tensors) walked leaf by leaf."""

from collections.abc import Callable
from typing import Any


def is_nested(value: Any) -> bool:
    """Whether `value` is a list, tuple or dict (a structure, not a leaf)."""
    return isinstance(value, (list, tuple, dict))


def flatten(structure: Any) -> list[Any]:
    """Leaves of `structure` in order (dicts by sorted key, as Keras does).

    Example:
    >>> flatten({"b": 2, "a": [1, (3,)]})
    [1, 3, 2]
    """
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(function: Callable[[Any], Any], structure: Any) -> Any:
    """Applies `function` to every leaf, keeping the structure.

    Example:
    >>> map_structure(lambda x: x * 10, {"a": [1, 2], "b": 3})
    {'a': [10, 20], 'b': 30}
    """
    if isinstance(structure, dict):
        return {key: map_structure(function, value) for key, value in structure.items()}
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*(map_structure(function, v) for v in structure))
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(function, item) for item in structure)
    return function(structure)


def pack_sequence_as(structure: Any, flat: list[Any]) -> Any:
    """Rebuilds `structure` with the leaves taken in order from `flat`.

    Example:
    >>> pack_sequence_as({"a": [0, 0], "b": 0}, [1, 2, 3])
    {'a': [1, 2], 'b': 3}
    """
    leaves = iter(flat)

    def rebuild(node: Any) -> Any:
        if isinstance(node, dict):
            rebuilt = {key: rebuild(node[key]) for key in sorted(node)}
            return {key: rebuilt[key] for key in node}
        if isinstance(node, (list, tuple)):
            return type(node)(rebuild(item) for item in node)
        return next(leaves)

    return rebuild(structure)
