"""Nested structures of lists, tuples, dicts and namedtuples (`keras.tree`).

A structure is nested when it is a list, tuple (namedtuples included), dict
(`OrderedDict` and `defaultdict` included) or deque; anything else, `None`
and tensors included, is a leaf. Dict children are visited in sorted key
order, except `OrderedDict`s, which keep their own order, as in Keras.

Example:
>>> flatten({"b": [1, 2], "a": (3, None)})
[3, None, 1, 2]
>>> map_structure(lambda x: x * 10, {"b": [1, 2], "a": 3})
{'b': [10, 20], 'a': 30}
"""

import collections
import warnings
from collections.abc import Callable
from typing import Any

Path = tuple[Any, ...]


class MAP_TO_NONE:  # upper case: Keras's public spelling, `keras.tree.MAP_TO_NONE`
    """Return this from a `traverse` function to replace a sub-tree by `None`."""


def is_nested(structure: Any) -> bool:
    """Whether `structure` is a list, tuple, dict or deque (not a leaf).

    Example:
    >>> is_nested({"foo": 42}), is_nested(42), is_nested(None)
    (True, False, False)
    """
    return isinstance(structure, (list, tuple, dict, collections.deque))


def _children(structure: Any) -> list[tuple[Any, Any]]:
    """`(key, child)` pairs of a nested value, in flattening order."""
    if isinstance(structure, collections.OrderedDict):
        return list(structure.items())
    if isinstance(structure, dict):
        return [(key, structure[key]) for key in _sorted_keys(structure)]
    return list(enumerate(structure))


def _sorted_keys(mapping: dict) -> list[Any]:
    try:
        return sorted(mapping)
    except TypeError as err:
        raise TypeError(
            f"A dict in the structure has keys {list(mapping)} that cannot be "
            f"sorted, so its leaves have no defined order. Use keys of one "
            f"type (all strings, say), or an OrderedDict."
        ) from err


def _rebuild(structure: Any, children: dict[Any, Any]) -> Any:
    """A container of `structure`'s type holding `children` (by key)."""
    if isinstance(structure, dict):
        rebuilt = {key: children[key] for key in structure}  # original key order
        if isinstance(structure, collections.defaultdict):
            return collections.defaultdict(structure.default_factory, rebuilt)
        return rebuilt if type(structure) is dict else type(structure)(rebuilt)
    items = [children[index] for index in range(len(structure))]
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*items)  # a namedtuple
    return items if type(structure) is list else type(structure)(items)


def flatten(structure: Any) -> list[Any]:
    """The leaves of `structure`, depth first.

    Example:
    >>> flatten([[1, 2, 3], [4, [5], [[6]]]])
    [1, 2, 3, 4, 5, 6]
    >>> flatten(None)
    [None]
    """
    return [leaf for _, leaf in flatten_with_path(structure)]


def flatten_with_path(structure: Any) -> list[tuple[Path, Any]]:
    """`(path, leaf)` pairs; a path is the tuple of indices and keys to the leaf.

    Example:
    >>> flatten_with_path([{"foo": 42}])
    [((0, 'foo'), 42)]
    """
    if not is_nested(structure):
        return [((), structure)]
    return [
        ((key, *path), leaf)
        for key, child in _children(structure)
        for path, leaf in flatten_with_path(child)
    ]


def pack_sequence_as(structure: Any, flat_sequence: Any) -> Any:
    """Fills `structure` with the leaves of `flat_sequence`, in `flatten` order.

    Example:
    >>> pack_sequence_as({"b": 0, "a": [0, 0]}, [1, 2, 3])
    {'b': 3, 'a': [1, 2]}
    """
    leaves = list(flat_sequence)
    needed = len(flatten(structure))
    if len(leaves) != needed:
        raise ValueError(
            f"pack_sequence_as received {len(leaves)} leaves, but the structure "
            f"holds {needed}. Pass exactly as many leaves as flatten(structure) "
            f"returns."
        )
    remaining = iter(leaves)
    return _map_leaves(lambda _: next(remaining), structure)


def _map_leaves(function: Callable[[Any], Any], structure: Any) -> Any:
    if not is_nested(structure):
        return function(structure)
    children = {
        key: _map_leaves(function, child) for key, child in _children(structure)
    }
    return _rebuild(structure, children)


def map_structure(
    func: Callable[..., Any], *structures: Any, none_is_leaf: bool = True
) -> Any:
    """Applies `func` leaf-wise over structures of the same layout.

    Args:
        func: Called with one leaf from each structure.
        *structures: Structures of one layout (see `assert_same_structure`).
        none_is_leaf: Whether `func` sees `None` leaves; when `False` they stay
            `None` in the result. Defaults to `True`.

    Example:
    >>> map_structure(lambda x, y: x * y, [[1], (2, 3)], [[4], (5, 6)])
    [[4], (10, 18)]
    """
    if not structures:
        raise TypeError("map_structure needs at least one structure after func.")
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    return _map_zipped(func, structures, none_is_leaf)


def _map_zipped(func: Callable[..., Any], structures: tuple, none_is_leaf: bool) -> Any:
    first = structures[0]
    if not is_nested(first):
        if first is None and not none_is_leaf:
            if any(other is not None for other in structures[1:]):
                raise ValueError(
                    f"map_structure with none_is_leaf=False met None in the "
                    f"first structure where another holds {structures[1:]}. "
                    f"Put None at the same places in every structure."
                )
            return None
        return func(*structures)
    children = {
        key: _map_zipped(func, tuple(s[key] for s in structures), none_is_leaf)
        for key, _ in _children(first)
    }
    return _rebuild(first, children)


def map_structure_up_to(
    shallow_structure: Any, func: Callable[..., Any], *structures: Any
) -> Any:
    """Like `map_structure`, but `func` gets whole sub-trees below the leaves of
    `shallow_structure`.

    Example:
    >>> map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
    ['[1, 1]', ['2', '2']]
    """
    if not structures:
        raise TypeError("map_structure_up_to needs at least one structure.")
    if not is_nested(shallow_structure):
        return func(*structures)
    for structure in structures:
        _check_same_node(
            shallow_structure, structure, "The shallow structure and a structure"
        )
    children = {
        key: map_structure_up_to(child, func, *(s[key] for s in structures))
        for key, child in _children(shallow_structure)
    }
    return _rebuild(shallow_structure, children)


def assert_same_structure(a: Any, b: Any, check_types: bool | None = None) -> None:
    """Raises `ValueError` unless `a` and `b` are nested the same way.

    Containers must have the same type and length (list and tuple differ;
    dict, `OrderedDict` and `defaultdict` match when their keys do).

    Args:
        a: A structure.
        b: Another structure.
        check_types: Deprecated in Keras and ignored; passing it warns.

    Example:
    >>> assert_same_structure([(0, 1)], [(2, 3)])
    >>> assert_same_structure([0, 1], (2, 3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The two structures don't have the same nested structure: list ...
    """
    if check_types is not None:
        warnings.warn(
            "assert_same_structure's check_types argument has no effect, as in "
            "Keras; remove it. For a looser check use assert_same_paths.",
            DeprecationWarning,
            stacklevel=2,
        )
    _assert_same(a, b, ())


def _assert_same(a: Any, b: Any, path: Path) -> None:
    if not is_nested(a) and not is_nested(b):
        return
    _check_same_node(a, b, "The two structures", path)
    for key, child in _children(a):
        _assert_same(child, b[key], (*path, key))


def _check_same_node(a: Any, b: Any, who: str, path: Path = ()) -> None:
    """Raises unless `b` is a container like `a` (type, length and keys)."""
    if not is_nested(b) or _node_type(a) is not _node_type(b):
        what_b = type(b).__name__ if is_nested(b) else f"the leaf {b!r}"
        raise ValueError(
            f"{who} don't have the same nested structure: "
            f"{type(a).__name__} at path {path} in the first, {what_b} in the "
            f"second. Make both structures alike, or compare with "
            f"assert_same_paths, which ignores container types."
        )
    if len(a) != len(b) or (isinstance(a, dict) and set(a) != set(b)):
        a_keys = [key for key, _ in _children(a)]
        b_keys = [key for key, _ in _children(b)]
        raise ValueError(
            f"{who} don't have the same nested structure: the "
            f"{type(a).__name__} at path {path} has keys {a_keys} in the first "
            f"and {b_keys} in the second. Give both the same length and keys."
        )


def _node_type(structure: Any) -> type:
    return dict if isinstance(structure, dict) else type(structure)


def assert_same_paths(a: Any, b: Any) -> None:
    """Raises `ValueError` unless `a` and `b` have the same leaf paths.

    Container types are ignored: `[0, 1]` and `(2, 3)` match.

    Example:
    >>> assert_same_paths([0, 1], (2, 3))
    """
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        raise ValueError(
            f"`a` and `b` don't have the same paths. Paths in `a` missing in "
            f"`b`: {sorted(a_paths - b_paths, key=repr)}. Paths in `b` missing "
            f"in `a`: {sorted(b_paths - a_paths, key=repr)}."
        )


def traverse(func: Callable[[Any], Any], structure: Any, top_down: bool = True) -> Any:
    """Applies `func` to every sub-tree, parents first (or last).

    Top down, a non-`None` result replaces the sub-tree and stops the descent;
    bottom up, a non-`None` result replaces the (already traversed) sub-tree.
    Return `MAP_TO_NONE` to put `None` in its place.

    Example:
    >>> seen = []
    >>> traverse(seen.append, [(1, 2), {"a": 3}])
    [(1, 2), {'a': 3}]
    >>> seen
    [[(1, 2), {'a': 3}], (1, 2), 1, 2, {'a': 3}, 3]
    """
    if top_down:
        result = func(structure)
        if result is None:
            return _traverse_children(func, structure, top_down)
    else:
        structure = _traverse_children(func, structure, top_down)
        result = func(structure)
        if result is None:
            return structure
    return None if result is MAP_TO_NONE else result


def _traverse_children(
    func: Callable[[Any], Any], structure: Any, top_down: bool
) -> Any:
    if not is_nested(structure):
        return structure
    children = {
        key: traverse(func, child, top_down) for key, child in _children(structure)
    }
    return _rebuild(structure, children)


def lists_to_tuples(structure: Any) -> Any:
    """The structure with every list turned into a tuple.

    Example:
    >>> lists_to_tuples([1, [2, {"a": [3]}]])
    (1, (2, {'a': (3,)}))
    """

    def list_to_tuple(value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else None

    return traverse(list_to_tuple, structure, top_down=False)


def map_shape_structure(func: Callable[[Any], Any], structure: Any) -> Any:
    """Like `map_structure`, but shape tuples (of ints and `None`) are leaves.

    Example:
    >>> map_shape_structure(len, {"a": (None, 3), "b": [(1, 2), (3,)]})
    {'a': 2, 'b': [2, 1]}
    """
    if _is_shape(structure) or not is_nested(structure):
        return func(structure)
    children = {
        key: map_shape_structure(func, child) for key, child in _children(structure)
    }
    return _rebuild(structure, children)


def _is_shape(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(
        isinstance(dim, (int, type(None))) for dim in value
    )
