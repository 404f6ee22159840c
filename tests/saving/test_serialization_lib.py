"""Keras 3 config dicts, the registry, and safe class lookup."""

import pytest

import lamina
from lamina.saving import LoadError
from lamina.saving import custom_object_scope
from lamina.saving import deserialize_keras_object
from lamina.saving import get_registered_name
from lamina.saving import get_registered_object
from lamina.saving import register_keras_serializable
from lamina.saving import serialize_keras_object
from lamina.saving.serialization_lib import MAX_CONFIG_DEPTH


def test_serialize_layer_uses_keras_module_and_build_config():
    layer = lamina.layers.Dense(3, name="d")
    layer(lamina.Input(shape=(4,)))
    config = serialize_keras_object(layer)
    assert config["module"] == "keras.layers"
    assert config["class_name"] == "Dense"
    assert config["registered_name"] is None
    assert config["build_config"] == {"input_shape": [None, 4]}


def test_deserialize_builds_layer_from_build_config():
    layer = deserialize_keras_object(
        {
            "module": "keras.layers",
            "class_name": "Dense",
            "config": {"units": 2, "quantization_config": None},
            "registered_name": None,
            "build_config": {"input_shape": [None, 5]},
        }
    )
    assert layer.built and tuple(layer.kernel.shape) == (5, 2)


def test_deserialize_accepts_keras2_config_without_module():
    layer = deserialize_keras_object({"class_name": "Dropout", "config": {"rate": 0.3}})
    assert isinstance(layer, lamina.layers.Dropout) and layer.rate == 0.3


def test_module_hint_picks_the_family():
    loss = deserialize_keras_object(
        {"module": "keras.losses", "class_name": "MeanSquaredError", "config": {}}
    )
    metric = deserialize_keras_object(
        {"module": "keras.metrics", "class_name": "MeanSquaredError", "config": {}}
    )
    assert isinstance(loss, lamina.losses.MeanSquaredError)
    assert isinstance(metric, lamina.metrics.MeanSquaredError)


def test_function_config_resolves_in_family():
    function = deserialize_keras_object(
        {
            "module": "keras.activations",
            "class_name": "function",
            "config": "relu",
            "registered_name": "relu",
        }
    )
    assert function is lamina.activations.relu


@pytest.mark.parametrize(
    ("module", "class_name"),
    [
        ("os", "system"),
        ("builtins", "exec"),
        ("subprocess", "Popen"),
        ("posix", "system"),
    ],
)
def test_unknown_module_is_never_imported(module, class_name):
    config = {"module": module, "class_name": class_name, "config": {"command": "echo"}}
    with pytest.raises(LoadError, match="never imports a module"):
        deserialize_keras_object(config)


def test_function_named_os_system_is_refused():
    config = {
        "module": "os",
        "class_name": "function",
        "config": "system",
        "registered_name": "system",
    }
    with pytest.raises(LoadError, match="custom_objects"):
        deserialize_keras_object(config)


def test_unknown_class_error_says_how_to_fix():
    with pytest.raises(LoadError, match=r"custom_objects=\{'MyLayer'"):
        deserialize_keras_object(
            {"module": "mine", "class_name": "MyLayer", "config": {}}
        )


def test_custom_objects_and_scope_resolve_user_classes():
    class Twice(lamina.layers.Layer):
        def call(self, inputs):
            return inputs * 2

    config = {"module": "mine", "class_name": "Twice", "config": {"name": "t"}}
    assert isinstance(deserialize_keras_object(config, {"Twice": Twice}), Twice)
    with custom_object_scope({"Twice": Twice}):
        assert isinstance(deserialize_keras_object(config), Twice)
    with pytest.raises(LoadError):
        deserialize_keras_object(config)


def test_register_keras_serializable_round_trip():
    @register_keras_serializable(package="TestPkg")
    class Shift(lamina.layers.Layer):
        def __init__(self, amount=1.0, **kwargs):
            super().__init__(**kwargs)
            self.amount = amount

        def call(self, inputs):
            return inputs + self.amount

        def get_config(self):
            return {**super().get_config(), "amount": self.amount}

    config = serialize_keras_object(Shift(2.5))
    assert config["registered_name"] == "TestPkg>Shift"
    assert get_registered_name(Shift) == "TestPkg>Shift"
    assert get_registered_object("TestPkg>Shift") is Shift
    restored = deserialize_keras_object(config)
    assert isinstance(restored, Shift) and restored.amount == 2.5


def test_register_rejects_class_without_get_config():
    class NoConfig:
        pass

    with pytest.raises(ValueError, match="get_config"):
        register_keras_serializable()(NoConfig)


def test_deep_config_is_refused_not_recursion_error():
    config: dict = {"class_name": "Dense", "config": {}}
    for _ in range(MAX_CONFIG_DEPTH + 5):
        config = {"wrap": config}
    with pytest.raises(LoadError, match="nested more than"):
        deserialize_keras_object(config)


def test_special_values_round_trip():
    import numpy as np

    value = {"array": np.arange(3.0), "data": b"abc"}
    restored = deserialize_keras_object(serialize_keras_object(value))
    assert restored["array"].tolist() == [0.0, 1.0, 2.0]
    assert restored["data"] == b"abc"


def test_lambda_value_refused_in_safe_mode():
    config = {"class_name": "__lambda__", "config": {"value": ["", None, None]}}
    with pytest.raises(LoadError, match="safe_mode=False"):
        deserialize_keras_object(config)
