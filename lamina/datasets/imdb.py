"""IMDB movie reviews labelled by sentiment, encoded as word indices.

25,000 training and 25,000 test reviews (Maas et al., ACL 2011). Words are
ranked by frequency in the training set: index 1 is the most frequent word
before the `index_from` offset is applied.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any

import numpy as np

from lamina.datasets._resolve import ORIGIN_FOLDER
from lamina.datasets._resolve import resolve_file
from lamina.datasets._safe_pickle import load_npz
from lamina.datasets._sequences import drop_long
from lamina.datasets._sequences import limit_vocabulary
from lamina.datasets._sequences import offset_words
from lamina.datasets._sequences import to_object_array

_FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
_WORD_INDEX_HASH = "027313fe9a320280f3bf0fac5baf58c4a683cf39a7ed9c3d3d3912bde4284cf6"

Split = tuple[np.ndarray, np.ndarray]


def load_data(
    path: str | os.PathLike = "imdb.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    **kwargs: Any,
) -> tuple[Split, Split]:
    """Loads the IMDB sentiment data set.

    Args:
        path: File name in the cache (`~/.lamina/datasets/`), downloaded and
            verified on first use; or the absolute path of a local copy of
            `imdb.npz`, used as is. Defaults to `"imdb.npz"`.
        num_words: Keep only the `num_words` most frequent words (indices
            below `num_words` after the offset); others become `oov_char`.
            `None` keeps all. Defaults to `None`.
        skip_top: Indices below `skip_top` also become `oov_char`.
            Defaults to `0`.
        maxlen: Drop reviews with `maxlen` or more words (start mark
            included). `None` keeps all. Defaults to `None`.
        seed: Seed of the shuffle applied to each split. Defaults to `113`.
        start_char: Index put first in each review; `None` for none.
            Defaults to `1`.
        oov_char: Index that replaces the words cut by `num_words` or
            `skip_top`; `None` drops them instead. Defaults to `2`.
        index_from: Offset added to every word index. Defaults to `3`.
        **kwargs: Keras 1's `nb_words` (alias of `num_words`, with a warning).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: 1-D object arrays of
        `list[int]` reviews and int64 labels (1 positive, 0 negative).

    Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> name = os.path.join(tempfile.mkdtemp(), "imdb.npz")
    >>> reviews = np.empty(2, dtype=object)
    >>> reviews[:] = [[5, 1], [2, 9]]
    >>> labels = np.array([1, 0])
    >>> np.savez(name, x_train=reviews, y_train=labels, x_test=reviews, y_test=labels)
    >>> (x_train, y_train), _ = load_data(path=name, seed=0)
    >>> x_train.tolist(), y_train.tolist()
    ([[1, 5, 2], [1, 8, 4]], [0, 1])
    """
    if "nb_words" in kwargs:
        warnings.warn(
            "imdb.load_data() received nb_words=, the Keras 1 name of "
            "num_words=; it is used as num_words. Pass num_words= instead.",
            stacklevel=2,
        )
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(
            f"imdb.load_data() got unexpected keyword arguments {sorted(kwargs)}."
        )
    path = resolve_file(path, f"{ORIGIN_FOLDER}imdb.npz", _FILE_HASH, "imdb.load_data")
    arrays = load_npz(path)
    rng = np.random.RandomState(seed)
    x_train, labels_train = _shuffled(rng, arrays["x_train"], arrays["y_train"])
    x_test, labels_test = _shuffled(rng, arrays["x_test"], arrays["y_test"])
    x_train = offset_words(x_train, start_char, index_from)
    x_test = offset_words(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"imdb.load_data(maxlen={maxlen}) kept no review: every one has "
                f"at least {maxlen} words. Raise maxlen, or pass maxlen=None and "
                "truncate with pad_sequences(maxlen=...)."
            )
    sequences = limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    split = len(x_train)
    return (
        (to_object_array(sequences[:split]), labels[:split]),
        (to_object_array(sequences[split:]), labels[split:]),
    )


def get_word_index(path: str | os.PathLike = "imdb_word_index.json") -> dict[str, int]:
    """Loads the dict that maps each IMDB word to its frequency rank.

    Ranks start at 1 and do not include `load_data`'s `index_from` offset:
    word `w` appears in the sequences as `get_word_index()[w] + 3`.

    Args:
        path: File name in the cache, or the absolute path of a local copy of
            `imdb_word_index.json`. Defaults to `"imdb_word_index.json"`.

    Returns:
        A dict from word to rank.

    Example:
    >>> import json, os, tempfile
    >>> name = os.path.join(tempfile.mkdtemp(), "imdb_word_index.json")
    >>> _ = open(name, "w").write(json.dumps({"the": 1, "and": 2}))
    >>> get_word_index(path=name)["and"]
    2
    """
    path = resolve_file(
        path,
        f"{ORIGIN_FOLDER}imdb_word_index.json",
        _WORD_INDEX_HASH,
        "imdb.get_word_index",
    )
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def _shuffled(rng: np.random.RandomState, xs: np.ndarray, ys: np.ndarray) -> Split:
    indices = np.arange(len(xs))
    rng.shuffle(indices)
    return xs[indices], ys[indices]
