"""ConvLSTM, RMS/spectral normalization, adaptive pooling, ReversibleEmbedding,
Pipeline and `serialize`/`deserialize` give Keras's numbers, configs and files."""

import json
import re

import numpy as np
import pytest
import torch

import lamina
import lamina.layers
from lamina.layers.core.pipeline import Pipeline
from lamina.layers.core.reversible_embedding import ReversibleEmbedding
from lamina.layers.normalization.rms_normalization import RMSNormalization
from lamina.layers.normalization.spectral_normalization import SpectralNormalization
from lamina.layers.recurrent.conv_lstm2d import ConvLSTM2D
from lamina.layers.serialization import deserialize
from lamina.layers.serialization import serialize

TOLERANCE = 1e-5


def _numpy(keras, value):
    return keras.ops.convert_to_numpy(value)


def _as_list(outputs):
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def _randomize(keras, keras_layer, lamina_layer, seed=1):
    """Gives both layers the same random weights, in Keras's order."""
    rng = np.random.default_rng(seed)
    values = [
        rng.uniform(-0.5, 0.5, size=tuple(w.shape)).astype("float32")
        for w in keras_layer.weights
    ]
    keras_layer.set_weights(values)
    lamina_layer.set_weights([_numpy(keras, w) for w in keras_layer.weights])


def _generic_path(path):
    """`"spectral_normalization_3/dense_7/kernel"` -> `"spectral_normalization/
    dense/kernel"`: unique-name counters depend on what ran before."""
    return "/".join(re.sub(r"_\d+$", "", part) for part in path.split("/"))


def _assert_same_weights_and_config(keras, keras_layer, lamina_layer):
    assert [_generic_path(w.path) for w in lamina_layer.weights] == [
        _generic_path(w.path) for w in keras_layer.weights
    ]
    assert [tuple(w.shape) for w in lamina_layer.weights] == [
        tuple(w.shape) for w in keras_layer.weights
    ]
    expected = json.loads(json.dumps(keras_layer.get_config()))
    actual = json.loads(json.dumps(lamina_layer.get_config()))
    for config in (expected, actual):
        config.pop("name")
        # Keras records the batch size of the eager call that built a
        # wrapped layer; lamina always records None there
        config.get("layer", {}).pop("build_config", None)
        config.get("layer", {}).get("config", {}).pop("name", None)
    assert actual == expected
    rebuilt = type(lamina_layer).from_config(keras_layer.get_config())
    assert json.loads(json.dumps(rebuilt.get_config()))["dtype"] == actual["dtype"]


# ------------------------------------------------------------------ ConvLSTM
_CONV_LSTM_CASES = [  # (class name, arguments, input shape, with a mask)
    ("ConvLSTM1D", {"filters": 3, "kernel_size": 3}, (2, 4, 7, 2), True),
    (
        "ConvLSTM1D",
        {"filters": 3, "kernel_size": 2, "dilation_rate": 2, "return_sequences": True},
        (2, 4, 7, 2),
        False,
    ),
    (
        "ConvLSTM2D",
        {"filters": 4, "kernel_size": (3, 2), "return_sequences": True},
        (2, 3, 6, 5, 2),
        True,
    ),
    (
        "ConvLSTM2D",
        {"filters": 3, "kernel_size": 2, "padding": "same", "strides": 2},
        (2, 3, 5, 6, 2),
        False,
    ),
    (
        "ConvLSTM2D",
        {"filters": 3, "kernel_size": 3, "data_format": "channels_first"},
        (2, 3, 2, 5, 5),
        True,
    ),
    (
        "ConvLSTM2D",
        {"filters": 3, "kernel_size": 3, "padding": "same", "return_state": True},
        (2, 4, 5, 5, 2),
        True,
    ),
    (
        "ConvLSTM2D",
        {
            "filters": 3,
            "kernel_size": 3,
            "go_backwards": True,
            "return_sequences": True,
            "return_state": True,
            "activation": "relu",
            "recurrent_activation": "hard_sigmoid",
        },
        (2, 4, 5, 5, 2),
        True,
    ),
    (
        "ConvLSTM3D",
        {"filters": 2, "kernel_size": 2, "padding": "same", "return_sequences": True},
        (2, 3, 4, 3, 4, 2),
        False,
    ),
]


def _conv_lstm_pair(keras, name, kwargs, shape):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    keras_layer = getattr(keras.layers, name)(**kwargs)
    lamina_layer = getattr(lamina.layers, name)(**kwargs)
    keras_layer(x)
    lamina_layer(torch.as_tensor(x))
    _randomize(keras, keras_layer, lamina_layer)
    return keras_layer, lamina_layer, x


def _mask(batch, steps):
    mask = np.ones((batch, steps), bool)
    mask[0, steps - 2 :] = False  # right padding
    mask[1, 1] = False  # a gap
    return mask


@pytest.mark.parametrize(("name", "kwargs", "shape", "use_mask"), _CONV_LSTM_CASES)
def test_conv_lstm_matches_keras(keras, name, kwargs, shape, use_mask):
    keras_layer, lamina_layer, x = _conv_lstm_pair(keras, name, kwargs, shape)
    mask = _mask(*shape[:2]) if use_mask else None
    expected = keras_layer(x, mask=mask)
    torch_mask = None if mask is None else torch.as_tensor(mask)
    actual = lamina_layer(torch.as_tensor(x), mask=torch_mask)
    expected, actual = _as_list(expected), _as_list(actual)
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        np.testing.assert_allclose(
            got.detach().numpy(), _numpy(keras, want), rtol=TOLERANCE, atol=TOLERANCE
        )


@pytest.mark.parametrize(("name", "kwargs", "shape", "use_mask"), _CONV_LSTM_CASES[::3])
def test_conv_lstm_config_and_weights_match_keras(keras, name, kwargs, shape, use_mask):
    keras_layer, lamina_layer, _ = _conv_lstm_pair(keras, name, kwargs, shape)
    _assert_same_weights_and_config(keras, keras_layer, lamina_layer)


def test_conv_lstm_initial_state_matches_keras(keras):
    keras_layer, lamina_layer, x = _conv_lstm_pair(
        keras, "ConvLSTM2D", {"filters": 3, "kernel_size": 3}, (2, 3, 5, 5, 2)
    )
    rng = np.random.default_rng(5)
    states = [rng.normal(size=(2, 3, 3, 3)).astype("float32") for _ in range(2)]
    expected = keras_layer(x, initial_state=states)
    actual = lamina_layer(
        torch.as_tensor(x), initial_state=[torch.as_tensor(s) for s in states]
    )
    np.testing.assert_allclose(
        actual.detach().numpy(), _numpy(keras, expected), atol=TOLERANCE
    )


def test_bidirectional_conv_lstm_matches_keras(keras):
    x = np.random.default_rng(0).normal(size=(2, 3, 5, 5, 2)).astype("float32")
    mask = np.array([[True, True, False], [True, False, True]])
    keras_layer = keras.layers.Bidirectional(
        keras.layers.ConvLSTM2D(3, 3, return_sequences=True)
    )
    lamina_layer = lamina.layers.Bidirectional(ConvLSTM2D(3, 3, return_sequences=True))
    keras_layer(x)
    lamina_layer(torch.as_tensor(x))
    _randomize(keras, keras_layer, lamina_layer)
    expected = keras_layer(x, mask=mask)
    actual = lamina_layer(torch.as_tensor(x), mask=torch.as_tensor(mask))
    np.testing.assert_allclose(
        actual.detach().numpy(), _numpy(keras, expected), atol=TOLERANCE
    )


# ----------------------------------------------------------- normalization
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [({}, (2, 3, 4)), ({"axis": [1, 2], "epsilon": 1e-3}, (2, 3, 4)), ({}, (3, 5))],
)
def test_rms_normalization_matches_keras(keras, kwargs, shape):
    x = np.random.default_rng(0).normal(size=shape).astype("float32") * 3
    keras_layer = keras.layers.RMSNormalization(**kwargs)
    lamina_layer = RMSNormalization(**kwargs)
    keras_layer(x)
    lamina_layer(torch.as_tensor(x))
    _randomize(keras, keras_layer, lamina_layer)
    np.testing.assert_allclose(
        lamina_layer(torch.as_tensor(x)).detach().numpy(),
        _numpy(keras, keras_layer(x)),
        atol=TOLERANCE,
    )
    _assert_same_weights_and_config(keras, keras_layer, lamina_layer)


def _spectral_pair(keras, inner, power_iterations):
    name, kwargs, shape = inner
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    keras_layer = keras.layers.SpectralNormalization(
        getattr(keras.layers, name)(**kwargs), power_iterations=power_iterations
    )
    lamina_layer = SpectralNormalization(
        getattr(lamina.layers, name)(**kwargs), power_iterations=power_iterations
    )
    keras_layer(x)
    lamina_layer(torch.as_tensor(x))
    _randomize(keras, keras_layer, lamina_layer)
    return keras_layer, lamina_layer, x


_SPECTRAL_CASES = [
    ("Dense", {"units": 5}, (3, 4)),
    ("Conv2D", {"filters": 3, "kernel_size": 2}, (2, 5, 5, 2)),
]


@pytest.mark.parametrize("power_iterations", [1, 3])
@pytest.mark.parametrize("inner", _SPECTRAL_CASES)
def test_spectral_normalization_training_steps_match_keras(
    keras, inner, power_iterations
):
    keras_layer, lamina_layer, x = _spectral_pair(keras, inner, power_iterations)
    for training in (False, True, True, False):
        expected = keras_layer(x, training=training)
        actual = lamina_layer(torch.as_tensor(x), training=training)
        np.testing.assert_allclose(
            actual.detach().numpy(), _numpy(keras, expected), atol=TOLERANCE
        )
    for want, got in zip(keras_layer.weights, lamina_layer.weights, strict=True):
        np.testing.assert_allclose(got.numpy(), _numpy(keras, want), atol=TOLERANCE)


def test_spectral_normalization_config_and_weights_match_keras(keras):
    keras_layer, lamina_layer, _ = _spectral_pair(keras, _SPECTRAL_CASES[0], 2)
    _assert_same_weights_and_config(keras, keras_layer, lamina_layer)


# ------------------------------------------------------------------ pooling
_ADAPTIVE_CASES = [
    ("AdaptiveAveragePooling1D", 4, (2, 10, 3)),
    ("AdaptiveMaxPooling1D", 3, (2, 7, 3)),
    ("AdaptiveAveragePooling1D", 6, (2, 4, 3)),  # more windows than steps
    ("AdaptiveAveragePooling2D", (3, 4), (2, 7, 9, 3)),
    ("AdaptiveMaxPooling2D", 5, (2, 7, 11, 3)),
    ("AdaptiveAveragePooling3D", (2, 3, 2), (2, 5, 7, 4, 2)),
    ("AdaptiveMaxPooling3D", 2, (2, 5, 3, 4, 2)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(("name", "output_size", "shape"), _ADAPTIVE_CASES)
def test_adaptive_pooling_matches_keras(keras, name, output_size, shape, data_format):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    keras_layer = getattr(keras.layers, name)(output_size, data_format=data_format)
    lamina_layer = getattr(lamina.layers, name)(output_size, data_format=data_format)
    np.testing.assert_allclose(
        lamina_layer(torch.as_tensor(x)).numpy(),
        _numpy(keras, keras_layer(x)),
        atol=TOLERANCE,
    )
    _assert_same_weights_and_config(keras, keras_layer, lamina_layer)


# --------------------------------------------------------------------- core
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"tie_weights": False, "logit_soft_cap": 0.5},
        {"mask_zero": True, "reverse_dtype": "float32"},
    ],
)
def test_reversible_embedding_matches_keras(keras, kwargs):
    ids = np.array([[1, 2, 0, 5], [3, 0, 4, 4]])
    hidden = np.random.default_rng(0).normal(size=(2, 4, 3)).astype("float32")
    keras_layer = keras.layers.ReversibleEmbedding(6, 3, **kwargs)
    lamina_layer = ReversibleEmbedding(6, 3, **kwargs)
    keras_layer(ids)
    lamina_layer(torch.as_tensor(ids))
    _randomize(keras, keras_layer, lamina_layer)
    expected = keras_layer(ids)
    actual = lamina_layer(torch.as_tensor(ids))
    np.testing.assert_allclose(actual.detach().numpy(), _numpy(keras, expected))
    expected_mask = getattr(expected, "_keras_mask", None)
    actual_mask = getattr(actual, "_keras_mask", None)
    assert (expected_mask is None) == (actual_mask is None)
    if expected_mask is not None:
        np.testing.assert_array_equal(actual_mask.numpy(), _numpy(keras, expected_mask))
    np.testing.assert_allclose(
        lamina_layer(torch.as_tensor(hidden), reverse=True).detach().numpy(),
        _numpy(keras, keras_layer(hidden, reverse=True)),
        atol=TOLERANCE,
    )
    _assert_same_weights_and_config(keras, keras_layer, lamina_layer)


def test_pipeline_matches_keras(keras):
    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    keras_layer = keras.layers.Pipeline(
        [keras.layers.Dense(5, activation="relu"), keras.layers.Dense(2)]
    )
    lamina_layer = Pipeline(
        [lamina.layers.Dense(5, activation="relu"), lamina.layers.Dense(2)]
    )
    keras_layer(x)
    lamina_layer(torch.as_tensor(x))
    _randomize(keras, keras_layer, lamina_layer)
    np.testing.assert_allclose(
        lamina_layer(torch.as_tensor(x)).detach().numpy(),
        _numpy(keras, keras_layer(x)),
        atol=TOLERANCE,
    )
    expected = json.loads(json.dumps(keras_layer.get_config()))
    actual = json.loads(json.dumps(lamina_layer.get_config()))
    assert set(actual) == set(expected) == {"layers", "name"}
    for want, got in zip(expected["layers"], actual["layers"], strict=True):
        assert got["class_name"] == want["class_name"]
        # Keras records the batch size of the eager call; lamina None
        assert (
            got["build_config"]["input_shape"][1:]
            == (want["build_config"]["input_shape"][1:])
        )
    rebuilt = Pipeline.from_config(keras_layer.get_config())
    assert [layer.units for layer in rebuilt.layers] == [5, 2]


def test_serialize_and_deserialize_agree_with_keras(keras):
    config = serialize(lamina.layers.LSTM(4, return_sequences=True))
    restored = keras.layers.deserialize(config)
    assert isinstance(restored, keras.layers.LSTM) and restored.units == 4
    keras_config = keras.layers.serialize(keras.layers.Conv2D(3, 2, name="c"))
    assert deserialize(keras_config).get_config()["filters"] == 3
    layer = lamina.layers.Dense(3, name="d")
    assert serialize(layer) == json.loads(json.dumps(serialize(layer)))
    assert set(serialize(layer)) == set(keras.layers.serialize(keras.layers.Dense(3)))


# ------------------------------------------------------- .keras both ways
def _conv_lstm_model(api):
    layers = api.layers
    inputs = api.Input((3, 6, 6, 2))
    x = layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True)(inputs)
    x = layers.ConvLSTM2D(2, 2, go_backwards=True)(x)
    outputs = layers.Dense(2)(layers.Flatten()(x))
    return api.Model(inputs, outputs), (4, 3, 6, 6, 2)


def _normalization_model(api):
    layers = api.layers
    inputs = api.Input((5,))
    x = layers.SpectralNormalization(layers.Dense(4), power_iterations=2)(inputs)
    x = layers.RMSNormalization()(x)
    outputs = layers.SpectralNormalization(layers.Dense(2))(x)
    return api.Model(inputs, outputs), (4, 5)


def _pooling_model(api):
    layers = api.layers
    inputs = api.Input((9, 7, 2))
    x = layers.Conv2D(3, 2)(inputs)
    x = layers.AdaptiveMaxPooling2D((3, 2))(x)
    x = layers.Reshape((6, 3))(x)
    x = layers.AdaptiveAveragePooling1D(4)(x)
    outputs = layers.Dense(2)(layers.Flatten()(x))
    return api.Model(inputs, outputs), (4, 9, 7, 2)


def _core_model(api):
    layers = api.layers
    inputs = api.Input((5,), dtype="int32")
    embedding = layers.ReversibleEmbedding(7, 4, logit_soft_cap=3.0)
    x = embedding(inputs)
    x = layers.Pipeline([layers.Dense(6, activation="relu"), layers.Dense(4)])(x)
    outputs = embedding(x, reverse=True)
    return api.Model(inputs, outputs), None


_MODELS = [_conv_lstm_model, _normalization_model, _pooling_model, _core_model]


def _model_input(shape):
    rng = np.random.default_rng(3)
    if shape is None:
        return rng.integers(0, 7, size=(4, 5)).astype("int32")
    return rng.normal(size=shape).astype("float32")


def _randomize_model(keras, model):
    rng = np.random.default_rng(7)
    weights = [
        rng.uniform(-0.5, 0.5, size=tuple(w.shape)).astype("float32")
        for w in model.weights
    ]
    model.set_weights(weights)


@pytest.mark.parametrize("build", _MODELS, ids=lambda build: build.__name__)
def test_keras_file_loads_in_lamina(keras, tmp_path, build):
    model, shape = build(keras)
    _randomize_model(keras, model)
    x = _model_input(shape)
    expected = np.asarray(model.predict(x, verbose=0))
    path = str(tmp_path / "keras_model.keras")
    model.save(path)
    restored = lamina.models.load_model(path)
    actual = np.asarray(restored.predict(x, verbose=0))
    np.testing.assert_allclose(actual, expected, rtol=TOLERANCE, atol=TOLERANCE)


@pytest.mark.parametrize("build", _MODELS, ids=lambda build: build.__name__)
def test_lamina_file_loads_in_keras(keras, tmp_path, build):
    model, shape = build(lamina)
    _randomize_model(keras, model)
    x = _model_input(shape)
    expected = np.asarray(model.predict(x, verbose=0))
    path = str(tmp_path / "lamina_model.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    actual = np.asarray(restored.predict(x, verbose=0))
    np.testing.assert_allclose(actual, expected, rtol=TOLERANCE, atol=TOLERANCE)
