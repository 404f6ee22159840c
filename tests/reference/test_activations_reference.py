"""lamina.activations give the same outputs and names as keras.activations."""

import numpy as np
import pytest
import torch

from lamina import activations

_CASES = [
    ("celu", {}),
    ("celu", {"alpha": 0.5}),
    ("elu", {}),
    ("elu", {"alpha": 0.3}),
    ("exponential", {}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("glu", {}),
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.0}),
    ("hard_sigmoid", {}),
    ("hard_silu", {}),
    ("hard_swish", {}),
    ("hard_tanh", {}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.05}),
    ("linear", {}),
    ("log_sigmoid", {}),
    ("log_softmax", {}),
    ("log_softmax", {"axis": 1}),
    ("mish", {}),
    ("relu", {}),
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"max_value": 1.5}),
    ("relu", {"threshold": 0.5}),
    ("relu", {"negative_slope": 0.1, "max_value": 2.0, "threshold": 0.5}),
    ("relu", {"negative_slope": 0.2, "threshold": -0.5}),
    ("relu6", {}),
    ("selu", {}),
    ("sigmoid", {}),
    ("silu", {}),
    ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 0.2}),
    ("softmax", {}),
    ("softmax", {"axis": 1}),
    ("softplus", {}),
    ("softsign", {}),
    ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
    ("squareplus", {}),
    ("squareplus", {"b": 1.0}),
    ("swish", {}),
    ("tanh", {}),
    ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.3, "default_value": -1.0}),
]


@pytest.mark.parametrize(("name", "kwargs"), _CASES, ids=lambda c: str(c))
def test_activation_matches_keras(keras, name, kwargs):
    x = torch.from_numpy(np.random.default_rng(0).normal(0, 3, (4, 6, 8)))
    x = x.float()
    expected = getattr(keras.activations, name)(x.clone(), **kwargs)
    actual = getattr(activations, name)(x.clone(), **kwargs)
    np.testing.assert_allclose(
        actual.numpy(), np.asarray(expected.cpu()), rtol=1e-6, atol=1e-6
    )


def test_sparsemax_matches_keras_when_one_entry_survives(keras):
    # Keras 3.15's sparsemax differs from the paper once two entries survive;
    # with a single clear winner both agree.
    x = torch.tensor([[5.0, 0.0, -1.0], [-2.0, 3.0, 0.5]])
    expected = keras.activations.sparsemax(x)
    np.testing.assert_allclose(activations.sparsemax(x).numpy(), expected.numpy())


def test_activation_names_match_keras(keras):
    public = {n for n in dir(keras.activations) if not n.startswith("_")}
    assert public <= set(activations.__all__)


@pytest.mark.parametrize("name", ["relu", "swish", "hard_swish", "softmax", "gelu"])
def test_activation_serialize_matches_keras(keras, name):
    expected = keras.activations.serialize(keras.activations.get(name))
    assert activations.serialize(activations.get(name)) == expected
