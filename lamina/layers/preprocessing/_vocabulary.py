"""Learning a vocabulary: token and document counts, order, IDF weights."""

import collections
import itertools
import os
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch


class VocabularyCounter:
    """Counts tokens (and documents holding them) over the batches of `adapt`.

    Example:
    >>> counter = VocabularyCounter()
    >>> counter.count([["b", "a"], ["a"]], documents=False)
    >>> counter.most_frequent(exclude=(), limit=None)
    ['a', 'b']
    """

    def __init__(self) -> None:
        self.token_counts: collections.Counter = collections.Counter()
        self.document_counts: collections.Counter = collections.Counter()
        self.num_documents = 0

    def __bool__(self) -> bool:
        return bool(self.token_counts)

    def count(self, rows: Iterable[list[Any]], documents: bool) -> None:
        """Adds the tokens of `rows`; with `documents`, each row is a document."""
        if not documents:
            self.token_counts.update(itertools.chain.from_iterable(rows))
            return
        for row in rows:
            self.token_counts.update(row)
            self.document_counts.update(set(row))
            self.num_documents += 1

    def most_frequent(self, exclude: Iterable[Any], limit: int | None) -> list[Any]:
        """Tokens by count, highest first; ties put the larger token first.

        This is Keras's deterministic order (`np.lexsort((tokens, counts))`
        reversed); Python's `str` order is the UTF-8 byte order TensorFlow
        sorts by.
        """
        excluded = {token for token in exclude if token is not None}
        ordered = sorted(
            (item for item in self.token_counts.items() if item[0] not in excluded),
            key=lambda item: (item[1], item[0]),
            reverse=True,
        )
        tokens = [token for token, _ in ordered]
        return tokens if limit is None else tokens[:limit]

    def idf_weights(self, tokens: list[Any]) -> np.ndarray:
        """`log(1 + documents / (1 + documents holding the token))`, as float32.

        Computed in float64 and rounded once, as TensorFlow does for the
        integer counts Keras divides.
        """
        holding = np.array([self.document_counts[t] for t in tokens], "float64")
        return np.log(1 + self.num_documents / (1 + holding)).astype("float32")


def read_vocabulary_file(path: str, owner: str) -> list[str]:
    """The lines of a vocabulary file (one token per line, `\\n`-separated)."""
    if not os.path.isfile(path):
        raise ValueError(
            f"{owner} received vocabulary={path!r}, which is not a file. Pass a "
            f"list of tokens or the path of a text file with one token per line."
        )
    with open(path, encoding="utf-8", newline="") as stream:
        lines = stream.read().split("\n")
    while lines and lines[-1] in ("", "\r"):
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def check_no_vocabulary_path(class_name: str, config: dict, safe_mode: bool) -> None:
    """Refuses a config whose vocabulary is a file path, unless unsafe.

    Keras and lamina write the vocabulary itself; a path in a config would
    make loading a model read an arbitrary file.
    """
    vocabulary = config.get("vocabulary")
    if isinstance(vocabulary, str) and safe_mode:
        raise ValueError(
            f"The config of {class_name} '{config.get('name')}' names the "
            f"vocabulary file {vocabulary!r}. Loading a model never reads files "
            f"outside it in safe mode. If you trust the file, load with "
            f"safe_mode=False, or pass the vocabulary as a list."
        )


def parse_vocabulary_asset(data: bytes, integers: bool) -> list[Any]:
    """The tokens of the `vocabulary.txt` Keras writes into a `.keras` file.

    Keras joins the tokens with `"\\n"`, so only `"\\n"` separates them (a
    token may hold other line breaks, such as `"\\x1c"`, that `splitlines()`
    would cut).
    """
    lines = data.decode("utf-8").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return [int(line) for line in lines] if integers else lines


def listify(value: Any) -> Any:
    """Arrays and tensors as (nested) lists, for a JSON config."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple):
        return list(value)
    return value
