"""lamina.preprocessing.sequence: behaviour and error messages."""

import numpy as np
import pytest

from lamina.preprocessing import sequence
from lamina.preprocessing.sequence import TimeseriesGenerator
from lamina.preprocessing.sequence import make_sampling_table
from lamina.preprocessing.sequence import pad_sequences
from lamina.preprocessing.sequence import skipgrams
from lamina.utils.py_dataset import PyDataset


def test_pad_sequences_is_the_one_from_utils():
    from lamina import utils

    assert sequence.pad_sequences is utils.pad_sequences


def test_pad_sequences_post_padding_and_truncation():
    out = pad_sequences(
        [[1, 2, 3, 4], [5]], maxlen=3, padding="post", truncating="post"
    )
    assert out.tolist() == [[1, 2, 3], [5, 0, 0]]
    assert out.dtype == np.int32


def test_pad_sequences_clear_errors():
    with pytest.raises(ValueError, match="padding='pre' or 'post'"):
        pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="truncating='pre' or 'post'"):
        pad_sequences([[1]], truncating="both")
    with pytest.raises(ValueError, match="element 1 is 5"):
        pad_sequences([[1], 5])
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match="sequence 1 has elements of shape"):
        pad_sequences([[[1, 2]], [[1, 2, 3]]])
    with pytest.raises(ValueError, match="without a length"):
        pad_sequences(iter([[1]]))


def test_pad_sequences_empty_input():
    assert pad_sequences([]).shape == (0, 0)
    assert pad_sequences([[], []], maxlen=2).tolist() == [[0, 0], [0, 0]]


def test_timeseries_generator_is_a_pydataset_and_serialises():
    generator = TimeseriesGenerator(list(range(10)), list(range(10)), length=3)
    assert isinstance(generator, PyDataset)
    assert '"length": 3' in generator.to_json()


def test_timeseries_generator_errors():
    with pytest.raises(ValueError, match="same length"):
        TimeseriesGenerator([1, 2], [1], length=1)
    with pytest.raises(ValueError, match="no window has a target"):
        TimeseriesGenerator([1, 2], [1, 2], length=5)


def test_timeseries_generator_shuffle_draws_valid_rows():
    np.random.seed(0)
    generator = TimeseriesGenerator(
        np.arange(20), np.arange(20), 4, shuffle=True, batch_size=6
    )
    x, y = generator[0]
    assert x.shape == (6, 4)
    np.testing.assert_array_equal(x[:, -1] + 1, y)


def test_skipgrams_pairs_and_labels():
    couples, labels = skipgrams([1, 2, 0, 3], 5, window_size=1, seed=1)
    positives = [c for c, label in zip(couples, labels, strict=True) if label == 1]
    assert sorted(positives) == [[1, 2], [2, 1]]
    assert labels.count(0) == 2
    assert all(
        1 <= c[1] < 5 for c, label in zip(couples, labels, strict=True) if label == 0
    )
    with pytest.raises(ValueError, match="vocabulary_size >= 2"):
        skipgrams([1], 1)


def test_make_sampling_table_is_a_probability():
    table = make_sampling_table(100)
    assert table.shape == (100,)
    assert np.all((table > 0) & (table <= 1))
