import os

import pytest
import torch
from _callback_testing import FakeModel

from lamina.callbacks import CallbackList
from lamina.callbacks import ModelCheckpoint


@pytest.fixture
def model():
    return FakeModel()


def _fit(model, callback, epoch_logs):
    callbacks = CallbackList([callback], model=model)
    callbacks.on_train_begin()
    for epoch, logs in enumerate(epoch_logs):
        callbacks.on_epoch_begin(epoch)
        callbacks.on_epoch_end(epoch, logs)
    callbacks.on_train_end()
    return [os.path.basename(path) for _, path in model.saved]


def test_model_checkpoint_formats_epoch_and_logs(model, tmp_path):
    pattern = str(tmp_path / "sub" / "weights.{epoch:02d}-{val_loss:.2f}.h5")
    callback = ModelCheckpoint(pattern, save_weights_only=True)
    names = _fit(model, callback, [{"val_loss": 0.512}, {"val_loss": 0.4}])
    assert names == ["weights.01-0.51.h5", "weights.02-0.40.h5"]
    assert model.saved[0][0] == "weights"
    assert (tmp_path / "sub" / "weights.02-0.40.h5").exists()


def test_model_checkpoint_save_best_only(model, tmp_path):
    callback = ModelCheckpoint(
        str(tmp_path / "m{epoch}.keras"), monitor="val_accuracy", save_best_only=True
    )
    logs = [{"val_accuracy": a} for a in (0.5, 0.7, 0.6, 0.8)]
    assert _fit(model, callback, logs) == ["m1.keras", "m2.keras", "m4.keras"]
    assert model.saved[0][0] == "model"
    assert callback.best == 0.8


def test_model_checkpoint_initial_value_threshold(model, tmp_path):
    callback = ModelCheckpoint(
        str(tmp_path / "m{epoch}.keras"),
        save_best_only=True,
        initial_value_threshold=0.5,
    )
    logs = [{"val_loss": v} for v in (0.7, 0.4, 0.45)]
    assert _fit(model, callback, logs) == ["m2.keras"]


def test_model_checkpoint_verbose_messages(model, tmp_path, capsys):
    path = str(tmp_path / "best.keras")
    callback = ModelCheckpoint(path, save_best_only=True, verbose=1)
    _fit(model, callback, [{"val_loss": 0.5}, {"val_loss": 0.6}])
    out = capsys.readouterr().out
    assert (
        f"Epoch 1: val_loss improved from None to 0.50000, saving model to {path}"
        in out
    )
    assert "Epoch 2: val_loss did not improve from 0.50000" in out


def test_model_checkpoint_save_freq_in_batches(model, tmp_path):
    callback = ModelCheckpoint(str(tmp_path / "e{epoch}b{batch}.keras"), save_freq=3)
    callbacks = CallbackList([callback], model=model)
    callbacks.on_train_begin()
    for epoch in range(2):
        callbacks.on_epoch_begin(epoch)
        for batch in range(4):
            callbacks.on_train_batch_end(batch, {"loss": torch.tensor(0.5)})
        callbacks.on_epoch_end(epoch, {"loss": 0.5})
    names = [os.path.basename(path) for _, path in model.saved]
    assert names == ["e1b3.keras", "e2b2.keras"]


def test_model_checkpoint_rejects_bad_save_freq():
    with pytest.raises(ValueError, match="save_freq='batch'.*'epoch' or a positive"):
        ModelCheckpoint("m.keras", save_freq="batch")


def test_model_checkpoint_rejects_bad_extension():
    with pytest.raises(ValueError, match=r"filepath='m.pt'.*\.keras"):
        ModelCheckpoint("m.pt")
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        ModelCheckpoint("m.keras", save_weights_only=True)


def test_model_checkpoint_unknown_field_lists_available(model):
    callback = ModelCheckpoint("m-{val_acc:.2f}.keras")
    callback.set_model(model)
    with pytest.raises(KeyError, match="val_acc.*Available fields: loss, epoch"):
        callback.on_epoch_end(0, {"loss": 0.5})


def test_model_checkpoint_missing_monitor_warns_and_saves(model, tmp_path):
    callback = ModelCheckpoint(str(tmp_path / "m.keras"), save_best_only=True)
    callback.set_model(model)
    with pytest.warns(UserWarning, match="only with val_loss available"):
        callback.on_epoch_end(0, {"loss": 0.5})
    assert len(model.saved) == 1
