import numpy as np
import pytest
import torch

import lamina
from lamina.utils.dataset_utils import split_dataset


def test_split_dataset_fraction_keeps_order_without_shuffle():
    x = np.arange(10)
    left, right = split_dataset(x, left_size=0.8)
    assert [int(s[0]) for s in left] == list(range(8))
    assert [int(s[0]) for s in right] == [8, 9]


def test_split_dataset_right_size_takes_the_last_samples():
    left, right = split_dataset(np.arange(10), left_size=3, right_size=2)
    assert [int(s[0]) for s in left] == [0, 1, 2]
    assert [int(s[0]) for s in right] == [8, 9]


def test_split_dataset_tuple_keeps_pairs_together_when_shuffled():
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    left, right = split_dataset((x, y), right_size=0.3, shuffle=True, seed=1)
    assert (len(left), len(right)) == (7, 3)
    for features, label in [*left, *right]:
        assert features.tolist() == [2 * int(label), 2 * int(label) + 1]
    labels = sorted(int(s[1]) for s in [*left, *right])
    assert labels == list(range(10))


def test_split_dataset_same_seed_same_split():
    first = split_dataset(np.arange(50), left_size=0.5, shuffle=True, seed=7)
    second = split_dataset(np.arange(50), left_size=0.5, shuffle=True, seed=7)
    assert first[0].indices == second[0].indices


def test_split_dataset_dict_yields_dict_samples():
    data = {"a": np.arange(6), "b": np.ones((6, 2))}
    left, right = split_dataset(data, left_size=4)
    assert set(left[0]) == {"a", "b"} and int(right[0]["a"]) == 4


def test_split_dataset_torch_dataset():
    dataset = torch.utils.data.TensorDataset(torch.arange(5))
    left, right = split_dataset(dataset, left_size=2)
    assert (len(left), len(right)) == (2, 3)


def test_split_dataset_result_trains_with_fit():
    x = np.random.rand(16, 3).astype("float32")
    y = np.random.rand(16, 1).astype("float32")
    train, _ = split_dataset((x, y), left_size=0.75)
    model = lamina.Sequential([lamina.layers.Dense(1, input_shape=(3,))])
    model.compile("sgd", "mse")
    history = model.fit(train, batch_size=4, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1


@pytest.mark.parametrize(
    "kwargs, phrase",
    [
        ({}, "needs left_size or right_size"),
        ({"left_size": 1.5}, "float left_size in"),
        ({"left_size": 10}, "between 1 and 9"),
        ({"left_size": 0.6, "right_size": 0.6}, "more than 1"),
        ({"left_size": 6, "right_size": 6}, "more than the 10 samples"),
        ({"left_size": 0.01}, "left part empty"),
    ],
)
def test_split_dataset_rejects_bad_sizes(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        split_dataset(np.arange(10), **kwargs)


def test_split_dataset_rejects_bad_types():
    with pytest.raises(TypeError, match="left_size to be an int"):
        split_dataset(np.arange(10), left_size="half")
    with pytest.raises(TypeError, match="expects a NumPy array"):
        split_dataset("abc", left_size=0.5)


def test_split_dataset_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="equal length"):
        split_dataset((np.arange(4), np.arange(5)), left_size=0.5)
