"""Reuters newswires labelled over 46 topics, encoded as word indices.

11,228 newswires from Reuters-21578 (Distribution 1.0, free for research).
"""

from __future__ import annotations

import json
import os

import numpy as np

from lamina.datasets._resolve import ORIGIN_FOLDER
from lamina.datasets._resolve import resolve_file
from lamina.datasets._safe_pickle import load_npz
from lamina.datasets._sequences import drop_long
from lamina.datasets._sequences import limit_vocabulary
from lamina.datasets._sequences import offset_words
from lamina.datasets._sequences import to_object_array

_FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
# Only the md5 of Keras's hosted word index is published.
_WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
    "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton",
    "carcass", "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp",
    "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal",
    "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei",
    "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog",
    "lead",
)  # fmt: skip

Split = tuple[np.ndarray, np.ndarray]


def load_data(
    path: str | os.PathLike = "reuters.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> tuple[Split, Split]:
    """Loads the Reuters newswire topic classification data set.

    Args:
        path: File name in the cache (`~/.lamina/datasets/`), downloaded and
            verified on first use; or the absolute path of a local copy of
            `reuters.npz`, used as is. Defaults to `"reuters.npz"`.
        num_words: Keep only indices below `num_words` (after the offset);
            others become `oov_char`. `None` keeps all. Defaults to `None`.
        skip_top: Indices below `skip_top` also become `oov_char`.
            Defaults to `0`.
        maxlen: Drop wires with `maxlen` or more words. Defaults to `None`.
        test_split: Fraction of the shuffled wires used as test set.
            Defaults to `0.2`.
        seed: Seed of the shuffle. Defaults to `113`.
        start_char: Index put first in each wire; `None` for none.
            Defaults to `1`.
        oov_char: Index that replaces cut words; `None` drops them.
            Defaults to `2`.
        index_from: Offset added to every word index. Defaults to `3`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: 1-D object arrays of
        `list[int]` wires and int64 topic labels 0..45 (see
        `get_label_names`).

    Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> name = os.path.join(tempfile.mkdtemp(), "reuters.npz")
    >>> wires = np.empty(5, dtype=object)
    >>> wires[:] = [[1], [2], [3], [4], [5]]
    >>> np.savez(name, x=wires, y=np.arange(5))
    >>> (x_train, y_train), (x_test, y_test) = load_data(path=name)
    >>> len(x_train), len(x_test)
    (4, 1)
    """
    if not 0 <= test_split < 1:
        raise ValueError(
            f"reuters.load_data() expects 0 <= test_split < 1, but received "
            f"test_split={test_split}. Pass e.g. test_split=0.2."
        )
    path = resolve_file(
        path, f"{ORIGIN_FOLDER}reuters.npz", _FILE_HASH, "reuters.load_data"
    )
    arrays = load_npz(path)
    xs, labels = arrays["x"], arrays["y"]
    indices = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(indices)
    xs, labels = xs[indices], labels[indices]
    xs = offset_words(xs, start_char, index_from)
    if maxlen:
        xs, labels = drop_long(maxlen, xs, labels)
    xs = limit_vocabulary(xs, num_words, skip_top, oov_char)
    split = int(len(xs) * (1 - test_split))
    return (
        (to_object_array(xs[:split]), np.array(labels[:split])),
        (to_object_array(xs[split:]), np.array(labels[split:])),
    )


def get_word_index(
    path: str | os.PathLike = "reuters_word_index.json",
) -> dict[str, int]:
    """Loads the dict that maps each Reuters word to its frequency rank.

    Ranks start at 1 and do not include `load_data`'s `index_from` offset.

    Args:
        path: File name in the cache, or the absolute path of a local copy of
            `reuters_word_index.json`. Defaults to `"reuters_word_index.json"`.

    Returns:
        A dict from word to rank.

    Example:
    >>> import json, os, tempfile
    >>> name = os.path.join(tempfile.mkdtemp(), "reuters_word_index.json")
    >>> _ = open(name, "w").write(json.dumps({"the": 1}))
    >>> get_word_index(path=name)
    {'the': 1}
    """
    path = resolve_file(
        path,
        f"{ORIGIN_FOLDER}reuters_word_index.json",
        _WORD_INDEX_HASH,
        "reuters.get_word_index",
    )
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def get_label_names() -> tuple[str, ...]:
    """Returns the 46 topic names, indexed by label.

    Returns:
        A tuple of strings; `get_label_names()[y]` names label `y`.

    Example:
    >>> get_label_names()[:3]
    ('cocoa', 'grain', 'veg-oil')
    """
    return _LABEL_NAMES
