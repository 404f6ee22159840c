import numpy as np
import pytest
import torch

from lamina.layers.preprocessing import HashedCrossing
from lamina.testing import check_layer

# Expected bins below were computed by Keras 3.15.1 (TensorFlow 2.21 ops).


def test_hashed_crossing_conformance():
    check_layer(
        lambda: HashedCrossing(num_bins=7),
        [np.array([[1], [2]]), np.array([[3], [4]])],
        expected_output_shape=(2, 1),
        expected_num_weights=0,
    )


def test_hashed_crossing_strings_and_integers_match_keras():
    layer = HashedCrossing(num_bins=7)
    out = layer((np.array(["a", "b"]), np.array([1, 2])))
    assert out.dtype == torch.int64 and out.tolist() == [2, 4]
    column = layer((np.array([[1], [2]]), np.array([["a"], ["b"]])))
    assert column.tolist() == [[1], [3]]
    assert layer((np.array(1), np.array("a"))).tolist() == 1


def test_hashed_crossing_int32_inputs_like_int64():
    layer = HashedCrossing(num_bins=7)
    small = layer((torch.tensor([1, 2], dtype=torch.int32), torch.tensor([3, 4])))
    assert small.tolist() == [2, 5]


def test_hashed_crossing_one_hot():
    layer = HashedCrossing(num_bins=7, output_mode="one_hot")
    out = layer((np.array([[1], [2]]), np.array([["a"], ["b"]])))
    assert out.dtype == torch.float32 and out.argmax(-1).tolist() == [1, 3]
    assert tuple(layer((np.array(1), np.array("a"))).shape) == (1, 7)


def test_hashed_crossing_config_is_keras_layout():
    config = HashedCrossing(5, output_mode="one_hot", name="cross").get_config()
    assert config == {
        "num_bins": 5,
        "output_mode": "one_hot",
        "sparse": False,
        "name": "cross",
        "dtype": "float32",
    }
    assert HashedCrossing.from_config(config).num_bins == 5


def test_hashed_crossing_rejects_bad_inputs():
    layer = HashedCrossing(5)
    with pytest.raises(ValueError, match="at least two inputs"):
        layer([np.array([1])])
    with pytest.raises(ValueError, match="equal shape"):
        layer((np.array([1, 2]), np.array([1])))
    with pytest.raises(ValueError, match=r"shape \(\), \(batch,\) or \(batch, 1\)"):
        layer((np.ones((2, 3), "int64"), np.ones((2, 3), "int64")))
    with pytest.raises(ValueError, match="integer or string inputs"):
        layer((np.array([1.5]), np.array([1])))


def test_hashed_crossing_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num_bins=0"):
        HashedCrossing(0)
    with pytest.raises(ValueError, match="output_mode='count'"):
        HashedCrossing(3, output_mode="count")
    with pytest.raises(ValueError, match="sparse=True"):
        HashedCrossing(3, sparse=True)
