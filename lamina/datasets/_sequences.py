"""Shared post-processing of the IMDB and Reuters word-index sequences."""

from __future__ import annotations

import numpy as np


def offset_words(sequences, start_char: int | None, index_from: int) -> list[list[int]]:
    """Shifts word indices by `index_from` and prepends `start_char`.

    Example:
    >>> offset_words([[1, 2]], start_char=1, index_from=3)
    [[1, 4, 5]]
    """
    prefix = [] if start_char is None else [start_char]
    return [prefix + [word + index_from for word in seq] for seq in sequences]


def drop_long(maxlen: int, sequences: list, labels) -> tuple[list, list]:
    """Keeps the samples shorter than `maxlen` (as Keras: strictly shorter).

    Example:
    >>> drop_long(3, [[1, 2], [1, 2, 3]], [0, 1])
    ([[1, 2]], [0])
    """
    pairs = zip(sequences, labels, strict=True)
    kept = [(seq, label) for seq, label in pairs if len(seq) < maxlen]
    return [seq for seq, _ in kept], [label for _, label in kept]


def limit_vocabulary(
    sequences: list[list[int]], num_words: int | None, skip_top: int, oov_char
) -> list[list[int]]:
    """Replaces (or drops) indices outside `[skip_top, num_words)`.

    Example:
    >>> limit_vocabulary([[1, 5, 9]], num_words=6, skip_top=0, oov_char=2)
    [[1, 5, 2]]
    """
    if not num_words:
        num_words = max(max(seq) for seq in sequences)
    if oov_char is None:
        return [[w for w in seq if skip_top <= w < num_words] for seq in sequences]
    return [
        [w if skip_top <= w < num_words else oov_char for w in seq] for seq in sequences
    ]


def to_object_array(sequences: list[list[int]]) -> np.ndarray:
    """Packs ragged lists into a 1-D object array (never a 2-D int array).

    Example:
    >>> to_object_array([[1, 2], [3, 4]]).shape
    (2,)
    """
    array = np.empty(len(sequences), dtype=object)
    for position, seq in enumerate(sequences):
        array[position] = seq
    return array
