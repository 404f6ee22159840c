"""lamina's callbacks against Keras's, fed the same epoch logs.

Keras's callbacks drive a tiny real Keras model; lamina's a stand-in with the
same surface (`stop_training`, `optimizer.learning_rate`, weights).
"""

import re

import numpy as np
import pytest
import torch

from lamina import callbacks as lamina_callbacks
from lamina.utils import Progbar


class FakeOptimizer:
    def __init__(self, learning_rate):
        self._learning_rate = torch.tensor(learning_rate, dtype=torch.float32)

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate.fill_(float(value))


class FakeModel:
    def __init__(self, learning_rate=0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.weights = [np.zeros(1, dtype="float32")]

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]


@pytest.fixture
def keras_model(keras):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    return model


def _set_marker(model, epoch):
    """Gives the weights a value that names the epoch they come from."""
    if isinstance(model, FakeModel):
        model.weights = [np.full(1, epoch, dtype="float32")]
    else:
        kernel, bias = model.get_weights()
        model.set_weights([np.full_like(kernel, epoch), bias])


def _marker(model):
    return float(model.get_weights()[0].ravel()[0])


def _drive(callback, model, epoch_logs, probe):
    """Runs the hooks as fit does; returns the per-epoch probe readings."""
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin({})
    readings = []
    for epoch, logs in enumerate(epoch_logs):
        _set_marker(model, epoch)
        callback.on_epoch_begin(epoch, {})
        callback.on_epoch_end(epoch, dict(logs))
        readings.append(probe(callback, model))
        if model.stop_training:
            break
    callback.on_train_end({})
    return readings


def _random_logs(seed, key, epochs=12):
    rng = np.random.default_rng(seed)
    values = np.round(1.0 + np.cumsum(rng.normal(-0.02, 0.05, epochs)), 3)
    return [{key: float(v), "loss": 1.0} for v in values]


EARLY_STOPPING_CONFIGS = [
    dict(patience=0),
    dict(patience=2),
    dict(patience=2, min_delta=0.03),
    dict(patience=1, baseline=0.9),
    dict(patience=1, start_from_epoch=3),
    dict(patience=3, restore_best_weights=True),
    dict(patience=1, mode="max"),
    dict(monitor="val_accuracy", mode="max", patience=1, restore_best_weights=True),
]


def _early_probe(callback, model):
    return (callback.wait, callback.best, callback.stopped_epoch, model.stop_training)


@pytest.mark.parametrize("config", EARLY_STOPPING_CONFIGS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_early_stopping_matches_keras(keras, keras_model, config, seed):
    key = config.get("monitor", "val_loss")
    logs = _random_logs(seed, key)
    theirs = keras.callbacks.EarlyStopping(**config)
    ours = lamina_callbacks.EarlyStopping(**config)
    fake = FakeModel()
    their_trace = _drive(theirs, keras_model, logs, _early_probe)
    our_trace = _drive(ours, fake, logs, _early_probe)
    assert our_trace == their_trace
    assert ours.best_epoch == theirs.best_epoch
    assert _marker(fake) == _marker(keras_model)


REDUCE_CONFIGS = [
    dict(patience=0),
    dict(factor=0.5, patience=2),
    dict(factor=0.5, patience=1, cooldown=2, min_lr=0.01),
    dict(factor=0.2, patience=1, min_delta=0.05),
    dict(monitor="val_accuracy", mode="max", factor=0.5, patience=1),
]


@pytest.mark.parametrize("config", REDUCE_CONFIGS)
@pytest.mark.parametrize("seed", [0, 3])
def test_reduce_lr_on_plateau_matches_keras(keras, keras_model, config, seed):
    logs = _random_logs(seed, config.get("monitor", "val_loss"), epochs=15)

    def probe(callback, model):
        rate = float(np.asarray(model.optimizer.learning_rate))
        return (callback.wait, callback.cooldown_counter, callback.best, rate)

    their_trace = _drive(
        keras.callbacks.ReduceLROnPlateau(**config), keras_model, logs, probe
    )
    our_trace = _drive(
        lamina_callbacks.ReduceLROnPlateau(**config), FakeModel(), logs, probe
    )
    assert np.allclose(np.array(our_trace, float), np.array(their_trace, float))


def test_learning_rate_scheduler_matches_keras(keras, keras_model):
    def schedule(epoch, lr):
        return lr if epoch < 2 else lr * 0.5

    logs = [{"loss": 1.0}] * 5

    def probe(callback, model):
        return float(np.asarray(model.optimizer.learning_rate))

    theirs = _drive(
        keras.callbacks.LearningRateScheduler(schedule), keras_model, logs, probe
    )
    ours = _drive(
        lamina_callbacks.LearningRateScheduler(schedule), FakeModel(), logs, probe
    )
    assert ours == pytest.approx(theirs)


@pytest.mark.parametrize(
    "epoch_logs",
    [
        [{"loss": 0.5, "accuracy": 0.25}, {"loss": 0.125, "accuracy": 0.75}],
        [{"val_loss": 0.5, "loss": 0.25, "lr": 0.001}],
        [{"loss": 0.1 + 0.2, "val_loss": 1e-8}],
    ],
)
@pytest.mark.parametrize("separator", [",", "\t"])
def test_csv_logger_matches_keras(keras, tmp_path, epoch_logs, separator):
    texts = []
    for name, module in (("keras", keras.callbacks), ("lamina", lamina_callbacks)):
        path = tmp_path / f"{name}.csv"
        for _ in range(2):  # the second run appends
            logger = module.CSVLogger(str(path), separator=separator, append=True)
            logger.on_train_begin({})
            for epoch, logs in enumerate(epoch_logs):
                logger.on_epoch_end(epoch, dict(logs))
            logger.on_train_end({})
        texts.append(path.read_bytes())
    assert texts[1] == texts[0]


def test_model_checkpoint_best_only_matches_keras(keras, keras_model, tmp_path):
    logs = _random_logs(5, "val_loss", epochs=8)
    saved = {"keras": [], "lamina": []}
    keras_model.save = lambda filepath, overwrite=True: saved["keras"].append(filepath)
    fake = FakeModel()
    fake.save = lambda filepath, overwrite=True: saved["lamina"].append(filepath)
    pattern = str(tmp_path / "m-{epoch:02d}-{val_loss:.3f}.keras")
    probe = lambda callback, model: callback.best  # noqa: E731
    _drive(
        keras.callbacks.ModelCheckpoint(pattern, save_best_only=True),
        keras_model,
        logs,
        probe,
    )
    _drive(
        lamina_callbacks.ModelCheckpoint(pattern, save_best_only=True),
        fake,
        logs,
        probe,
    )
    assert saved["lamina"] == saved["keras"]
    assert saved["lamina"]


def _normalize(text):
    """Drops styling, in-place redraw codes and timings, which vary per run."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    text = text.split("\r")[-1].replace("\b", "")
    return re.sub(r"\d+(s|ms|us)\b", "<t>", text).strip("\n")


@pytest.mark.parametrize("verbose", [1, 2])
@pytest.mark.parametrize("target", [7, 120])
def test_progbar_final_line_matches_keras(keras, capsys, verbose, target):
    values = [("loss", 0.28714), ("accuracy", 0.91234), ("tiny", 0.0001234)]
    outputs = []
    for progbar_class in (keras.utils.Progbar, Progbar):
        bar = progbar_class(target=target, verbose=verbose, stateful_metrics=["tiny"])
        for step in range(1, target + 1):
            bar.update(step, values)
        outputs.append(_normalize(capsys.readouterr().out))
    assert outputs[1] == outputs[0]
