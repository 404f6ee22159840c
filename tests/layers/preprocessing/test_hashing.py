import numpy as np
import pytest
import torch

from lamina.layers.preprocessing import Hashing
from lamina.testing import check_layer

# Expected bins below were computed by Keras 3.15.1 (TensorFlow 2.21 ops).


def test_hashing_conformance_on_integers():
    check_layer(
        lambda: Hashing(num_bins=7),
        np.array([[1, 2], [3, 4]]),
        expected_output_shape=(2, 2),
        expected_num_weights=0,
    )


def test_hashing_conformance_multi_hot():
    check_layer(
        lambda: Hashing(num_bins=7, output_mode="multi_hot"),
        np.array([[1, 2], [3, 4]]),
        expected_output_shape=(2, 7),
        check_compile=False,  # the same host hashing as the check above
    )


def test_hashing_strings_match_keras():
    out = Hashing(num_bins=5)(np.array([["a"], ["b"]]))
    assert out.dtype == torch.int64 and out.tolist() == [[4], [2]]
    assert Hashing(num_bins=5)([["a"], ["b"]]).tolist() == [[4], [2]]
    assert Hashing(num_bins=5)(np.array([[b"a"], [b"b"]])).tolist() == [[4], [2]]


def test_hashing_integers_floats_and_booleans_match_keras():
    assert Hashing(5)(torch.tensor([1, 2, 3, -4])).tolist() == [4, 4, 1, 0]
    assert Hashing(1000)(np.array([1.9, -2.5, 1e10])).tolist() == [849, 205, 879]
    assert Hashing(1000)(np.array([True, False])).tolist() == [570, 757]


def test_hashing_mask_value_takes_bin_zero():
    strings = Hashing(10, mask_value="")(np.array([["", "a"], ["b", ""]]))
    assert strings.tolist() == [[0, 4], [2, 0]]
    integers = Hashing(10, mask_value=0)(np.array([[0, 1], [2, 0]]))
    assert integers.tolist() == [[0, 1], [5, 0]]


def test_hashing_salt_uses_siphash():
    layer = Hashing(3, salt=[1, 2])
    assert layer.strong_hash and layer.salt == [1, 2]
    assert layer(["q", "r", "s", "t"]).tolist() == [0, 0, 1, 1]
    assert Hashing(3, salt=7).salt == [7, 7]


def test_hashing_vector_modes():
    multi_hot = Hashing(3, output_mode="multi_hot")(np.array(["a", "b", "c"]))
    assert multi_hot.dtype == torch.float32 and multi_hot.tolist() == [1.0, 1.0, 0.0]
    one_hot = Hashing(3, output_mode="one_hot")(np.array([["a"], ["b"]]))
    assert one_hot.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    count = Hashing(3, output_mode="count")(np.array([["a", "a", "b"]]))
    assert count.tolist() == [[2.0, 1.0, 0.0]]


def test_hashing_int32_dtype():
    out = Hashing(5, dtype="int32")(torch.tensor([1, 2]))
    assert out.dtype == torch.int32 and out.tolist() == [4, 4]


def test_hashing_config():
    config = Hashing(4, mask_value="", salt=3, name="h").get_config()
    assert config["salt"] == [3, 3] and config["mask_value"] == ""
    assert config["dtype"]["config"]["name"] == "int64"
    assert Hashing.from_config(config).salt == [3, 3]


def test_hashing_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num_bins=0"):
        Hashing(0)
    with pytest.raises(ValueError, match="output_mode='tf_idf'"):
        Hashing(3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="integer dtype"):
        Hashing(3, dtype="float32")
    with pytest.raises(ValueError, match="salt='x'"):
        Hashing(3, salt="x")
    with pytest.raises(ValueError, match="sparse=True"):
        Hashing(3, output_mode="count", sparse=True)
