"""Keras 2's `keras.preprocessing.text`: `Tokenizer` and word hashing helpers."""

from __future__ import annotations

import collections
import hashlib
import json
import warnings
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = [
    "Tokenizer",
    "hashing_trick",
    "one_hot",
    "text_to_word_sequence",
    "tokenizer_from_json",
]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_MATRIX_MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(
    input_text: str,
    filters: str = DEFAULT_FILTERS,
    lower: bool = True,
    split: str = " ",
) -> list[str]:
    """Splits a text into words, dropping the characters in `filters`.

    Args:
        input_text: The text.
        filters: Characters replaced by `split`. Defaults to punctuation,
            tab and newline (not `'`).
        lower: Lowercase the text first. Defaults to `True`.
        split: Word separator. Defaults to `" "`.

    Returns:
        The non-empty words.

    Example:
    >>> text_to_word_sequence("The cat, the HAT!")
    ['the', 'cat', 'the', 'hat']
    """
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({char: split for char in filters}))
    return [word for word in input_text.split(split) if word]


def one_hot(
    input_text: str,
    n: int,
    filters: str = DEFAULT_FILTERS,
    lower: bool = True,
    split: str = " ",
    analyzer: Callable[[str], list[str]] | None = None,
) -> list[int]:
    """Encodes a text as word indices in `1..n-1` by hashing each word.

    As in Keras this uses Python's `hash`, which changes between processes
    unless `PYTHONHASHSEED` is set; for stable indices use
    `hashing_trick(..., hash_function="md5")`.

    Args:
        input_text: The text.
        n: Size of the index space (indices run from 1 to `n - 1`).
        filters: Characters removed. Defaults to punctuation.
        lower: Lowercase first. Defaults to `True`.
        split: Word separator. Defaults to `" "`.
        analyzer: Custom function from text to words. Defaults to `None`.

    Returns:
        One index per word.

    Example:
    >>> codes = one_hot("the cat the", 10)
    >>> codes[0] == codes[2], all(1 <= code < 10 for code in codes)
    (True, True)
    """
    return hashing_trick(input_text, n, hash, filters, lower, split, analyzer)


def hashing_trick(
    text: str,
    n: int,
    hash_function: Callable[[str], int] | str | None = None,
    filters: str = DEFAULT_FILTERS,
    lower: bool = True,
    split: str = " ",
    analyzer: Callable[[str], list[str]] | None = None,
) -> list[int]:
    """Maps each word of a text to `hash(word) % (n - 1) + 1`.

    Args:
        text: The text.
        n: Size of the index space (indices run from 1 to `n - 1`).
        hash_function: `"md5"` (stable across runs), a callable, or `None`
            for Python's `hash` (varies between processes). Defaults to `None`.
        filters: Characters removed. Defaults to punctuation.
        lower: Lowercase first. Defaults to `True`.
        split: Word separator. Defaults to `" "`.
        analyzer: Custom function from text to words. Defaults to `None`.

    Returns:
        One index per word.

    Example:
    >>> hashing_trick("The cat", 100, hash_function="md5")
    [51, 3]
    """
    if n < 2:
        raise ValueError(
            f"hashing_trick() needs n >= 2 (indices run from 1 to n - 1), but "
            f"received n={n}."
        )
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        hash_function = _md5_hash
    elif not callable(hash_function):
        raise ValueError(
            "hashing_trick() expects hash_function='md5', None or a callable, "
            f"but received hash_function={hash_function!r}."
        )
    if analyzer is None:
        words = text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    else:
        words = analyzer(text)
    return [hash_function(word) % (n - 1) + 1 for word in words]


def _md5_hash(word: str) -> int:
    return int(hashlib.md5(word.encode()).hexdigest(), 16)


class Tokenizer:
    """Turns texts into sequences of word indices or into count matrices.

    Words are indexed by decreasing frequency from 1 (0 is reserved for
    padding); ties keep first-seen order. With `oov_token`, that token gets
    index 1 and replaces unknown words. Only the `num_words - 1` most
    frequent words are kept when converting texts.

    Args:
        num_words: Keep indices below `num_words` when converting; `None`
            keeps all. Defaults to `None`.
        filters: Characters removed from texts. Defaults to punctuation, tab
            and newline.
        lower: Lowercase texts. Defaults to `True`.
        split: Word separator. Defaults to `" "`.
        char_level: Treat every character as a token. Defaults to `False`.
        oov_token: Token for out-of-vocabulary words. Defaults to `None`.
        analyzer: Custom function from text to tokens. Defaults to `None`.
        **kwargs: `document_count` (restores a saved tokenizer) and Keras 1's
            `nb_words`.

    Example:
    >>> tokenizer = Tokenizer(num_words=10)
    >>> tokenizer.fit_on_texts(["the cat sat", "the dog"])
    >>> tokenizer.word_index
    {'the': 1, 'cat': 2, 'sat': 3, 'dog': 4}
    >>> tokenizer.texts_to_sequences(["the dog sat"])
    [[1, 4, 3]]
    """

    def __init__(
        self,
        num_words: int | None = None,
        filters: str = DEFAULT_FILTERS,
        lower: bool = True,
        split: str = " ",
        char_level: bool = False,
        oov_token: str | None = None,
        analyzer: Callable[[str], list[str]] | None = None,
        **kwargs: Any,
    ):
        if "nb_words" in kwargs:
            warnings.warn(
                "Tokenizer received nb_words=, the Keras 1 name of num_words=; "
                "it is used as num_words. Pass num_words= instead.",
                stacklevel=2,
            )
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(
                f"Tokenizer got unexpected keyword arguments {sorted(kwargs)}. "
                "Valid ones: num_words, filters, lower, split, char_level, "
                "oov_token, analyzer, document_count."
            )
        self.word_counts: dict[str, int] = collections.OrderedDict()
        self.word_docs: dict[str, int] = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs: dict[int, int] = collections.defaultdict(int)
        self.word_index: dict[str, int] = {}
        self.index_word: dict[int, str] = {}
        self.analyzer = analyzer

    def fit_on_texts(self, texts: Iterable[str | list[str]]) -> None:
        """Builds the vocabulary from texts (strings or lists of tokens).

        Example:
        >>> tokenizer = Tokenizer()
        >>> tokenizer.fit_on_texts(["b a b"])
        >>> tokenizer.word_index
        {'b': 1, 'a': 2}
        """
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] += 1
        # A stable sort: equally frequent words keep their first-seen order.
        ranked = sorted(
            self.word_counts.items(), key=lambda item: item[1], reverse=True
        )
        vocabulary = [] if self.oov_token is None else [self.oov_token]
        vocabulary.extend(word for word, _ in ranked)
        self.word_index = {word: index for index, word in enumerate(vocabulary, 1)}
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in self.word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences: list[list[int]]) -> None:
        """Counts, per index, the sequences it occurs in (for `tfidf`).

        Example:
        >>> tokenizer = Tokenizer()
        >>> tokenizer.fit_on_sequences([[1, 2, 2], [2]])
        >>> tokenizer.document_count, dict(tokenizer.index_docs)
        (2, {1: 1, 2: 2})
        """
        self.document_count += len(sequences)
        for seq in sequences:
            for index in set(seq):
                self.index_docs[index] += 1

    def texts_to_sequences(self, texts: Iterable[str | list[str]]) -> list[list[int]]:
        """Converts texts to lists of word indices.

        Example:
        >>> tokenizer = Tokenizer(oov_token="<unk>")
        >>> tokenizer.fit_on_texts(["a b"])
        >>> tokenizer.texts_to_sequences(["a c"])
        [[2, 1]]
        """
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(
        self, texts: Iterable[str | list[str]]
    ) -> Iterator[list[int]]:
        """Yields the word indices of each text in turn.

        Example:
        >>> tokenizer = Tokenizer()
        >>> tokenizer.fit_on_texts(["a b"])
        >>> next(tokenizer.texts_to_sequences_generator(["b"]))
        [2]
        """
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for token in self._tokens(text):
                index = self.word_index.get(token)
                if index is not None and not (
                    self.num_words and index >= self.num_words
                ):
                    sequence.append(index)
                elif oov_index is not None:
                    sequence.append(oov_index)
            yield sequence

    def sequences_to_texts(self, sequences: Iterable[list[int]]) -> list[str]:
        """Converts lists of word indices back to space-joined texts.

        Example:
        >>> tokenizer = Tokenizer()
        >>> tokenizer.fit_on_texts(["a b"])
        >>> tokenizer.sequences_to_texts([[2, 1]])
        ['b a']
        """
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(
        self, sequences: Iterable[list[int]]
    ) -> Iterator[str]:
        """Yields the text of each sequence of word indices in turn.

        Example:
        >>> tokenizer = Tokenizer()
        >>> tokenizer.fit_on_texts(["a b"])
        >>> next(tokenizer.sequences_to_texts_generator([[1]]))
        'a'
        """
        oov_index = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for index in seq:
                word = self.index_word.get(index)
                if word is not None and not (
                    self.num_words and index >= self.num_words
                ):
                    words.append(word)
                elif oov_index is not None:
                    words.append(self.index_word[oov_index])
            yield " ".join(words)

    def texts_to_matrix(self, texts: Iterable[str], mode: str = "binary") -> np.ndarray:
        """Converts texts to a `(len(texts), num_words)` matrix.

        Args:
            texts: The texts.
            mode: `"binary"`, `"count"`, `"tfidf"` or `"freq"`.
                Defaults to `"binary"`.

        Returns:
            A float64 matrix; column `i` is word index `i`.

        Example:
        >>> tokenizer = Tokenizer()
        >>> tokenizer.fit_on_texts(["a b b"])
        >>> tokenizer.texts_to_matrix(["b b"], mode="count")
        array([[0., 2., 0.]])
        """
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(
        self, sequences: list[list[int]], mode: str = "binary"
    ) -> np.ndarray:
        """Converts lists of word indices to a `(len(sequences), num_words)` matrix.

        Args:
            sequences: Lists of word indices.
            mode: `"binary"` (1 if present), `"count"`, `"freq"` (count over
                sequence length) or `"tfidf"` (`(1 + log count) * log(1 +
                documents / (1 + documents with the word))`). Defaults to
                `"binary"`.

        Returns:
            A float64 matrix. Indices `>= num_words` are ignored.

        Example:
        >>> Tokenizer(num_words=3).sequences_to_matrix([[1, 1, 2]], mode="freq")
        array([[0.        , 0.66666667, 0.33333333]])
        """
        if mode not in _MATRIX_MODES:
            raise ValueError(
                f"Tokenizer.sequences_to_matrix() got mode={mode!r}; expected "
                f"one of {_MATRIX_MODES}."
            )
        num_words = self._matrix_width()
        if mode == "tfidf" and not self.document_count:
            raise ValueError(
                "Tokenizer.sequences_to_matrix(mode='tfidf') needs document "
                "counts. Call fit_on_texts() or fit_on_sequences() first."
            )
        matrix = np.zeros((len(sequences), num_words))
        for row, seq in enumerate(sequences):
            if not len(seq):
                continue
            counts = collections.Counter(index for index in seq if index < num_words)
            for index, count in counts.items():
                matrix[row, index] = self._matrix_value(mode, count, len(seq), index)
        return matrix

    def _matrix_width(self) -> int:
        if self.num_words:
            return self.num_words
        if self.word_index:
            return len(self.word_index) + 1
        raise ValueError(
            "Tokenizer needs num_words= or a vocabulary to size the matrix. "
            "Pass Tokenizer(num_words=...) or call fit_on_texts() first."
        )

    def _matrix_value(self, mode: str, count: int, length: int, index: int) -> float:
        if mode == "count":
            return count
        if mode == "freq":
            return count / length
        if mode == "binary":
            return 1
        term_frequency = 1 + np.log(count)
        inverse_document_frequency = np.log(
            1 + self.document_count / (1 + self.index_docs.get(index, 0))
        )
        return term_frequency * inverse_document_frequency

    def _tokens(self, text: str | list[str]) -> list[str] | str:
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = (
                    [t.lower() for t in text]
                    if isinstance(text, list)
                    else text.lower()
                )
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def get_config(self) -> dict[str, Any]:
        """Returns the settings and vocabulary, dicts serialised as JSON.

        Example:
        >>> Tokenizer(num_words=5).get_config()["num_words"]
        5
        """
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs: Any) -> str:
        """Returns the tokenizer as a JSON string (see `tokenizer_from_json`).

        Args:
            **kwargs: Passed to `json.dumps`.

        Example:
        >>> Tokenizer().to_json()[:28]
        '{"class_name": "Tokenizer", '
        """
        config = {"class_name": type(self).__name__, "config": self.get_config()}
        return json.dumps(config, **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """Rebuilds a `Tokenizer` from `Tokenizer.to_json()`.

    Args:
        json_string: The JSON text.

    Returns:
        A `Tokenizer` with the same settings and vocabulary.

    Example:
    >>> tokenizer = Tokenizer()
    >>> tokenizer.fit_on_texts(["a b"])
    >>> tokenizer_from_json(tokenizer.to_json()).word_index
    {'a': 1, 'b': 2}
    """
    config = dict(json.loads(json_string).get("config", {}))
    try:
        word_counts = json.loads(config.pop("word_counts"))
        word_docs = json.loads(config.pop("word_docs"))
        index_docs = json.loads(config.pop("index_docs"))
        index_word = json.loads(config.pop("index_word"))
        word_index = json.loads(config.pop("word_index"))
    except KeyError as err:
        raise ValueError(
            f"tokenizer_from_json() needs the output of Tokenizer.to_json(), "
            f"but the config has no {err.args[0]!r} entry."
        ) from err
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = word_counts
    tokenizer.word_docs = word_docs
    tokenizer.index_docs = {int(key): value for key, value in index_docs.items()}
    tokenizer.index_word = {int(key): value for key, value in index_word.items()}
    tokenizer.word_index = word_index
    return tokenizer
