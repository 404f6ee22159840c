"""Private helpers to flatten and rebuild nested lists, tuples and dicts."""

from typing import Any


def flatten(structure: Any) -> list[Any]:
    """Leaves of a nested structure, depth first (dict keys sorted)."""
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    return [structure]


def pack_like(structure: Any, leaves: list[Any]) -> Any:
    """Rebuilds `structure` with `leaves` in the order `flatten` gives."""
    packed, rest = _pack(structure, list(leaves))
    if rest:
        raise ValueError(
            f"pack_like received {len(leaves)} leaves, {len(rest)} too many for "
            f"the structure. Pass as many leaves as the structure holds."
        )
    return packed


def _pack(structure: Any, leaves: list[Any]) -> tuple[Any, list[Any]]:
    if isinstance(structure, (list, tuple)):
        items = []
        for item in structure:
            packed, leaves = _pack(item, leaves)
            items.append(packed)
        if isinstance(structure, tuple) and hasattr(structure, "_fields"):
            return type(structure)(*items), leaves
        return type(structure)(items), leaves
    if isinstance(structure, dict):
        result = {}
        for key in sorted(structure):
            result[key], leaves = _pack(structure[key], leaves)
        return type(structure)(result) if type(
            structure
        ) is not dict else result, leaves
    return leaves[0], leaves[1:]


def map_structure(function: Any, *structures: Any) -> Any:
    """Applies `function` leaf-wise over structures of the same layout."""
    flat = [flatten(s) for s in structures]
    return pack_like(
        structures[0], [function(*leaves) for leaves in zip(*flat, strict=True)]
    )


def is_nested(structure: Any) -> bool:
    """Whether `structure` is a list, tuple or dict."""
    return isinstance(structure, (list, tuple, dict))
