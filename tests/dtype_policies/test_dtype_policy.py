import copy
import json

import numpy as np
import pytest
import torch

from lamina.backend import config
from lamina.dtype_policies import DTypePolicy
from lamina.dtype_policies import FloatDTypePolicy
from lamina.dtype_policies import deserialize
from lamina.dtype_policies import get
from lamina.dtype_policies import serialize
from lamina.saving import register_keras_serializable


@pytest.fixture(autouse=True)
def default_policy(monkeypatch):
    """Each test starts from, and leaves, the default global policy."""
    monkeypatch.setattr(config, "_DTYPE_POLICY", None)
    monkeypatch.setattr(config, "_FLOATX", "float32")


@pytest.mark.parametrize(
    ("name", "compute", "variable"),
    [
        ("mixed_float16", "float16", "float32"),
        ("mixed_bfloat16", "bfloat16", "float32"),
        ("float32", "float32", "float32"),
        ("float16", "float16", "float16"),
        ("bfloat16", "bfloat16", "bfloat16"),
        ("float64", "float64", "float64"),
        ("int32", "int32", "int32"),
    ],
)
def test_dtype_policy_splits_its_name_into_two_dtypes(name, compute, variable):
    policy = DTypePolicy(name)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (
        name,
        compute,
        variable,
    )
    assert policy.quantization_mode is None


def test_dtype_policy_defaults_to_the_global_policy():
    assert DTypePolicy().name == "float32"
    config.set_dtype_policy("mixed_bfloat16")
    assert DTypePolicy().name == "mixed_bfloat16"


def test_dtype_policy_rejects_an_unknown_name():
    with pytest.raises(ValueError, match="name='mixed_float64', which is neither"):
        DTypePolicy("mixed_float64")


def test_dtype_policy_rejects_a_name_that_is_no_string():
    with pytest.raises(TypeError, match="expected name to be a string"):
        DTypePolicy(16)


def test_dtype_policy_repr_equality_and_hash_follow_keras():
    assert repr(DTypePolicy("mixed_float16")) == '<DTypePolicy "mixed_float16">'
    assert repr(FloatDTypePolicy("float16")) == '<DTypePolicy "float16">'
    assert FloatDTypePolicy("float16") == DTypePolicy("float16")
    assert DTypePolicy("float16") != DTypePolicy("float32")
    assert DTypePolicy("float32") != "float32"
    with pytest.raises(TypeError):
        hash(DTypePolicy("float32"))


def test_dtype_policy_survives_deepcopy_and_config_round_trip():
    policy = DTypePolicy("mixed_float16")
    assert copy.deepcopy(policy) == policy
    assert DTypePolicy.from_config(policy.get_config()) == policy


def test_dtype_policy_convert_input_casts_only_floats():
    policy = DTypePolicy("mixed_float16")
    assert policy.convert_input(np.ones(2), True, "float16").dtype == torch.float16
    assert policy.convert_input(np.ones(2), False, "float16").dtype == torch.float64
    indices = torch.tensor([1, 2])
    assert policy.convert_input(indices, True, "float16") is indices
    assert policy.convert_input("text", True, "float16") == "text"


@pytest.mark.parametrize(
    ("identifier", "name"),
    [
        (None, "float32"),
        ("mixed_float16", "mixed_float16"),
        (torch.bfloat16, "bfloat16"),
        (np.float64, "float64"),
        (np.dtype("float16"), "float16"),
        ({"class_name": "DTypePolicy", "config": {"name": "float16"}}, "float16"),
    ],
)
def test_get_accepts_every_form_of_dtype(identifier, name):
    assert get(identifier).name == name


def test_get_returns_a_policy_itself():
    policy = DTypePolicy("mixed_bfloat16")
    assert get(policy) is policy


def test_get_rejects_what_is_no_dtype():
    with pytest.raises(ValueError, match="Cannot interpret dtype=3.5"):
        get(3.5)


def test_get_refuses_quantized_policies():
    with pytest.raises(ValueError, match="no quantized layers"):
        get("int8_from_mixed_bfloat16")
    with pytest.raises(ValueError, match="no quantized layers"):
        get({"class_name": "QuantizedDTypePolicy", "config": {"mode": "int8"}})


def test_serialize_writes_keras_3_config():
    config_dict = serialize(DTypePolicy("mixed_float16"))
    assert config_dict == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    assert deserialize(json.loads(json.dumps(config_dict))).name == "mixed_float16"


def test_serialize_rejects_what_is_no_policy():
    with pytest.raises(TypeError, match="expected a DTypePolicy"):
        serialize("float32")


def test_deserialize_reads_keras_3_float_and_tf_keras_2_configs():
    float_policy = deserialize(
        {
            "module": "keras",
            "class_name": "FloatDTypePolicy",
            "config": {"name": "float16"},
        }
    )
    assert type(float_policy) is FloatDTypePolicy and float_policy.name == "float16"
    legacy = {
        "class_name": "Policy",
        "config": {"name": "mixed_float16", "loss_scale": None},
    }
    assert deserialize(legacy) == DTypePolicy("mixed_float16")


def test_deserialize_names_the_known_classes_for_an_unknown_one():
    with pytest.raises(ValueError, match="Unknown dtype policy class 'Mine'"):
        deserialize({"class_name": "Mine", "config": {"name": "float32"}})


def test_deserialize_finds_custom_and_registered_policies():
    @register_keras_serializable(package="PolicyTest")
    class Tagged(DTypePolicy):
        pass

    config_dict = serialize(Tagged("mixed_bfloat16"))
    assert config_dict["registered_name"] == "PolicyTest>Tagged"
    assert type(deserialize(config_dict)) is Tagged

    class Local(DTypePolicy):
        pass

    local = {"class_name": "Local", "config": {"name": "float16"}}
    assert type(deserialize(local, custom_objects={"Local": Local})) is Local


def test_global_policy_follows_floatx_until_set():
    config.set_floatx("float64")
    assert config.dtype_policy().name == "float64"
    config.set_dtype_policy(DTypePolicy("mixed_float16"))
    config.set_floatx("float32")
    assert config.dtype_policy().name == "mixed_float16"
    config.set_dtype_policy(None)
    assert config.dtype_policy().name == "float32"


def test_set_dtype_policy_rejects_other_values():
    with pytest.raises(ValueError, match="set_dtype_policy expected a policy name"):
        config.set_dtype_policy(16)
    with pytest.raises(ValueError, match="neither a mixed precision policy"):
        config.set_dtype_policy("mixed_half")
