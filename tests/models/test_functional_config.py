"""Functional and Sequential configs in Keras 3 and Keras 2 forms."""

import numpy as np
import pytest

import lamina
from lamina.models.functional_config import functional_config
from lamina.models.functional_config import functional_from_config
from lamina.saving import LoadError


def _shared_model():
    a = lamina.Input(shape=(3,), name="a")
    b = lamina.Input(shape=(3,), name="b")
    shared = lamina.layers.Dense(2, name="shared")
    merged = lamina.layers.Add(name="add")([shared(a), shared(b)])
    return lamina.Model(
        [a, b], lamina.layers.Dense(1, name="out")(merged), name="siamese"
    )


def test_config_uses_keras3_inbound_nodes():
    config = functional_config(_shared_model())
    shared = next(layer for layer in config["layers"] if layer["name"] == "shared")
    histories = [
        node["args"][0]["config"]["keras_history"] for node in shared["inbound_nodes"]
    ]
    assert histories == [["a", 0, 0], ["b", 0, 0]]
    add = next(layer for layer in config["layers"] if layer["name"] == "add")
    assert [
        t["config"]["keras_history"] for t in add["inbound_nodes"][0]["args"][0]
    ] == [
        ["shared", 0, 0],
        ["shared", 1, 0],
    ]
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["output_layers"] == ["out", 0, 0]


def test_shared_layer_round_trip_predicts_same():
    model = _shared_model()
    restored = lamina.Model.from_config(model.get_config())
    restored.set_weights(model.get_weights())
    x = [np.random.rand(2, 3).astype("float32"), np.random.rand(2, 3).astype("float32")]
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6
    )
    assert len(restored.get_layer("shared")._inbound_nodes) == 2


def test_reads_keras2_inbound_nodes():
    config = {
        "name": "k2",
        "layers": [
            {
                "class_name": "InputLayer",
                "name": "input_1",
                "inbound_nodes": [],
                "config": {
                    "batch_input_shape": [None, 4],
                    "dtype": "float32",
                    "name": "input_1",
                },
            },
            {
                "class_name": "Dense",
                "name": "dense",
                "inbound_nodes": [[["input_1", 0, 0, {}]]],
                "config": {
                    "name": "dense",
                    "units": 3,
                    "activation": "relu",
                    "kernel_initializer": {
                        "class_name": "GlorotUniform",
                        "config": {"seed": None},
                    },
                },
            },
            {
                "class_name": "Dense",
                "name": "dense_1",
                "inbound_nodes": [[["dense", 0, 0, {}]]],
                "config": {"name": "dense_1", "units": 1},
            },
        ],
        "input_layers": [["input_1", 0, 0]],
        "output_layers": [["dense_1", 0, 0]],
    }
    model = functional_from_config(config)
    assert model.output_shape == (None, 1)
    assert [layer.name for layer in model.layers] == ["input_1", "dense", "dense_1"]


def test_reads_keras2_sequential_forms():
    layers = [
        {
            "class_name": "Dense",
            "config": {"name": "d", "units": 2, "batch_input_shape": [None, 5]},
        },
        {"class_name": "Dense", "config": {"name": "e", "units": 1}},
    ]
    old = lamina.Sequential.from_config(layers)
    newer = lamina.Sequential.from_config({"name": "s", "layers": layers})
    assert old.output_shape == newer.output_shape == (None, 1)


def test_sequential_config_has_input_layer_and_no_batch_input_shape():
    model = lamina.Sequential([lamina.layers.Dense(2, input_shape=(3,))])
    config = model.get_config()
    assert config["layers"][0]["class_name"] == "InputLayer"
    assert "batch_input_shape" not in config["layers"][1]["config"]
    assert config["build_input_shape"] == [None, 3]


def test_unknown_layer_reference_is_clear():
    config = functional_config(_shared_model())
    config["output_layers"] = ["missing", 0, 0]
    with pytest.raises(LoadError, match="'missing'"):
        functional_from_config(config)


def test_missing_keys_are_clear():
    with pytest.raises(LoadError, match="input_layers"):
        functional_from_config({"layers": []})


def test_layers_listed_in_keras_order():
    # Keras lists layers by depth from the outputs, ties in depth-first order.
    a = lamina.Input(shape=(2,), name="a")
    deep = lamina.layers.Dense(2, name="deep2")(lamina.layers.Dense(2, name="deep1")(a))
    shallow = lamina.layers.Dense(2, name="shallow")(a)
    out = lamina.layers.Concatenate(name="cat")([shallow, deep])
    model = lamina.Model(a, out)
    assert [layer.name for layer in model.layers] == [
        "a",
        "deep1",
        "shallow",
        "deep2",
        "cat",
    ]


def test_multi_output_dict_outputs_round_trip():
    inputs = lamina.Input(shape=(3,), name="x")
    outputs = {
        "p": lamina.layers.Dense(1, name="p")(inputs),
        "q": lamina.layers.Dense(2, name="q")(inputs),
    }
    model = lamina.Model(inputs, outputs)
    restored = lamina.Model.from_config(model.get_config())
    assert sorted(restored.output_names) == ["p", "q"]
