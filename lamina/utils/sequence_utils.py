"""`pad_sequences`: turn ragged lists of sequences into one 2-D array."""

from __future__ import annotations

from typing import Any

import numpy as np


def pad_sequences(
    sequences: Any,
    maxlen: int | None = None,
    dtype: Any = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: Any = 0.0,
) -> np.ndarray:
    """Pads (or truncates) sequences to a common length.

    Sequences longer than `maxlen` lose values at the start (`truncating=
    "pre"`) or end (`"post"`); shorter ones are filled with `value` at the
    start (`padding="pre"`) or end (`"post"`). Elements may themselves be
    arrays of one common shape.

    Args:
        sequences: List (or other sized iterable) of sequences.
        maxlen: Output length. Defaults to the longest sequence.
        dtype: Output dtype; use `object` or a string dtype for text.
            Defaults to `"int32"`.
        padding: `"pre"` or `"post"`. Defaults to `"pre"`.
        truncating: `"pre"` or `"post"`. Defaults to `"pre"`.
        value: Fill value. Defaults to `0.0`.

    Returns:
        A NumPy array of shape `(len(sequences), maxlen) + element_shape`.

    Example:
    >>> pad_sequences([[1, 2, 3], [4]], maxlen=2)
    array([[2, 3],
           [0, 4]], dtype=int32)
    """
    _check_mode("padding", padding)
    _check_mode("truncating", truncating)
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            "pad_sequences() expects a list of sequences, but received "
            f"{type(sequences).__name__} without a length. Pass list(sequences)."
        )
    lengths, sample_shape = _lengths_and_sample_shape(sequences)
    if maxlen is None:
        maxlen = max(lengths) if lengths else 0
    _check_value_dtype(value, dtype)
    x = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    if maxlen == 0:
        return x
    for position, seq in enumerate(sequences):
        if not len(seq):
            continue
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"pad_sequences() expects every element to have shape "
                f"{sample_shape} (from the first non-empty sequence), but "
                f"sequence {position} has elements of shape {kept.shape[1:]}."
            )
        if padding == "post":
            x[position, : len(kept)] = kept
        else:
            x[position, -len(kept) :] = kept
    return x


def _check_mode(name: str, mode: str) -> None:
    if mode not in ("pre", "post"):
        raise ValueError(
            f"pad_sequences() expects {name}='pre' or 'post', but received "
            f"{name}={mode!r}."
        )


def _lengths_and_sample_shape(sequences: Any) -> tuple[list[int], tuple]:
    lengths = []
    sample_shape = None
    for position, seq in enumerate(sequences):
        try:
            lengths.append(len(seq))
        except TypeError as err:
            raise ValueError(
                "pad_sequences() expects a list of sequences, but element "
                f"{position} is {seq!r}, which has no length. Wrap single "
                "values in lists: [[1], [2]]."
            ) from err
        if sample_shape is None and len(seq):
            sample_shape = np.asarray(seq).shape[1:]
    return lengths, sample_shape or ()


def _check_value_dtype(value: Any, dtype: Any) -> None:
    if isinstance(value, str) and np.dtype(dtype).kind not in "OSU":
        raise ValueError(
            f"pad_sequences() cannot fill dtype={dtype!r} with the string "
            f"value={value!r}. Pass dtype=object (for strings of any length) "
            "or a string dtype such as dtype='<U10'."
        )
