import base64
import json
import marshal

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


# ----------------------------------------------------- Keras 2 config forms
def _scale_by(x, factor):
    return x * torch.as_tensor(factor, dtype=x.dtype)


def _dump(function):
    """Keras 2's `func_dump`: `[base64 code, defaults, closure]`."""
    code = base64.b64encode(marshal.dumps(function.__code__)).decode("ascii")
    closure = None
    if function.__closure__:
        closure = [cell.cell_contents for cell in function.__closure__]
    return [code, function.__defaults__, closure]


def _keras2_config(lambda_function, /, **extra):
    config = {
        "name": "k2",
        "trainable": True,
        "function": _dump(lambda_function),
        "function_type": "lambda",
        "module": "__main__",
        "output_shape": None,
        "output_shape_type": "raw",
        "output_shape_module": None,
        "arguments": {},
    }
    return {**config, **extra}


def _closure_lambda(offset):
    return lambda x, k=2.0: x * k + offset


def test_keras2_lambda_refused_in_safe_mode():
    config = _keras2_config(lambda x: x)
    with pytest.raises(ValueError, match=r"'k2' \(Lambda\).*safe_mode=False"):
        Lambda.from_config(config)


def test_keras2_lambda_list_form_loads_when_unsafe():
    config = json.loads(json.dumps(_keras2_config(_closure_lambda(1.0))))
    layer = Lambda.from_config(config, safe_mode=False)
    assert layer(torch.ones(2)).tolist() == [3.0, 3.0]


def test_keras2_lambda_bare_code_and_raw_escape_forms_load():
    function = lambda x: x - 1  # noqa: E731
    raw = marshal.dumps(function.__code__)
    for code in (base64.b64encode(raw).decode(), raw.decode("raw_unicode_escape")):
        config = _keras2_config(function, function=code)
        layer = Lambda.from_config(config, safe_mode=False)
        assert layer(torch.ones(1)).tolist() == [0.0]


def test_keras2_named_function_raw_output_shape_and_ndarray_arguments():
    config = _keras2_config(
        _double,
        function="_scale_by",
        function_type="function",
        output_shape=[2],
        arguments={"factor": {"type": "ndarray", "value": [1.0, 2.0]}},
    )
    # No bytecode, so safe mode loads it.
    layer = Lambda.from_config(config, custom_objects={"_scale_by": _scale_by})
    assert layer(torch.tensor([3.0, 3.0])).tolist() == [3.0, 6.0]
    assert layer.compute_output_shape((None, 2)) == (None, 2)


def test_keras2_lambda_mask_and_output_shape_refused_in_safe_mode():
    for key in ("output_shape", "mask"):
        config = _keras2_config(_double, function="_double", function_type="function")
        config[key] = _dump(lambda x, m=None: m)
        config[f"{key}_type"] = "lambda"
        with pytest.raises(ValueError, match="safe_mode=False"):
            Lambda.from_config(config, custom_objects={"_double": _double})
        assert lamina.saving.serialization_lib._holds_bytecode(config)


def test_lambda_from_other_python_version_is_clear():
    config = _keras2_config(lambda x: x, function=["bm90IGNvZGU=\n", None, None])
    with pytest.raises(ValueError, match="cannot read.*Python version"):
        Lambda.from_config(config, safe_mode=False)


def test_keras2_lambda_sees_custom_objects_as_globals():
    namespace = {}
    exec("f = lambda x: helper(x)", namespace)  # noqa: S102 -- a global, as in Keras 2
    config = _keras2_config(namespace["f"])
    layer = Lambda.from_config(
        config, custom_objects={"helper": lambda x: x + 10}, safe_mode=False
    )
    assert layer(torch.zeros(1)).tolist() == [10.0]
