import numpy as np
import pytest
import torch

from lamina.layers.preprocessing import Discretization
from lamina.testing import check_layer

DATA = np.random.RandomState(0).rand(100, 2).astype("float32")


def test_discretization_conformance():
    check_layer(
        lambda: Discretization(bin_boundaries=[0.25, 0.5, 0.75]),
        DATA[:4],
        expected_output_shape=(4, 2),
        expected_num_weights=0,
    )


def test_discretization_conformance_multi_hot():
    check_layer(
        lambda: Discretization(bin_boundaries=[0.5], output_mode="multi_hot"),
        DATA[:4],
        expected_output_shape=(4, 2),
        check_compile=False,  # same encoding path as CategoryEncoding's check
    )


def test_discretization_bins_like_numpy_digitize():
    boundaries = [-1.0, 0.0, 1.0]
    x = np.array([[-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]], dtype="float32")
    out = Discretization(bin_boundaries=boundaries)(torch.from_numpy(x))
    assert out.dtype == torch.int32
    assert out.tolist() == np.digitize(x, boundaries).tolist()


def test_discretization_integer_inputs_are_bucketed():
    out = Discretization(bin_boundaries=[2.0])(torch.tensor([[1, 2, 3]]))
    assert out.tolist() == [[0, 1, 1]]


def test_discretization_vector_modes():
    layer = Discretization(bin_boundaries=[0.0, 1.0], output_mode="count")
    out = layer(torch.tensor([[-1.0, 0.5, 0.7, 2.0]]))
    assert out.dtype == torch.float32 and out.tolist() == [[1.0, 2.0, 1.0]]
    one_hot = Discretization(bin_boundaries=[0.0], output_mode="one_hot")
    assert one_hot(torch.tensor([[-1.0], [1.0]])).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_discretization_adapt_learns_quantiles():
    layer = Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(np.arange(1000, dtype="float32"))
    np.testing.assert_allclose(layer.bin_boundaries, [250.0, 500.0, 750.0], atol=15)
    counts = np.bincount(layer(torch.arange(1000.0)).numpy(), minlength=4)
    assert counts.min() > 200


def test_discretization_adapt_on_batches_matches_keras_merge():
    whole = Discretization(num_bins=3)
    whole.adapt(DATA)
    batched = Discretization(num_bins=3)
    batched.adapt([DATA[:50], DATA[50:]])
    assert len(batched.bin_boundaries) == 2
    np.testing.assert_allclose(batched.bin_boundaries, whole.bin_boundaries, atol=0.05)


def test_discretization_adapt_steps_limits_batches():
    layer = Discretization(num_bins=2)
    layer.adapt(iter([np.zeros(10), np.ones(10) * 100]), steps=1)
    assert layer.bin_boundaries == [0.0]


def test_discretization_adapted_config_round_trip():
    layer = Discretization(num_bins=3)
    layer.adapt(DATA)
    config = layer.get_config()
    assert config["num_bins"] == 3 and len(config["bin_boundaries"]) == 2
    rebuilt = Discretization.from_config(config)
    x = torch.from_numpy(DATA)
    assert torch.equal(rebuilt(x), layer(x))


def test_discretization_config_keys_are_keras_keys():
    config = Discretization(bin_boundaries=[1.0]).get_config()
    assert sorted(config) == sorted(
        [
            "bin_boundaries",
            "num_bins",
            "epsilon",
            "output_mode",
            "sparse",
            "name",
            "dtype",
        ]
    )


def test_discretization_rejects_both_or_neither():
    with pytest.raises(ValueError, match="both num_bins=2 and bin_boundaries"):
        Discretization(bin_boundaries=[1.0], num_bins=2)
    with pytest.raises(ValueError, match="needs bin_boundaries"):
        Discretization()


def test_discretization_rejects_bad_arguments():
    with pytest.raises(ValueError, match="output_mode='tf_idf'"):
        Discretization(num_bins=2, output_mode="tf_idf")
    with pytest.raises(ValueError, match="sparse=True"):
        Discretization(num_bins=2, sparse=True)
    with pytest.raises(ValueError, match="num_bins=-1"):
        Discretization(num_bins=-1)
    with pytest.raises(ValueError, match="epsilon=2"):
        Discretization(num_bins=2, epsilon=2)


def test_discretization_rejects_adapt_with_boundaries():
    with pytest.raises(ValueError, match="cannot adapt"):
        Discretization(bin_boundaries=[1.0]).adapt(DATA)


def test_discretization_rejects_call_before_adapt():
    with pytest.raises(ValueError, match="no bin boundaries yet"):
        Discretization(num_bins=2)(torch.ones(2, 2))
