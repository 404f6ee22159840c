"""timeseries_dataset_from_array: batches, formats, shuffling, errors."""

import numpy as np
import pytest
import torch

from lamina.utils import timeseries_dataset_from_array


def test_yields_torch_batches_by_default():
    dataset = timeseries_dataset_from_array(
        np.arange(10.0), np.arange(10), 4, batch_size=3
    )
    batches = list(dataset)
    assert len(dataset) == len(batches) == 3
    windows, targets = batches[0]
    assert isinstance(windows, torch.Tensor) and tuple(windows.shape) == (3, 4)
    assert targets.tolist() == [0, 1, 2]


def test_unbatched_and_targetless():
    dataset = timeseries_dataset_from_array(
        np.arange(6), None, 2, sequence_stride=2, batch_size=None, format="numpy"
    )
    assert [w.tolist() for w in dataset] == [[0, 1], [2, 3], [4, 5]]


def test_shuffle_reorders_later_epochs_but_keeps_windows():
    dataset = timeseries_dataset_from_array(
        np.arange(50), None, 3, batch_size=None, shuffle=True, seed=1, format="numpy"
    )
    first = [tuple(w) for w in dataset]
    second = [tuple(w) for w in dataset]
    assert sorted(first) == sorted(second) and first != second


def test_accepts_tensors_and_keras_format_names():
    dataset = timeseries_dataset_from_array(torch.arange(8), None, 3, format="tf")
    assert tuple(next(iter(dataset)).shape) == (6, 3)


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"sequence_length": 0}, "positive int sequence_length"),
        ({"sampling_rate": 10}, "sampling_rate < len"),
        ({"sequence_stride": -1}, "positive int sequence_stride"),
        ({"start_index": 12}, "start_index=12"),
        ({"start_index": 4, "end_index": 3}, "end_index=3"),
        ({"batch_size": 0}, "batch_size=0"),
        ({"format": "jax"}, "format='jax'"),
    ],
)
def test_clear_errors(kwargs, phrase):
    args = {"sequence_length": 2, **kwargs}
    with pytest.raises(ValueError, match=phrase):
        timeseries_dataset_from_array(np.arange(10), None, **args)
