"""Unit tests for lamina.initializers."""

import numpy as np
import pytest
import torch

from lamina import initializers
from lamina.backend import set_random_seed
from lamina.initializers.variance_scaling import compute_fans

_RANDOM = [
    initializers.RandomNormal,
    initializers.RandomUniform,
    initializers.TruncatedNormal,
    initializers.VarianceScaling,
    initializers.GlorotUniform,
    initializers.GlorotNormal,
    initializers.HeUniform,
    initializers.HeNormal,
    initializers.LecunUniform,
    initializers.LecunNormal,
    initializers.Orthogonal,
]


@pytest.mark.parametrize("cls", _RANDOM)
def test_random_initializer_int_seed_repeats(cls):
    first = cls(seed=7)((5, 4))
    assert torch.equal(first, cls(seed=7)((5, 4)))
    assert torch.equal(first, cls(seed=7)((5, 4)))
    assert not torch.equal(first, cls(seed=8)((5, 4)))


@pytest.mark.parametrize("cls", _RANDOM)
def test_random_initializer_none_seed_follows_global_seed(cls):
    set_random_seed(3)
    first = cls()((5, 4))
    second = cls()((5, 4))
    set_random_seed(3)
    assert torch.equal(first, cls()((5, 4)))
    assert not torch.equal(first, second)


@pytest.mark.parametrize("cls", _RANDOM)
def test_random_initializer_dtypes(cls):
    assert cls(seed=1)((3, 2)).dtype == torch.float32
    assert cls(seed=1)((3, 2), dtype="float64").dtype == torch.float64
    assert cls(seed=1)((3, 2), dtype=torch.bfloat16).dtype == torch.bfloat16


def test_random_initializer_rejects_int_dtype():
    with pytest.raises(ValueError, match="dtype='int32'"):
        initializers.RandomNormal()((2,), dtype="int32")


def test_random_initializer_rejects_bad_seed():
    with pytest.raises(ValueError, match="seed='a'"):
        initializers.GlorotUniform(seed="a")


@pytest.mark.parametrize(
    "cls", [initializers.RandomNormal, initializers.TruncatedNormal]
)
def test_normal_initializers_reject_negative_stddev(cls):
    with pytest.raises(ValueError, match="stddev=-1"):
        cls(stddev=-1)


def test_random_uniform_rejects_reversed_bounds():
    with pytest.raises(ValueError, match="minval=1"):
        initializers.RandomUniform(1.0, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"scale": 0.0}, "scale=0.0"),
        ({"mode": "fan_sum"}, "mode='fan_sum'"),
        ({"distribution": "cauchy"}, "distribution='cauchy'"),
    ],
)
def test_variance_scaling_rejects_bad_arguments(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        initializers.VarianceScaling(**kwargs)


def test_variance_scaling_normal_means_truncated_normal():
    assert initializers.VarianceScaling(distribution="Normal").distribution == (
        "truncated_normal"
    )


@pytest.mark.parametrize(
    ("shape", "fans"),
    [((), (1, 1)), ((5,), (5, 5)), ((4, 6), (4, 6)), ((3, 3, 2, 8), (18, 72))],
)
def test_compute_fans_keras_layout(shape, fans):
    assert compute_fans(shape) == fans


def test_compute_fans_explicit_axes():
    assert compute_fans((2, 3, 4), input_axes=[0, 1], output_axes=[2]) == (6, 4)


def test_variance_scaling_uniform_limit():
    values = initializers.VarianceScaling(3.0, "fan_out", "uniform", seed=0)((50, 4))
    limit = (3 * 3.0 / 4) ** 0.5
    assert float(values.abs().max()) <= limit
    assert float(values.abs().max()) > 0.9 * limit


def test_he_normal_stddev():
    values = initializers.HeNormal(seed=0)((400, 300))
    assert float(values.std()) == pytest.approx((2 / 400) ** 0.5, rel=0.03)


def test_constant_zeros_ones_identity_values():
    assert initializers.Constant(2)((2,), dtype="int64").tolist() == [2, 2]
    assert initializers.Zeros()((2, 2)).sum() == 0
    assert initializers.Ones()((3,)).tolist() == [1.0, 1.0, 1.0]
    assert initializers.Identity()((2, 2), dtype="int32").tolist() == [[1, 0], [0, 1]]


def test_identity_rejects_non_matrix():
    with pytest.raises(ValueError, match=r"shape=\(2, 2, 2\)"):
        initializers.Identity()((2, 2, 2))


def test_orthogonal_rejects_vector():
    with pytest.raises(ValueError, match="rank 2 or more"):
        initializers.Orthogonal()((4,))


def test_orthogonal_wide_matrix_has_orthonormal_rows():
    q = initializers.Orthogonal(seed=1)((3, 7))
    torch.testing.assert_close(q @ q.T, torch.eye(3), atol=1e-5, rtol=0)


def test_stft_rejects_bad_arguments():
    with pytest.raises(ValueError, match="side='both'"):
        initializers.STFT(side="both")
    with pytest.raises(ValueError, match="Available windows"):
        initializers.STFT(window="tukey")
    with pytest.raises(ValueError, match="scaling='l2'"):
        initializers.STFT(scaling="l2")
    with pytest.raises(ValueError, match=r"window of shape \(4,\)"):
        initializers.STFT(window=[1.0, 1.0])((4, 1, 3))


_CONCRETE_NAMES = sorted(
    name
    for name, cls in initializers.ALL_OBJECTS.items()
    if cls is not initializers.Initializer
)


@pytest.mark.parametrize("name", _CONCRETE_NAMES)
def test_get_every_name(name):
    initializer = initializers.get(name)
    assert isinstance(initializer, initializers.Initializer)
    shape = (4, 1, 3) if "stft" in name.lower() else (3, 3)
    assert tuple(initializer(shape).shape) == shape


def test_get_none_class_callable_instance():
    assert initializers.get(None) is None
    assert isinstance(initializers.get(initializers.Ones), initializers.Ones)
    instance = initializers.HeNormal()
    assert initializers.get(instance) is instance

    def function(shape, dtype=None):
        return torch.zeros(shape)

    assert initializers.get(function) is function


def test_get_tensor_returns_copy_and_checks_shape():
    value = np.arange(6.0).reshape(2, 3)
    initializer = initializers.get(value)
    np.testing.assert_array_equal(initializer((2, 3)).numpy(), value)
    with pytest.raises(ValueError, match=r"shape=\(3, 2\)"):
        initializer((3, 2))


def test_get_unknown_name_lists_available():
    with pytest.raises(ValueError, match="Available initializers: .*glorot_uniform"):
        initializers.get("glorot_uniforn")


def test_get_rejects_non_callable():
    with pytest.raises(TypeError, match="Could not interpret initializer"):
        initializers.get(3)


def test_deserialize_keras2_config():
    config = {
        "class_name": "VarianceScaling",
        "config": {
            "scale": 2.0,
            "mode": "fan_avg",
            "distribution": "uniform",
            "seed": None,
        },
    }
    initializer = initializers.deserialize(config)
    assert isinstance(initializer, initializers.VarianceScaling)
    assert initializer.mode == "fan_avg"


def test_serialize_round_trip_keeps_config():
    original = initializers.RandomUniform(-1.0, 2.0, seed=5)
    config = initializers.serialize(original)
    assert config["module"] == "keras.initializers"
    rebuilt = initializers.deserialize(config)
    assert rebuilt.get_config() == original.get_config()
    assert torch.equal(rebuilt((3,)), original((3,)))
    assert original.clone().get_config() == original.get_config()


class _Twos(initializers.Initializer):
    def __call__(self, shape, dtype=None):
        return torch.full(tuple(shape), 2.0)


def test_custom_initializer_round_trip_with_custom_objects():
    config = initializers.serialize(_Twos())
    assert config["registered_name"] == "_Twos"
    with pytest.raises(ValueError, match="custom_objects"):
        initializers.deserialize(config)
    rebuilt = initializers.deserialize(config, custom_objects={"_Twos": _Twos})
    assert isinstance(rebuilt, _Twos)


def test_deserialize_never_imports_named_module():
    config = {
        "module": "os",
        "class_name": "system",
        "config": {},
        "registered_name": None,
    }
    with pytest.raises(ValueError, match="Unknown name 'system'"):
        initializers.deserialize(config)


def test_deserialize_rejects_bad_type():
    with pytest.raises(TypeError, match="class_name"):
        initializers.deserialize(5)


def test_numpy_integer_seed_is_accepted():
    first = initializers.GlorotUniform(seed=np.int64(4))((3, 3))
    assert torch.equal(first, initializers.GlorotUniform(seed=4)((3, 3)))
    assert initializers.GlorotUniform(seed=np.int64(4)).get_config()["seed"] == 4
