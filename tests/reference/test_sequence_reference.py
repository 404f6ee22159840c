"""pad_sequences, skipgrams, TimeseriesGenerator, timeseries datasets vs Keras."""

import itertools
import random

import numpy as np
import pytest

from lamina.preprocessing.sequence import TimeseriesGenerator
from lamina.preprocessing.sequence import make_sampling_table
from lamina.preprocessing.sequence import skipgrams
from lamina.utils import pad_sequences
from lamina.utils import timeseries_dataset_from_array


def _ragged(seed: int, feature_shape=()) -> list:
    rng = np.random.RandomState(seed)
    return [
        rng.randint(1, 50, (rng.randint(0, 9),) + feature_shape).tolist()
        for _ in range(rng.randint(1, 8))
    ]


@pytest.mark.parametrize("seed", range(4))
def test_pad_sequences_matches_keras_on_all_argument_combinations(keras, seed):
    from keras.src.utils.sequence_utils import pad_sequences as keras_pad

    sequences = _ragged(seed)
    if not any(sequences):
        sequences.append([1])
    for maxlen, dtype, padding, truncating, value in itertools.product(
        [None, 1, 3, 12], ["int32", "float32", "int64"], ["pre", "post"],
        ["pre", "post"], [0.0, -1.0],
    ):  # fmt: skip
        args = dict(maxlen=maxlen, dtype=dtype, padding=padding,
                    truncating=truncating, value=value)  # fmt: skip
        expected = keras_pad(sequences, **args)
        actual = pad_sequences(sequences, **args)
        assert actual.dtype == expected.dtype
        np.testing.assert_array_equal(actual, expected)


def test_pad_sequences_matches_keras_on_vectors_and_strings(keras):
    from keras.src.utils.sequence_utils import pad_sequences as keras_pad

    vectors = _ragged(7, feature_shape=(2,))
    vectors.append([[1, 2]])
    np.testing.assert_array_equal(pad_sequences(vectors, 4), keras_pad(vectors, 4))
    words = [["a", "bb"], ["ccc"], []]
    for dtype in (object, "<U3"):
        expected = keras_pad(words, maxlen=3, dtype=dtype, value="_")
        np.testing.assert_array_equal(
            pad_sequences(words, maxlen=3, dtype=dtype, value="_"), expected
        )


def test_skipgrams_match_keras_with_same_seeds(keras):
    from keras.src.legacy.preprocessing import sequence as keras_sequence

    sequence = np.random.RandomState(0).randint(0, 20, 30).tolist()
    table = make_sampling_table(20, sampling_factor=0.05)
    np.testing.assert_allclose(table, keras_sequence.make_sampling_table(20, 0.05))
    for kwargs in (
        dict(window_size=2),
        dict(window_size=3, negative_samples=0.5, categorical=True),
        dict(window_size=1, shuffle=False, sampling_table=table),
    ):
        random.seed(5)
        expected = keras_sequence.skipgrams(sequence, 20, seed=11, **kwargs)
        random.seed(5)
        assert skipgrams(sequence, 20, seed=11, **kwargs) == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(length=3),
        dict(length=4, sampling_rate=2, stride=3, batch_size=2),
        dict(length=2, start_index=3, end_index=15, reverse=True, batch_size=5),
    ],
)
def test_timeseries_generator_matches_keras(keras, kwargs):
    from keras.src.legacy.preprocessing.sequence import (
        TimeseriesGenerator as KerasGenerator,
    )

    data = np.arange(40).reshape(20, 2)
    targets = np.arange(20) * 10
    expected = KerasGenerator(data, targets, **kwargs)
    actual = TimeseriesGenerator(data, targets, **kwargs)
    assert len(actual) == len(expected)
    for index in range(len(expected)):
        for ours, theirs in zip(actual[index], expected[index], strict=True):
            np.testing.assert_array_equal(ours, theirs)


class _FakeGrain:
    """The few `grain` calls Keras's unshuffled timeseries path makes."""

    class MapDataset:
        def __init__(self, items):
            self.items = list(items)

        @classmethod
        def source(cls, items):
            return cls(items)

        def to_iter_dataset(self):
            return self

        def batch(self, batch_size, batch_fn):
            return [
                batch_fn(self.items[i : i + batch_size])
                for i in range(0, len(self.items), batch_size)
            ]

    class experimental:  # noqa: N801 (mirrors grain's module name)
        @staticmethod
        def ZipMapDataset(parts):  # noqa: N802
            return _FakeGrain.MapDataset(zip(*(p.items for p in parts), strict=True))


def _keras_windows(monkeypatch, **kwargs):
    from keras.src.utils import timeseries_dataset_utils

    monkeypatch.setattr(timeseries_dataset_utils, "grain", _FakeGrain)
    batches = timeseries_dataset_utils.timeseries_dataset_from_array(
        format="grain", **kwargs
    )
    return [
        tuple(np.asarray(part) for part in b) if isinstance(b, tuple) else np.asarray(b)
        for b in batches
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(sequence_length=3),
        dict(sequence_length=4, sequence_stride=3, sampling_rate=2, batch_size=2),
        dict(sequence_length=2, start_index=2, end_index=17, batch_size=4),
        dict(sequence_length=5, sampling_rate=3, batch_size=7, start_index=1),
    ],
)
def test_timeseries_dataset_matches_keras(keras, monkeypatch, kwargs):
    data = np.arange(60).reshape(20, 3)
    for targets in (np.arange(20) * 10, None):
        expected = _keras_windows(monkeypatch, data=data, targets=targets, **kwargs)
        actual = list(
            timeseries_dataset_from_array(data, targets, format="numpy", **kwargs)
        )
        assert len(actual) == len(expected)
        for ours, theirs in zip(actual, expected, strict=True):
            if targets is None:
                np.testing.assert_array_equal(ours, theirs)
            else:
                np.testing.assert_array_equal(ours[0], theirs[0])
                np.testing.assert_array_equal(ours[1], theirs[1])


def test_timeseries_dataset_shuffle_uses_keras_start_order(keras):
    data = np.arange(30)
    dataset = timeseries_dataset_from_array(
        data, None, sequence_length=2, shuffle=True, seed=3, batch_size=None,
        format="numpy",
    )  # fmt: skip
    starts = [int(window[0]) for window in dataset]
    expected = np.arange(0, 29)
    np.random.RandomState(3).shuffle(expected)
    assert starts == expected.tolist()
