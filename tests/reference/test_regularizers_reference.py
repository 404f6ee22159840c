"""lamina.regularizers give the same penalties and configs as keras.regularizers."""

import numpy as np
import pytest
import torch

from lamina import regularizers

_CASES = [
    ("L1", {"l1": 0.3}),
    ("L2", {"l2": 0.7}),
    ("L1L2", {"l1": 0.2, "l2": 0.5}),
    ("L1L2", {}),
    ("OrthogonalRegularizer", {"factor": 0.4}),
    ("OrthogonalRegularizer", {"factor": 0.4, "mode": "columns"}),
]


@pytest.mark.parametrize(("name", "kwargs"), _CASES, ids=str)
def test_regularizer_value_matches_keras(keras, name, kwargs):
    weights = torch.from_numpy(np.random.default_rng(1).normal(size=(6, 4))).float()
    expected = getattr(keras.regularizers, name)(**kwargs)(weights.clone())
    actual = getattr(regularizers, name)(**kwargs)(weights.clone())
    assert actual.ndim == 0
    np.testing.assert_allclose(float(actual), float(expected), rtol=1e-6)


@pytest.mark.parametrize(("name", "kwargs"), _CASES, ids=str)
def test_regularizer_config_matches_keras(keras, name, kwargs):
    expected = keras.regularizers.serialize(getattr(keras.regularizers, name)(**kwargs))
    actual = regularizers.serialize(getattr(regularizers, name)(**kwargs))
    # Keras stores some factors as float32 tensors, so they read back rounded.
    assert actual.keys() == expected.keys()
    assert actual["class_name"] == expected["class_name"]
    assert actual["config"].keys() == expected["config"].keys()
    for key, value in expected["config"].items():
        if isinstance(value, float):
            assert actual["config"][key] == pytest.approx(value, rel=1e-6), key
        else:
            assert actual["config"][key] == value, key
    rebuilt = regularizers.deserialize(expected)
    assert type(rebuilt).__name__ == name


@pytest.mark.parametrize("name", ["l1", "l2", "L1L2", "orthogonal_regularizer"])
def test_regularizer_names_resolve_like_keras(keras, name):
    expected = keras.regularizers.serialize(keras.regularizers.get(name))
    actual = regularizers.serialize(regularizers.get(name))
    assert actual["class_name"] == expected["class_name"]


def test_regularizer_names_cover_keras(keras):
    public = {n for n in dir(keras.regularizers) if not n.startswith("_")}
    assert public <= set(regularizers.__all__)


def test_keras_reads_lamina_regularizer_config(keras):
    config = regularizers.serialize(regularizers.L1L2(l1=0.1, l2=0.2))
    rebuilt = keras.regularizers.deserialize(config)
    assert rebuilt.get_config() == {"l1": 0.1, "l2": 0.2}
