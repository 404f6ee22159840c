"""Keras 2's `keras.preprocessing.sequence`: padding, windows and skip-grams."""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np

from lamina.utils.py_dataset import PyDataset
from lamina.utils.sequence_utils import pad_sequences

__all__ = ["TimeseriesGenerator", "make_sampling_table", "pad_sequences", "skipgrams"]

_EULER_GAMMA = 0.577


class TimeseriesGenerator(PyDataset):
    """Serves batches of windows over a time series, by index (Keras 2 API).

    Sample `j` of the generator is the window `data[i - length : i :
    sampling_rate]` with target `targets[i]`, for `i = start_index + length
    + j * stride` up to `end_index`.

    Args:
        data: Indexable series (list or array); axis 0 is time.
        targets: Targets aligned with `data` (same length).
        length: Steps of history in each window (before sampling).
        sampling_rate: Step between samples in a window. Defaults to `1`.
        stride: Steps between consecutive windows. Defaults to `1`.
        start_index: First step of `data` used. Defaults to `0`.
        end_index: Last step of `data` used as target (inclusive).
            Defaults to `len(data) - 1`.
        shuffle: Draw window ends at random (with NumPy's global RNG) for
            each batch. Defaults to `False`.
        reverse: Put each window's steps in reverse order. Defaults to `False`.
        batch_size: Windows per batch. Defaults to `128`.
        **kwargs: `PyDataset` options (`workers`, `use_multiprocessing`,
            `max_queue_size`).

    Example:
    >>> import numpy as np
    >>> generator = TimeseriesGenerator(np.arange(6), np.arange(6), length=2,
    ...                                 batch_size=2)
    >>> x, y = generator[0]
    >>> len(generator), x.tolist(), y.tolist()
    (2, [[0, 1], [1, 2]], [2, 3])
    """

    def __init__(
        self,
        data: Any,
        targets: Any,
        length: int,
        sampling_rate: int = 1,
        stride: int = 1,
        start_index: int = 0,
        end_index: int | None = None,
        shuffle: bool = False,
        reverse: bool = False,
        batch_size: int = 128,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if len(data) != len(targets):
            raise ValueError(
                f"TimeseriesGenerator expects data and targets of the same "
                f"length, but len(data)={len(data)} and "
                f"len(targets)={len(targets)}."
            )
        self.data = data
        self.targets = targets
        self.length = length
        self.sampling_rate = sampling_rate
        self.stride = stride
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = batch_size
        if self.start_index > self.end_index:
            raise ValueError(
                f"TimeseriesGenerator has start_index+length={self.start_index} "
                f"> end_index={self.end_index}, so no window has a target. "
                "Lower length or start_index, or pass more data."
            )

    def __len__(self) -> int:
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        if self.shuffle:
            rows = np.random.randint(
                self.start_index, self.end_index + 1, size=self.batch_size
            )
        else:
            first = self.start_index + self.batch_size * self.stride * index
            last = min(first + self.batch_size * self.stride, self.end_index + 1)
            rows = np.arange(first, last, self.stride)
        samples = np.array(
            [self.data[row - self.length : row : self.sampling_rate] for row in rows]
        )  # (batch, steps, ...)
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def get_config(self) -> dict[str, Any]:
        """Returns the generator's arguments, with data and targets as JSON.

        Example:
        >>> TimeseriesGenerator([1, 2, 3], [1, 2, 3], 1).get_config()["data"]
        '[1, 2, 3]'
        """
        return {
            "data": _to_json(self.data, "data"),
            "targets": _to_json(self.targets, "targets"),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs: Any) -> str:
        """Returns `{"class_name": ..., "config": get_config()}` as JSON.

        Example:
        >>> TimeseriesGenerator([1, 2], [1, 2], 1).to_json()[:37]
        '{"class_name": "TimeseriesGenerator",'
        """
        config = {"class_name": type(self).__name__, "config": self.get_config()}
        return json.dumps(config, **kwargs)


def make_sampling_table(size: int, sampling_factor: float = 1e-5) -> np.ndarray:
    """Probabilities of keeping each word rank in `skipgrams` (word2vec-style).

    Word frequencies are assumed to follow Zipf's law; entry `i` is the
    probability of sampling the `i`-th most frequent word,
    `min(1, sqrt(sampling_factor / frequency_i))`.

    Args:
        size: Vocabulary size.
        sampling_factor: The word2vec sampling factor. Defaults to `1e-5`.

    Returns:
        A float array of shape `(size,)`.

    Example:
    >>> make_sampling_table(3).round(4).tolist()
    [0.0032, 0.0032, 0.0055]
    """
    rank = np.arange(size)
    rank[0] = 1
    inverse_frequency = rank * (np.log(rank) + _EULER_GAMMA) + 0.5 - 1.0 / (12.0 * rank)
    scaled = sampling_factor * inverse_frequency
    return np.minimum(1.0, scaled / np.sqrt(scaled))


def skipgrams(
    sequence: list[int],
    vocabulary_size: int,
    window_size: int = 4,
    negative_samples: float = 1.0,
    shuffle: bool = True,
    categorical: bool = False,
    sampling_table: np.ndarray | None = None,
    seed: int | None = None,
) -> tuple[list[list[int]], list]:
    """Generates (word, context) pairs with labels, for word2vec training.

    Positive pairs are words within `window_size` of each other (index 0 is
    skipped as padding); negative pairs join a word with a random index in
    `1..vocabulary_size-1`. Uses Python's `random` module as Keras does, so
    `random.seed` plus `seed=` reproduce Keras's pairs.

    Args:
        sequence: Word indices.
        vocabulary_size: Largest index + 1.
        window_size: Half-width of the context window. Defaults to `4`.
        negative_samples: Negative pairs per positive pair. Defaults to `1.0`.
        shuffle: Shuffle the pairs. Defaults to `True`.
        categorical: Labels as `[0, 1]`/`[1, 0]` instead of `1`/`0`.
            Defaults to `False`.
        sampling_table: Keep probability per word index (see
            `make_sampling_table`). Defaults to `None`.
        seed: Seed of the shuffle. Defaults to a random one.

    Returns:
        `(couples, labels)`: lists of `[word, context]` pairs and labels.

    Example:
    >>> couples, labels = skipgrams([1, 2, 3], 4, window_size=1,
    ...                             negative_samples=0, shuffle=False)
    >>> couples, labels
    ([[1, 2], [2, 1], [2, 3], [3, 2]], [1, 1, 1, 1])
    """
    if vocabulary_size < 2 and negative_samples > 0:
        raise ValueError(
            "skipgrams() needs vocabulary_size >= 2 to draw negative samples, "
            f"but received vocabulary_size={vocabulary_size}."
        )
    positive = [0, 1] if categorical else 1
    negative = [1, 0] if categorical else 0
    couples, labels = _positive_pairs(sequence, window_size, sampling_table, positive)
    if negative_samples > 0:
        num_negative = int(len(labels) * negative_samples)
        words = [couple[0] for couple in couples]
        random.shuffle(words)
        couples += [
            [words[i % len(words)], random.randint(1, vocabulary_size - 1)]
            for i in range(num_negative)
        ]
        labels += [negative] * num_negative
    if shuffle:
        if seed is None:
            seed = random.randint(0, 10_000_000)
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels


def _positive_pairs(sequence, window_size, sampling_table, label):
    couples, labels = [], []
    for i, word in enumerate(sequence):
        if not word:
            continue
        if sampling_table is not None and sampling_table[word] < random.random():
            continue
        for j in range(
            max(0, i - window_size), min(len(sequence), i + window_size + 1)
        ):
            if j != i and sequence[j]:
                couples.append([word, sequence[j]])
                labels.append(label)
    return couples, labels


def _to_json(values: Any, name: str) -> str:
    if isinstance(values, np.ndarray):
        values = values.tolist()
    try:
        return json.dumps(values)
    except TypeError as err:
        raise TypeError(
            f"TimeseriesGenerator.get_config() needs JSON-serialisable {name}, "
            f"but received {type(values).__name__}. Pass a list or NumPy array."
        ) from err
