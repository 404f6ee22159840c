"""String inputs of the preprocessing layers: detection and conversion.

Strings arrive as Python `str`/`bytes`, nested lists of them, or NumPy arrays
of dtype `str`, `bytes` or `object`. Torch has no string tensors, so these
layers hold them as NumPy `object` arrays of Python `str`.
"""

from typing import Any

import numpy as np
import torch

_STRING_KINDS = ("U", "S", "T")


def first_leaf(value: Any) -> Any:
    """The first scalar in a nested list/tuple/array, or `None` when empty."""
    while isinstance(value, (list, tuple)):
        if not value:
            return None
        value = value[0]
    if isinstance(value, np.ndarray) and value.dtype.kind == "O":
        return value.flat[0] if value.size else None
    return value


def holds_strings(value: Any) -> bool:
    """Whether `value` is string data (not a tensor or numeric array).

    Example:
    >>> holds_strings([["a"], ["b"]]), holds_strings(np.array([1, 2]))
    (True, False)
    """
    if isinstance(value, torch.Tensor):
        return False
    if isinstance(value, np.ndarray) and value.dtype.kind in _STRING_KINDS:
        return True
    return isinstance(first_leaf(value), (str, bytes, np.str_, np.bytes_))


def to_string_array(value: Any, encoding: str = "utf-8", what: str = "") -> np.ndarray:
    """`value` as a NumPy `object` array of Python `str` (bytes decoded).

    Raises:
        ValueError: The nested lists are ragged (rows of different lengths).
    """
    if isinstance(value, np.ndarray):
        array = value
    else:
        try:
            array = np.asarray(value)
        except ValueError as err:
            raise ValueError(
                f"{what} received nested lists of strings whose rows have "
                f"different lengths, which cannot form one array. Pass one "
                f"string per sample (e.g. a list of sentences) or pad the rows "
                f"to equal length."
            ) from err
    if array.dtype.kind == "S":
        array = np.char.decode(array, encoding)
    if array.dtype.kind != "O":
        return array.astype(object)
    decode = np.frompyfunc(lambda item: _as_text(item, encoding), 1, 1)
    return np.array(decode(array), dtype=object)


def _as_text(item: Any, encoding: str) -> str:
    if isinstance(item, bytes):
        return item.decode(encoding)
    return str(item)


def encode_all(strings: np.ndarray, encoding: str = "utf-8") -> list[bytes]:
    """The byte strings of a flat array of `str`, for hashing."""
    return [text.encode(encoding) for text in strings.tolist()]
