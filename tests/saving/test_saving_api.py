"""Saving and loading whole models and weights in every format, within lamina."""

import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from lamina.saving import LoadError


def _mlp(name="mlp", dropout=0.1):
    model = lamina.Sequential(
        [
            lamina.layers.Dense(8, activation="relu", input_shape=(4,)),
            lamina.layers.Dropout(dropout),
            lamina.layers.Dense(3, activation="softmax"),
        ],
        name=name,
    )
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.random((16, 4), dtype=np.float32), rng.integers(0, 3, 16)


def _functional():
    a = lamina.Input(shape=(3,), name="a")
    b = lamina.Input(shape=(2,), name="b")
    shared = lamina.layers.Dense(4, name="shared")
    merged = lamina.layers.Concatenate()([shared(a), lamina.layers.Dense(4)(b)])
    out1 = lamina.layers.Dense(1, name="out1")(merged)
    out2 = lamina.layers.Dense(2, name="out2")(shared(lamina.layers.Dense(3)(a)))
    return lamina.Model([a, b], [out1, out2], name="two_heads")


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_save_load_round_trip_predicts_same(tmp_path, extension):
    model = _mlp()
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = str(tmp_path / f"m{extension}")
    model.save(path)
    restored = lamina.models.load_model(path)
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6
    )
    assert restored.compiled and int(restored.optimizer.iterations) == 2


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_fit_continues_where_it_stopped(tmp_path, extension):
    x, y = _data()
    model = _mlp(dropout=0.0)  # no randomness: both runs must match exactly
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = str(tmp_path / f"m{extension}")
    model.save(path)
    restored = lamina.models.load_model(path)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    restored.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5
    )


def test_load_without_compile(tmp_path):
    model = _mlp()
    path = str(tmp_path / "m.keras")
    model.save(path)
    assert not lamina.models.load_model(path, compile=False).compiled


def test_keras_zip_layout(tmp_path):
    model = _mlp()
    x, y = _data()
    model.fit(x, y, epochs=1, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in zf.infolist())
        config = json.loads(zf.read("config.json"))
        zf.extract("model.weights.h5", tmp_path)
    assert config["class_name"] == "Sequential" and config["module"] == "keras"
    assert config["compile_config"]["loss"] == "sparse_categorical_crossentropy"
    with h5py.File(tmp_path / "model.weights.h5") as h5:
        assert h5["layers/dense/vars/0"].shape == (4, 8)
        assert h5["layers/dense_1/vars/1"].shape == (3,)
        assert h5["layers/dense/vars"].attrs["name"] == model.layers[0].name
        assert h5["optimizer/vars/0"][()] == 1
        assert len(h5["optimizer/vars"]) == 2 + 2 * 4


def test_functional_shared_layer_multi_output_round_trip(tmp_path):
    model = _functional()
    x = [np.random.rand(5, 3).astype("float32"), np.random.rand(5, 2).astype("float32")]
    expected = model.predict(x, verbose=0)
    for extension in (".keras", ".h5"):
        path = str(tmp_path / f"f{extension}")
        model.save(path)
        restored = lamina.models.load_model(path)
        got = restored.predict(x, verbose=0)
        for a, b in zip(got, expected, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-6)


def test_nested_model_round_trip(tmp_path):
    inner = lamina.Sequential([lamina.layers.Dense(3, input_shape=(2,))], name="inner")
    inputs = lamina.Input(shape=(2,))
    model = lamina.Model(inputs, lamina.layers.Dense(1)(inner(inputs)))
    x = np.random.rand(4, 2).astype("float32")
    path = str(tmp_path / "n.keras")
    model.save(path)
    restored = lamina.models.load_model(path)
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6
    )
    with zipfile.ZipFile(path) as zf, h5py.File(tmp_path / "w.h5", "w"):
        zf.extract("model.weights.h5", tmp_path)
    with h5py.File(tmp_path / "model.weights.h5") as h5:
        assert "layers/sequential/layers/dense/vars/0" in h5


@pytest.mark.parametrize("filename", ["w.weights.h5", "w.h5"])
def test_save_weights_load_weights(tmp_path, filename):
    model = _mlp()
    other = _mlp()
    path = str(tmp_path / filename)
    model.save_weights(path)
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_legacy_weights_by_name_and_skip_mismatch(tmp_path):
    source = lamina.Sequential(
        [
            lamina.layers.Dense(4, input_shape=(3,), name="a"),
            lamina.layers.Dense(2, name="b"),
        ]
    )
    path = str(tmp_path / "w.h5")
    source.save_weights(path)
    target = lamina.Sequential(
        [
            lamina.layers.Dense(4, input_shape=(3,), name="a"),
            lamina.layers.Dense(5, name="c"),
        ]
    )
    target.load_weights(path, by_name=True)
    np.testing.assert_array_equal(
        target.layers[0].get_weights()[0], source.layers[0].get_weights()[0]
    )
    mismatched = lamina.Sequential(
        [
            lamina.layers.Dense(4, input_shape=(3,), name="a"),
            lamina.layers.Dense(5, name="b"),
        ]
    )
    with pytest.raises(LoadError, match="shape"):
        mismatched.load_weights(path, by_name=True)
    with pytest.warns(UserWarning, match="Skipped"):
        mismatched.load_weights(path, by_name=True, skip_mismatch=True)


def test_legacy_h5_layout(tmp_path):
    model = _functional()
    model.compile("sgd", "mse")
    path = str(tmp_path / "f.h5")
    model.save(path)
    with h5py.File(path) as h5:
        assert {"model_config", "keras_version", "backend", "training_config"} <= set(
            h5.attrs
        )
        config = json.loads(h5.attrs["model_config"])
        names = _texts(h5["model_weights"].attrs["layer_names"])
        weight_names = _texts(h5["model_weights/shared"].attrs["weight_names"])
    assert config["class_name"] == "Functional"
    assert "module" not in config["config"]["layers"][0]
    assert names == [layer.name for layer in model.layers]
    assert weight_names == ["shared/kernel", "shared/bias"]


def _texts(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def test_weight_shape_mismatch_is_clear(tmp_path):
    path = str(tmp_path / "w.weights.h5")
    _mlp().save_weights(path)
    other = lamina.Sequential([lamina.layers.Dense(5, input_shape=(4,))])
    with pytest.raises(LoadError, match="different model"):
        other.load_weights(path)


def test_to_json_round_trip_and_yaml_error():
    model = _functional()
    restored = lamina.models.model_from_json(model.to_json())
    assert [layer.name for layer in restored.layers] == [
        layer.name for layer in model.layers
    ]
    with pytest.raises(RuntimeError, match="to_json"):
        model.to_yaml()


def test_overwrite_false_refuses(tmp_path):
    path = str(tmp_path / "m.keras")
    _mlp().save(path)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        _mlp().save(path, overwrite=False)


def test_unknown_extension_is_clear(tmp_path):
    with pytest.raises(ValueError, match=r"'\.keras'"):
        _mlp().save(str(tmp_path / "m.pt"))


def test_subclassed_registered_model_round_trip(tmp_path):
    @lamina.saving.register_serializable(package="TestModels")
    class TwoLayer(lamina.Model):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.hidden = lamina.layers.Dense(units, activation="relu")
            self.head = lamina.layers.Dense(1)

        def call(self, inputs):
            return self.head(self.hidden(inputs))

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    model = TwoLayer(4)
    x = np.random.rand(3, 5).astype("float32")
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "s.keras")
    model.save(path)
    restored = lamina.models.load_model(path)
    assert isinstance(restored, TwoLayer)
    np.testing.assert_allclose(restored.predict(x, verbose=0), expected, atol=1e-6)
    assert os.path.getsize(path) > 0
