import json

import pytest
import torch

import lamina
from lamina import activations
from lamina.layers import Lambda
from lamina.testing import check_layer


def _double(x):
    return x * 2


def test_lambda_conformance_with_named_function():
    check_layer(
        lambda: Lambda(activations.relu),
        torch.randn(2, 3),
        expected_output_shape=(2, 3),
        expected_num_weights=0,
    )


def test_lambda_passes_arguments():
    layer = Lambda(lambda x, factor: x * factor, arguments={"factor": 3.0})
    assert layer(torch.ones(2)).tolist() == [3.0, 3.0]


def test_lambda_passes_training_and_mask():
    seen = {}

    def function(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    Lambda(function)(torch.ones(2), training=True)
    assert seen["training"] is True


def test_lambda_config_serializes_bytecode_like_keras():
    config = Lambda(lambda x: x + 1).get_config()
    assert config["function"]["class_name"] == "__lambda__"
    assert set(config["function"]["config"]) == {"code", "defaults", "closure"}
    json.dumps(config)


def test_lambda_from_config_refuses_bytecode_in_safe_mode():
    config = Lambda(lambda x: x + 1, name="plus_one").get_config()
    with pytest.raises(ValueError, match=r"'plus_one' \(Lambda\).*safe_mode=False"):
        Lambda.from_config(config)


def test_lambda_from_config_loads_bytecode_when_unsafe():
    offset = 5.0
    config = json.loads(
        json.dumps(Lambda(lambda x, k=2.0: x * k + offset).get_config())
    )
    layer = Lambda.from_config(config, safe_mode=False)
    assert layer(torch.ones(1)).tolist() == [7.0]


def test_lambda_named_function_from_custom_objects():
    config = Lambda(_double).get_config()
    layer = Lambda.from_config(config, custom_objects={"_double": _double})
    assert layer(torch.ones(1)).tolist() == [2.0]


def test_lambda_unknown_named_function_error():
    config = Lambda(_double).get_config()
    with pytest.raises(ValueError, match="custom_objects"):
        Lambda.from_config(config)


def test_lambda_output_shape_and_mask():
    layer = Lambda(lambda x: x[:, :2], output_shape=(2,), mask=lambda x, m: None)
    assert layer.compute_output_shape((None, 5)) == (None, 2)
    config = layer.get_config()
    assert config["output_shape"] == (2,)
    assert config["mask"]["class_name"] == "__lambda__"


def test_lambda_in_functional_model():
    inputs = lamina.Input(shape=(3,))
    model = lamina.Model(inputs, Lambda(lambda x: x.sum(dim=1, keepdim=True))(inputs))
    assert model.output_shape == (None, 1)


def test_lambda_rejects_non_callable():
    with pytest.raises(TypeError, match="callable"):
        Lambda(3)
