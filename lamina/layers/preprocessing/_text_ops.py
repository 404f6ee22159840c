"""The text steps of `TextVectorization`, matching TensorFlow's string ops.

Keras standardizes and splits text with TensorFlow: `tf.strings.lower`
lowercases ASCII letters only, the punctuation it strips is ASCII
punctuation (`string.punctuation`), and `tf.strings.split` splits on ASCII
whitespace only (space, tab, newline, vertical tab, form feed, carriage
return). These functions do exactly that on Python strings, so that
`"ÉCOLE\\u00a0ABC"` becomes `"École\\u00a0abc"` here as there.
"""

import re
import string
from collections.abc import Iterable

import numpy as np

STANDARDIZE_MODES = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT_MODES = ("whitespace", "character")

_LOWER = {ord(upper): ord(upper.lower()) for upper in string.ascii_uppercase}
_STRIP = {ord(mark): None for mark in string.punctuation}
_TABLES = {
    "lower": _LOWER,
    "strip_punctuation": _STRIP,
    "lower_and_strip_punctuation": {**_LOWER, **_STRIP},
}
_NOT_ASCII_SPACE = re.compile(r"[^ \t\n\v\f\r]+")


def standardize(texts: np.ndarray, mode: str) -> np.ndarray:
    """Applies a built-in standardization to an `object` array of `str`.

    Example:
    >>> texts = np.array(["Hello, WORLD!"], dtype=object)
    >>> standardize(texts, "lower_and_strip_punctuation")
    array(['hello world'], dtype=object)
    """
    table = _TABLES[mode]
    flat = [text.translate(table) for text in texts.reshape(-1).tolist()]
    return np.array(flat, dtype=object).reshape(texts.shape)


def split_whitespace(text: str) -> list[str]:
    """Splits on runs of ASCII whitespace, dropping empty tokens."""
    return _NOT_ASCII_SPACE.findall(text)


def split_characters(text: str) -> list[str]:
    """One token per Unicode code point."""
    return list(text)


def ngrams(tokens: list[str], widths: Iterable[int]) -> list[str]:
    """All n-grams of each width in turn, words joined by a space.

    Example:
    >>> ngrams(["a", "b", "c"], (1, 2))
    ['a', 'b', 'c', 'a b', 'b c']
    """
    grams: list[str] = []
    for width in widths:
        grams.extend(
            " ".join(tokens[start : start + width])
            for start in range(len(tokens) - width + 1)
        )
    return grams


def pad_rows(rows: list[np.ndarray], length: int | None) -> np.ndarray:
    """Stacks integer rows into a matrix, cut or padded with 0 to `length`.

    Without `length` the rows are padded to the longest one.

    Example:
    >>> pad_rows([np.array([1, 2, 3]), np.array([4])], 2).tolist()
    [[1, 2], [4, 0]]
    """
    lengths = np.array([len(row) for row in rows], dtype=np.int64)
    width = int(lengths.max(initial=0)) if length is None else length
    matrix = np.zeros((len(rows), width), dtype=np.int64)
    if not rows:
        return matrix
    flat = np.concatenate(rows) if lengths.sum() else np.zeros(0, np.int64)
    row_ids = np.repeat(np.arange(len(rows)), lengths)
    positions = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    keep = positions < width
    matrix[row_ids[keep], positions[keep]] = flat[keep]
    return matrix
