"""Files move between lamina and real Keras 3 (torch backend) both ways."""

import json
import os

import numpy as np
import pytest

import lamina

FIXTURES = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "shared", "fixtures", "keras3"
)
FIXTURES = os.path.abspath(
    os.environ.get("LAMINA_KERAS3_FIXTURES", "/work/shared/fixtures/keras3")
    if not os.path.isdir(FIXTURES)
    else FIXTURES
)
FIXTURE_NAMES = ["a_mlp", "c_cnn", "d_multi_input"]
TOLERANCE = 1e-5


def _fixture_io(name: str):
    arrays = np.load(os.path.join(FIXTURES, f"{name}.io.npz"), allow_pickle=False)
    inputs = [arrays[key] for key in sorted(arrays.files) if key.startswith("x")]
    return (inputs[0] if len(inputs) == 1 else inputs), arrays["y"]


def _max_diff(model, x, expected) -> float:
    return float(np.abs(np.asarray(model.predict(x, verbose=0)) - expected).max())


# ------------------------------------------------------- Keras files -> lamina
@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_keras_fixture_model_loads_and_predicts_same(name, extension):
    x, expected = _fixture_io(name)
    model = lamina.models.load_model(os.path.join(FIXTURES, name + extension))
    assert _max_diff(model, x, expected) < TOLERANCE
    assert int(model.optimizer.iterations) == 2


@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize("weights", [".weights.h5", ".h5", ".keras"])
def test_keras_fixture_json_plus_weights_predicts_same(name, weights):
    x, expected = _fixture_io(name)
    with open(os.path.join(FIXTURES, f"{name}.json")) as file:
        model = lamina.models.model_from_json(file.read())
    model.load_weights(os.path.join(FIXTURES, name + weights))
    assert _max_diff(model, x, expected) < TOLERANCE


def test_keras_fixture_optimizer_state_continues_training():
    x, _ = _fixture_io("a_mlp")
    model = lamina.models.load_model(os.path.join(FIXTURES, "a_mlp.keras"))
    model.fit(x, np.arange(len(x)) % 10, epochs=1, verbose=0)
    assert int(model.optimizer.iterations) == 3


# ------------------------------------------------------- lamina files -> Keras
@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_lamina_saved_model_loads_in_keras(keras, tmp_path, name, extension):
    x, expected = _fixture_io(name)
    model = lamina.models.load_model(os.path.join(FIXTURES, f"{name}.keras"))
    path = str(tmp_path / f"{name}{extension}")
    model.save(path)
    restored = keras.models.load_model(path)
    assert _max_diff(restored, x, expected) < TOLERANCE
    assert int(restored.optimizer.iterations) == 2


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_lamina_json_and_weights_load_in_keras(keras, tmp_path, name):
    x, expected = _fixture_io(name)
    model = lamina.models.load_model(os.path.join(FIXTURES, f"{name}.keras"))
    path = str(tmp_path / f"{name}.weights.h5")
    model.save_weights(path)
    restored = keras.models.model_from_json(model.to_json())
    restored.load_weights(path)
    assert _max_diff(restored, x, expected) < TOLERANCE


# --------------------------------------- models built in Keras, both directions
def _seed_mlp(keras):
    return keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    ), np.random.rand(3, 28, 28).astype("float32")


def _seed_lstm(keras):
    return keras.Sequential(
        [
            keras.Input((7,)),
            keras.layers.Embedding(50, 8),
            keras.layers.LSTM(6),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    ), np.random.randint(1, 50, (3, 7))


def _cnn_batchnorm(keras):
    return keras.Sequential(
        [
            keras.Input((10, 10, 2)),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.BatchNormalization(),
            keras.layers.Flatten(),
            keras.layers.Dense(3),
        ]
    ), np.random.rand(3, 10, 10, 2).astype("float32")


def _multi_input_gru(keras):
    a = keras.Input((5,), name="a")
    s = keras.Input((6, 3), name="s")
    merged = keras.layers.Concatenate()(
        [keras.layers.Dense(4)(a), keras.layers.GRU(5)(s)]
    )
    model = keras.Model([a, s], keras.layers.Dense(2)(merged))
    return model, [
        np.random.rand(3, 5).astype("float32"),
        np.random.rand(3, 6, 3).astype("float32"),
    ]


def _bidirectional_lstm(keras):
    return keras.Sequential(
        [
            keras.Input((6, 4)),
            keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True)),
            keras.layers.Bidirectional(keras.layers.LSTM(2)),
            keras.layers.Dense(1),
        ]
    ), np.random.rand(3, 6, 4).astype("float32")


def _masked_embedding_lstm(keras):
    x = np.random.randint(1, 30, (3, 8))
    x[:, 5:] = 0
    return keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Embedding(30, 4, mask_zero=True),
            keras.layers.LSTM(5),
            keras.layers.Dense(2),
        ]
    ), x


BUILDERS = {
    "seed_mlp": _seed_mlp,
    "seed_lstm": _seed_lstm,
    "cnn_batchnorm": _cnn_batchnorm,
    "multi_input_gru": _multi_input_gru,
    "bidirectional_lstm": _bidirectional_lstm,
    "masked_embedding_lstm": _masked_embedding_lstm,
}


def _keras_model(keras, builder):
    keras.utils.set_random_seed(7)
    np.random.seed(7)
    model, x = builder(keras)
    for layer in model.layers:  # non-default BatchNormalization statistics
        if isinstance(layer, keras.layers.BatchNormalization):
            for weight in layer.weights:
                weight.assign(np.random.rand(*weight.shape).astype("float32") + 0.5)
    model.compile("adam", "mse")
    return model, x


def _lamina_has(*names):
    missing = [name for name in names if not hasattr(lamina.layers, name)]
    if missing:
        pytest.skip(f"lamina.layers lacks {missing} so far")


_NEEDS = {
    "seed_mlp": (),
    "seed_lstm": ("Embedding", "LSTM"),
    "cnn_batchnorm": ("Conv2D", "MaxPooling2D", "BatchNormalization"),
    "multi_input_gru": ("GRU", "Concatenate"),
    "bidirectional_lstm": ("Bidirectional", "LSTM"),
    "masked_embedding_lstm": ("Embedding", "LSTM"),
}


@pytest.mark.parametrize("model_name", sorted(BUILDERS))
@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_keras_saved_model_loads_in_lamina(keras, tmp_path, model_name, extension):
    _lamina_has(*_NEEDS[model_name])
    model, x = _keras_model(keras, BUILDERS[model_name])
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / f"m{extension}")
    model.save(path)
    restored = lamina.models.load_model(path)
    assert _max_diff(restored, x, expected) < TOLERANCE


@pytest.mark.parametrize("model_name", sorted(BUILDERS))
@pytest.mark.parametrize("extension", [".keras", ".h5", ".weights.h5"])
def test_lamina_resaved_model_loads_in_keras(keras, tmp_path, model_name, extension):
    _lamina_has(*_NEEDS[model_name])
    model, x = _keras_model(keras, BUILDERS[model_name])
    expected = model.predict(x, verbose=0)
    source = str(tmp_path / "source.keras")
    model.save(source)
    ours = lamina.models.load_model(source)
    path = str(tmp_path / f"ours{extension}")
    if extension == ".weights.h5":
        ours.save_weights(path)
        restored = keras.models.model_from_json(ours.to_json())
        restored.load_weights(path)
    else:
        ours.save(path)
        restored = keras.models.load_model(path)
    assert _max_diff(restored, x, expected) < TOLERANCE


def _keras_scale(keras):
    @keras.saving.register_keras_serializable(package="Interop")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.gain = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.gain * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    return Scale


def _lamina_scale():
    # Same class name as in Keras: weight paths use the snake-case class name.
    @lamina.saving.register_keras_serializable(package="Interop")
    class Scale(lamina.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.gain = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.gain * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    return Scale


def test_custom_registered_layer_moves_both_ways(keras, tmp_path):
    keras_scale = _keras_scale(keras)
    lamina_scale = _lamina_scale()
    keras_model = keras.Sequential(
        [keras.Input((3,)), keras_scale(3.0), keras.layers.Dense(2)]
    )
    keras_model.layers[0].gain.assign(np.array([1.0, 2.0, 3.0], dtype="float32"))
    x = np.random.rand(4, 3).astype("float32")
    expected = keras_model.predict(x, verbose=0)
    path = str(tmp_path / "custom.keras")
    keras_model.save(path)
    ours = lamina.models.load_model(path)
    assert isinstance(ours.layers[0], lamina_scale)
    assert ours.layers[0].factor == 3.0
    assert _max_diff(ours, x, expected) < TOLERANCE
    back = str(tmp_path / "back.keras")
    ours.save(back)
    assert _max_diff(keras.models.load_model(back), x, expected) < TOLERANCE


def test_lamina_json_matches_keras_layout(keras):
    with open(os.path.join(FIXTURES, "d_multi_input.json")) as file:
        keras_config = json.load(file)
    ours = json.loads(lamina.models.model_from_json(json.dumps(keras_config)).to_json())
    assert [layer["name"] for layer in ours["config"]["layers"]] == [
        layer["name"] for layer in keras_config["config"]["layers"]
    ]
    assert ours["config"]["input_layers"] == keras_config["config"]["input_layers"]
    assert ours["config"]["output_layers"] == keras_config["config"]["output_layers"]
    concat = ours["config"]["layers"][6]["inbound_nodes"][0]["args"][0]
    assert [t["config"]["keras_history"] for t in concat] == [
        ["dense_a", 0, 0],
        ["dense_b", 0, 0],
        ["gru", 0, 0],
    ]


# ------------------------------------------------------------- Lambda layers
# Lambdas travel as bytecode, so only plain Python/operator bodies run on both
# sides, and only with safe_mode=False. Keras 3.15 cannot rebuild a lambda that
# has default arguments (JSON turns the defaults tuple into a list), so these
# lambdas use closures instead.
def _scaler(scale):
    return lambda t: t * scale + 1.0


def _keras_lambda_model(keras):
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4)(inputs)
    outputs = keras.layers.Lambda(_scaler(2.5), output_shape=lambda s: s)(hidden)
    return keras.Model(inputs, outputs)


def _lamina_lambda_model():
    inputs = lamina.Input((3,))
    hidden = lamina.layers.Dense(4)(inputs)
    outputs = lamina.layers.Lambda(_scaler(2.5), output_shape=lambda s: s)(hidden)
    return lamina.Model(inputs, outputs)


def test_lambda_config_has_keras_form(keras):
    ours = lamina.layers.Lambda(_scaler(2.0), name="l").get_config()
    theirs = keras.layers.Lambda(_scaler(2.0), name="l").get_config()
    assert set(ours) == set(theirs)
    assert ours["function"]["class_name"] == theirs["function"]["class_name"]
    assert set(ours["function"]["config"]) == set(theirs["function"]["config"])
    assert list(ours["function"]["config"]["closure"]) == [2.0]
    named = lamina.layers.Lambda(lamina.activations.relu).get_config()["function"]
    assert named == keras.layers.Lambda(keras.activations.relu).get_config()["function"]


@pytest.mark.parametrize("extension", [".keras", ".h5", ".json"])
def test_keras_lambda_model_loads_in_lamina_only_unsafe(keras, tmp_path, extension):
    model = _keras_lambda_model(keras)
    x = np.random.rand(4, 3).astype("float32")
    expected = model.predict(x, verbose=0)
    if extension == ".json":
        text = model.to_json()
        with pytest.raises(lamina.saving.LoadError, match="safe_mode=False"):
            lamina.models.model_from_json(text)
        ours = lamina.models.model_from_json(text, safe_mode=False)
        ours.set_weights(model.get_weights())
    else:
        path = str(tmp_path / f"k{extension}")
        model.save(path)
        with pytest.raises(lamina.saving.LoadError, match="safe_mode=False"):
            lamina.models.load_model(path)
        ours = lamina.models.load_model(path, safe_mode=False)
    assert _max_diff(ours, x, expected) < TOLERANCE


@pytest.mark.parametrize("extension", [".keras", ".h5", ".json"])
def test_lamina_lambda_model_loads_in_keras_unsafe(keras, tmp_path, extension):
    from keras.src.saving.serialization_lib import SafeModeScope

    model = _lamina_lambda_model()
    x = np.random.rand(4, 3).astype("float32")
    expected = model.predict(x, verbose=0)
    if extension == ".json":
        with SafeModeScope(False):
            restored = keras.models.model_from_json(model.to_json())
        restored.set_weights(model.get_weights())
    else:
        path = str(tmp_path / f"ours{extension}")
        model.save(path)
        restored = keras.models.load_model(path, safe_mode=False)
    assert _max_diff(restored, x, expected) < TOLERANCE


# ------------------------------------------------ layer configs, key by key
def test_standalone_layer_config_with_input_shape_loads_in_keras(keras):
    layer = lamina.layers.Dense(2, input_shape=(3,), name="d")
    config = layer.get_config()
    assert "batch_input_shape" not in config
    assert keras.layers.Dense.from_config(config).units == 2
    serialized = lamina.saving.serialize_keras_object(layer)
    assert keras.layers.deserialize(serialized).name == "d"
    model = lamina.Sequential([lamina.layers.Dense(2, input_shape=(3,))])
    restored = keras.models.model_from_json(model.to_json())
    assert tuple(restored.input_shape) == (None, 3)


# One of each lamina layer that Keras also has, built in Keras: lamina must
# accept every key Keras 3 writes, and write the same keys.
_KERAS_LAYERS = {
    "Dense": lambda k: k.Dense(2),
    "Embedding": lambda k: k.Embedding(10, 3),
    "InputLayer": lambda k: k.InputLayer(shape=(3,)),
    "Conv1D": lambda k: k.Conv1D(2, 3),
    "Conv2D": lambda k: k.Conv2D(2, 3),
    "Conv3D": lambda k: k.Conv3D(2, 3),
    "Conv2DTranspose": lambda k: k.Conv2DTranspose(2, 3),
    "DepthwiseConv2D": lambda k: k.DepthwiseConv2D(3),
    "SeparableConv2D": lambda k: k.SeparableConv2D(2, 3),
    "BatchNormalization": lambda k: k.BatchNormalization(),
    "LayerNormalization": lambda k: k.LayerNormalization(),
    "GroupNormalization": lambda k: k.GroupNormalization(groups=1),
    "Dropout": lambda k: k.Dropout(0.5, seed=3),
    "GaussianNoise": lambda k: k.GaussianNoise(0.1, seed=3),
    "SpatialDropout2D": lambda k: k.SpatialDropout2D(0.5),
    "MaxPooling2D": lambda k: k.MaxPooling2D(),
    "AveragePooling1D": lambda k: k.AveragePooling1D(2),
    "GlobalAveragePooling2D": lambda k: k.GlobalAveragePooling2D(),
    "Flatten": lambda k: k.Flatten(),
    "Reshape": lambda k: k.Reshape((2, 3)),
    "Concatenate": lambda k: k.Concatenate(),
    "Dot": lambda k: k.Dot(axes=1),
    "Activation": lambda k: k.Activation("relu"),
    "LeakyReLU": lambda k: k.LeakyReLU(),
    "Masking": lambda k: k.Masking(),
    "LSTM": lambda k: k.LSTM(3),
    "GRU": lambda k: k.GRU(3),
    "SimpleRNN": lambda k: k.SimpleRNN(3),
    "Bidirectional": lambda k: k.Bidirectional(k.LSTM(3)),
    "TimeDistributed": lambda k: k.TimeDistributed(k.Dense(2)),
}


# The recurrent layers read every key, but still write their own set
# (activity_regularizer only when set; SimpleRNN adds seed).
_RECURRENT = {"LSTM", "GRU", "SimpleRNN"}


@pytest.mark.parametrize("name", sorted(_KERAS_LAYERS))
def test_every_keras_config_key_is_accepted(keras, name):
    keras_layer = _KERAS_LAYERS[name](keras.layers)
    config = json.loads(json.dumps(keras.layers.serialize(keras_layer)))
    ours = lamina.saving.deserialize_keras_object(config)
    assert type(ours).__name__ == name
    if name not in _RECURRENT:
        assert set(ours.get_config()) == set(keras_layer.get_config())
