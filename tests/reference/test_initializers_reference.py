"""lamina.initializers match keras.initializers in configs and statistics."""

import math

import numpy as np
import pytest
import torch

from lamina import initializers

_CONFIG_CASES = [
    ("Constant", {"value": 2.5}),
    ("Zeros", {}),
    ("Ones", {}),
    ("RandomNormal", {"mean": 1.0, "stddev": 2.0, "seed": 4}),
    ("RandomUniform", {"minval": -1.0, "maxval": 3.0}),
    ("TruncatedNormal", {"stddev": 0.3, "seed": 1}),
    ("VarianceScaling", {"scale": 2.0, "mode": "fan_out", "distribution": "normal"}),
    ("VarianceScaling", {"distribution": "untruncated_normal", "seed": 9}),
    ("GlorotUniform", {}),
    ("GlorotNormal", {"seed": 3}),
    ("HeUniform", {}),
    ("HeNormal", {}),
    ("LecunUniform", {}),
    ("LecunNormal", {}),
    ("Orthogonal", {"gain": 0.5, "seed": 2}),
    ("STFT", {"side": "imag", "window": "hamming", "periodic": True}),
]


@pytest.mark.parametrize(("name", "kwargs"), _CONFIG_CASES, ids=str)
def test_initializer_serialize_matches_keras(keras, name, kwargs):
    expected = keras.initializers.serialize(getattr(keras.initializers, name)(**kwargs))
    actual = initializers.serialize(getattr(initializers, name)(**kwargs))
    assert actual == expected


@pytest.mark.parametrize(("name", "kwargs"), _CONFIG_CASES, ids=str)
def test_initializer_reads_keras_config(keras, name, kwargs):
    config = keras.initializers.serialize(getattr(keras.initializers, name)(**kwargs))
    rebuilt = initializers.deserialize(config)
    assert type(rebuilt).__name__ == name
    assert initializers.serialize(rebuilt) == config


def test_identity_config_keeps_gain_and_keras_reads_it(keras):
    # Keras 3.15's Identity forgets `gain` in its config; lamina keeps it.
    config = initializers.serialize(initializers.Identity(gain=3.0))
    rebuilt = keras.initializers.deserialize(config)
    np.testing.assert_allclose(np.asarray(rebuilt((2, 2))), 3.0 * np.eye(2))
    keras_config = keras.initializers.serialize(keras.initializers.Identity())
    assert initializers.deserialize(keras_config).gain == 1.0


@pytest.mark.parametrize(
    "alias",
    ["glorot_uniform", "he_normal", "zeros", "ones", "orthogonal", "normal", "zero"],
)
def test_initializer_alias_matches_keras(keras, alias):
    expected = keras.initializers.serialize(keras.initializers.get(alias))
    assert initializers.serialize(initializers.get(alias)) == expected


def test_initializer_names_match_keras(keras):
    public = {n for n in dir(keras.initializers) if not n.startswith("_")}
    assert public <= set(initializers.__all__)


_STAT_CASES = [
    "GlorotUniform",
    "GlorotNormal",
    "HeUniform",
    "HeNormal",
    "LecunUniform",
    "LecunNormal",
]


@pytest.mark.parametrize("name", _STAT_CASES)
@pytest.mark.parametrize("shape", [(300, 200), (3, 3, 16, 32)])
def test_variance_scaling_statistics_match_keras(keras, name, shape):
    expected = np.asarray(getattr(keras.initializers, name)(seed=1)(shape).cpu())
    actual = getattr(initializers, name)(seed=1)(shape).numpy()
    assert actual.shape == expected.shape
    assert abs(actual.mean() - expected.mean()) < 0.05 * expected.std()
    assert actual.std() == pytest.approx(expected.std(), rel=0.03)
    assert np.abs(actual).max() <= np.abs(expected).max() * 1.02


def test_random_uniform_bounds_match_keras(keras):
    expected = np.asarray(keras.initializers.RandomUniform(-2, 3, seed=0)((4000,)))
    actual = initializers.RandomUniform(-2, 3, seed=0)((4000,)).numpy()
    assert actual.min() >= -2 and actual.max() < 3
    assert actual.mean() == pytest.approx(expected.mean(), abs=0.1)


def test_truncated_normal_bounds_match_keras(keras):
    expected = np.asarray(keras.initializers.TruncatedNormal(1.0, 2.0, seed=0)((9000,)))
    actual = initializers.TruncatedNormal(1.0, 2.0, seed=0)((9000,)).numpy()
    assert actual.min() >= -3.0 and actual.max() <= 5.0
    assert actual.std() == pytest.approx(expected.std(), rel=0.03)


@pytest.mark.parametrize(
    ("name", "kwargs", "shape"),
    [
        ("Zeros", {}, (3, 4)),
        ("Ones", {}, (2, 5)),
        ("Constant", {"value": -1.5}, (3,)),
        ("Identity", {"gain": 2.0}, (3, 5)),
        ("STFT", {}, (16, 1, 9)),
        (
            "STFT",
            {"side": "imag", "window": "hamming", "scaling": "spectrum"},
            (8, 1, 5),
        ),
        ("STFT", {"window": "blackman", "periodic": True}, (8, 1, 5)),
        ("STFT", {"window": None, "scaling": None}, (8, 1, 5)),
    ],
    ids=str,
)
def test_deterministic_initializer_equals_keras(keras, name, kwargs, shape):
    expected = np.asarray(getattr(keras.initializers, name)(**kwargs)(shape).cpu())
    actual = getattr(initializers, name)(**kwargs)(shape).numpy()
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("shape", [(20, 8), (8, 20), (3, 3, 4, 5)])
def test_orthogonal_is_orthonormal_like_keras(keras, shape):
    expected = np.asarray(keras.initializers.Orthogonal(gain=2.0, seed=0)(shape))
    actual = initializers.Orthogonal(gain=2.0, seed=0)(shape)
    assert tuple(actual.shape) == expected.shape
    matrix = actual.reshape(-1, shape[-1]).double()
    small = min(matrix.shape)
    gram = (
        matrix.T @ matrix if matrix.shape[0] >= matrix.shape[1] else matrix @ matrix.T
    )
    torch.testing.assert_close(
        gram, 4.0 * torch.eye(small, dtype=torch.float64), atol=1e-5, rtol=0
    )
    assert math.isclose(np.linalg.norm(expected), float(actual.norm()), rel_tol=1e-5)
