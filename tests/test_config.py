"""`lamina.config`: Keras's global settings, and `fit` honouring its limits."""

import numpy as np
import pytest

import lamina
from lamina import config
from lamina.backend import config as backend_config
from lamina.saving import LoadError
from lamina.saving import serialization_lib


@pytest.fixture(autouse=True)
def _restore_settings(monkeypatch):
    """Every test here changes global settings; put them back afterwards."""
    monkeypatch.setattr(backend_config, "_FLOATX", backend_config._FLOATX)
    monkeypatch.setattr(backend_config, "_EPSILON", backend_config._EPSILON)
    monkeypatch.setattr(
        backend_config, "_IMAGE_DATA_FORMAT", backend_config._IMAGE_DATA_FORMAT
    )
    monkeypatch.setattr(backend_config, "_FLAGS", dict(backend_config._FLAGS))
    monkeypatch.setattr(backend_config, "_RUN_LIMITS", dict(backend_config._RUN_LIMITS))
    monkeypatch.setattr(
        serialization_lib,
        "_UNSAFE_DESERIALIZATION",
        dict(serialization_lib._UNSAFE_DESERIALIZATION),
    )
    state = lamina.utils.is_interactive_logging_enabled()
    yield
    if state:
        config.enable_interactive_logging()


def test_config_reuses_backend_functions():
    assert config.floatx is lamina.backend.floatx
    assert config.set_epsilon is lamina.backend.set_epsilon
    assert config.backend() == "torch"


def test_config_floatx_round_trip_and_rejects_unknown():
    config.set_floatx("float64")
    assert config.floatx() == "float64"
    with pytest.raises(ValueError, match="set_floatx expected one of"):
        config.set_floatx("float8")


def test_config_image_data_format_accepts_any_case():
    config.set_image_data_format("Channels_First")
    assert config.image_data_format() == "channels_first"
    with pytest.raises(ValueError, match="set_image_data_format expected"):
        config.set_image_data_format("nchw")


def test_config_interactive_logging_switch():
    config.disable_interactive_logging()
    assert not config.is_interactive_logging_enabled()
    config.enable_interactive_logging()
    assert config.is_interactive_logging_enabled()


def test_config_traceback_filtering_flag():
    assert config.is_traceback_filtering_enabled()
    config.disable_traceback_filtering()
    assert not config.is_traceback_filtering_enabled()
    config.enable_traceback_filtering()
    assert config.is_traceback_filtering_enabled()


def test_config_flash_attention_flag_as_keras():
    assert config.is_flash_attention_enabled() is None
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None


def test_config_set_backend_accepts_only_torch():
    config.set_backend("torch")
    with pytest.raises(ValueError, match="lamina runs only on PyTorch"):
        config.set_backend("jax")


def test_config_nnx_is_never_enabled():
    assert config.is_nnx_enabled() is False


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", True])
def test_config_set_max_epochs_rejects_non_positive_integers(bad):
    with pytest.raises(ValueError, match="expected a positive integer or None"):
        config.set_max_epochs(bad)


def _fitted_model():
    model = lamina.Sequential([lamina.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_config_max_epochs_caps_fit_with_a_warning():
    config.set_max_epochs(2)
    model = _fitted_model()
    with pytest.warns(UserWarning, match="limiting epochs to 2"):
        history = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=5, verbose=0)
    assert history.epoch == [0, 1]
    config.set_max_epochs(None)
    assert config.max_epochs() is None


def test_config_max_steps_per_epoch_caps_fit_evaluate_predict():
    config.set_max_steps_per_epoch(3)
    model = _fitted_model()
    seen = []
    counter = lamina.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(batch)
    )
    x, y = np.ones((320, 3)), np.ones((320, 1))
    with pytest.warns(UserWarning, match="limiting steps_per_epoch to 3"):
        model.fit(x, y, batch_size=32, epochs=1, verbose=0, callbacks=[counter])
    assert seen == [0, 1, 2]
    with pytest.warns(UserWarning, match="limiting steps_per_epoch to 3"):
        assert model.predict(x, batch_size=32, verbose=0).shape == (96, 1)


def test_config_max_steps_per_epoch_leaves_short_data_alone():
    config.set_max_steps_per_epoch(100)
    model = _fitted_model()
    assert model.predict(np.ones((64, 3)), batch_size=32, verbose=0).shape == (64, 1)


def test_config_enable_unsafe_deserialization_turns_safe_mode_off():
    inputs = lamina.Input((2,))
    outputs = lamina.layers.Lambda(lambda x: x * 3, name="triple")(inputs)
    text = lamina.Model(inputs, outputs).to_json()
    with pytest.raises(LoadError, match="safe_mode=False"):
        lamina.models.model_from_json(text)
    config.enable_unsafe_deserialization()
    restored = lamina.models.model_from_json(text)
    np.testing.assert_allclose(restored.predict(np.ones((1, 2)), verbose=0), [[3, 3]])


def test_config_enable_unsafe_deserialization_reaches_lambda_from_config():
    layer = lamina.layers.Lambda(lambda x: x + 1, name="inc")
    layer_config = layer.get_config()
    with pytest.raises(ValueError, match="refused in safe mode"):
        lamina.layers.Lambda.from_config(layer_config)
    config.enable_unsafe_deserialization()
    restored = lamina.layers.Lambda.from_config(layer_config)
    assert float(restored(np.zeros(1))[0]) == 1.0
