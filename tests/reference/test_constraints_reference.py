"""lamina.constraints project weights exactly as keras.constraints do."""

import numpy as np
import pytest
import torch

from lamina import constraints

_CASES = [
    ("MaxNorm", {}),
    ("MaxNorm", {"max_value": 1.5, "axis": 1}),
    ("MaxNorm", {"max_value": 1.0, "axis": [0, 1, 2]}),
    ("MinMaxNorm", {}),
    ("MinMaxNorm", {"min_value": 1.0, "max_value": 2.0, "rate": 0.5}),
    ("MinMaxNorm", {"min_value": 0.5, "max_value": 2.0, "axis": [0, 1, 2]}),
    ("NonNeg", {}),
    ("UnitNorm", {}),
    ("UnitNorm", {"axis": [0, 1, 2]}),
]


@pytest.mark.parametrize(("name", "kwargs"), _CASES, ids=str)
def test_constraint_matches_keras(keras, name, kwargs):
    weights = np.random.default_rng(2).normal(size=(3, 3, 4, 5)).astype("float32")
    if isinstance(kwargs.get("axis", 0), int):
        weights = weights.reshape(36, 5)
    expected = getattr(keras.constraints, name)(**kwargs)(torch.from_numpy(weights))
    actual = getattr(constraints, name)(**kwargs)(torch.from_numpy(weights))
    np.testing.assert_allclose(
        actual.numpy(), np.asarray(expected), rtol=1e-6, atol=1e-7
    )


@pytest.mark.parametrize(("name", "kwargs"), _CASES, ids=str)
def test_constraint_config_matches_keras(keras, name, kwargs):
    expected = keras.constraints.serialize(getattr(keras.constraints, name)(**kwargs))
    assert constraints.serialize(getattr(constraints, name)(**kwargs)) == expected
    assert constraints.serialize(constraints.deserialize(expected)) == expected


@pytest.mark.parametrize("name", ["max_norm", "min_max_norm", "non_neg", "unit_norm"])
def test_constraint_names_resolve_like_keras(keras, name):
    expected = keras.constraints.serialize(keras.constraints.get(name))
    assert constraints.serialize(constraints.get(name)) == expected


def test_constraint_names_cover_keras(keras):
    public = {n for n in dir(keras.constraints) if not n.startswith("_")}
    assert public <= set(constraints.__all__)
