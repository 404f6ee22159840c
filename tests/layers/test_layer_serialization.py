import json

import pytest

from lamina.layers import LSTM
from lamina.layers import Dense
from lamina.layers import Dropout
from lamina.layers.serialization import deserialize
from lamina.layers.serialization import serialize
from lamina.saving import register_keras_serializable
from lamina.saving.errors import LoadError


def test_serialize_writes_keras_3_layer_config():
    config = serialize(Dense(3, activation="relu", name="out"))
    assert config["module"] == "keras.layers" and config["class_name"] == "Dense"
    assert config["registered_name"] is None
    assert config["config"]["units"] == 3 and config["config"]["name"] == "out"
    json.dumps(config)


def test_serialize_includes_build_config_of_a_built_layer():
    layer = Dense(3)
    layer.build((None, 4))
    config = serialize(layer)
    assert config["build_config"] == {"input_shape": [None, 4]}
    rebuilt = deserialize(config)
    assert rebuilt.built and tuple(rebuilt.kernel.shape) == (4, 3)


def test_deserialize_round_trips_nested_layers():
    layer = deserialize(serialize(LSTM(4, return_sequences=True, dropout=0.1)))
    assert isinstance(layer, LSTM) and layer.units == 4 and layer.dropout == 0.1


def test_deserialize_reads_keras_2_configs():
    layer = deserialize({"class_name": "Dropout", "config": {"rate": 0.3}})
    assert isinstance(layer, Dropout) and layer.rate == 0.3


def test_deserialize_takes_custom_objects():
    class Scale(Dense):
        pass

    config = serialize(Scale(2))
    layer = deserialize(config, custom_objects={"Scale": Scale})
    assert type(layer) is Scale


def test_deserialize_finds_registered_layers():
    @register_keras_serializable(package="SerializeTest")
    class Shift(Dense):
        pass

    assert type(deserialize(serialize(Shift(2)))) is Shift


def test_deserialize_rejects_configs_of_other_objects():
    config = {"module": "keras.losses", "class_name": "MeanSquaredError", "config": {}}
    with pytest.raises(ValueError, match="expected the config of a layer"):
        deserialize(config)


def test_deserialize_rejects_unknown_layers():
    with pytest.raises(LoadError, match="Unknown object 'Mystery'"):
        deserialize({"module": "keras.layers", "class_name": "Mystery", "config": {}})
