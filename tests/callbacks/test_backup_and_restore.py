"""`BackupAndRestore`: an interrupted `fit` goes on as if never stopped."""

import json
import os

import numpy as np
import pytest

import lamina
from lamina.callbacks.backup_and_restore import BackupAndRestore
from lamina.saving.errors import LoadError

EPOCHS = 5


class Interrupt(lamina.callbacks.Callback):
    """Raises at the start of epoch `epoch`, or after batch `batch` of it."""

    def __init__(self, epoch, batch=None):
        super().__init__()
        self.epoch = epoch
        self.batch = batch
        self.current = None

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch
        if epoch == self.epoch and self.batch is None:
            raise RuntimeError("interrupted")

    def on_train_batch_end(self, batch, logs=None):
        if self.current == self.epoch and batch == self.batch:
            raise RuntimeError("interrupted")


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")
    return x, y


def _model(seed):
    """A fresh model and optimizer, as a restarted process would build."""
    lamina.utils.set_random_seed(seed)
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.Adam(learning_rate=0.05), loss="mse")
    return model


def _fit(model, callbacks, epochs=EPOCHS):
    x, y = _data()
    return model.fit(
        x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0, callbacks=callbacks
    )


def _state(model):
    weights = [w.copy() for w in model.get_weights()]  # lamina's share memory
    optimizer = [v.detach().numpy().copy() for v in model.optimizer.variables]
    return weights, optimizer


def _assert_same_state(ours, reference):
    for a, b in zip(ours[0] + ours[1], reference[0] + reference[1], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


@pytest.fixture(scope="module")
def uninterrupted():
    model = _model(seed=1)
    history = _fit(model, [])
    return _state(model), history.history["loss"]


def test_backup_and_restore_resumes_at_interrupted_epoch(tmp_path, uninterrupted):
    backup_dir = tmp_path / "backup"
    with pytest.raises(RuntimeError, match="interrupted"):
        _fit(_model(seed=1), [BackupAndRestore(backup_dir), Interrupt(epoch=3)])
    assert json.loads((backup_dir / "training_metadata.json").read_text()) == {
        "epoch": 3,
        "batch": 0,
    }
    # A new process: other initial weights, a fresh optimizer, a new callback.
    model = _model(seed=2)
    history = _fit(model, [BackupAndRestore(backup_dir)])
    assert len(history.history["loss"]) == EPOCHS - 3
    np.testing.assert_allclose(history.history["loss"], uninterrupted[1][3:], rtol=1e-6)
    _assert_same_state(_state(model), uninterrupted[0])
    assert int(model.optimizer.iterations) == EPOCHS * 3
    assert not backup_dir.exists()  # delete_checkpoint=True


def test_backup_and_restore_later_fit_starts_as_asked(tmp_path):
    backup_dir = tmp_path / "backup"
    model = _model(seed=1)
    with pytest.raises(RuntimeError):
        _fit(model, [BackupAndRestore(backup_dir), Interrupt(epoch=2)])
    assert len(_fit(model, [BackupAndRestore(backup_dir)]).history["loss"]) == 3
    assert len(_fit(model, []).history["loss"]) == EPOCHS


def test_backup_and_restore_save_freq_in_batches(tmp_path, uninterrupted):
    backup_dir = tmp_path / "backup"
    callback = BackupAndRestore(backup_dir, save_freq=2, delete_checkpoint=False)
    with pytest.raises(RuntimeError):
        # 3 batches per epoch: the last backup is after batch 1 of epoch 2.
        _fit(_model(seed=1), [callback, Interrupt(epoch=2, batch=2)])
    metadata = json.loads((backup_dir / "training_metadata.json").read_text())
    assert metadata == {"epoch": 2, "batch": 1}
    model = _model(seed=2)
    history = _fit(model, [BackupAndRestore(backup_dir, delete_checkpoint=False)])
    # Epoch 2 runs again from its backed-up middle: one extra batch of Adam.
    assert len(history.history["loss"]) == EPOCHS - 2
    assert int(model.optimizer.iterations) == EPOCHS * 3 + 2
    assert (backup_dir / "latest.weights.h5").exists()


def test_backup_and_restore_double_checkpoint_falls_back(tmp_path):
    backup_dir = tmp_path / "backup"
    callback = BackupAndRestore(backup_dir, double_checkpoint=True)
    with pytest.raises(RuntimeError):
        _fit(_model(seed=1), [callback, Interrupt(epoch=3)])
    assert (backup_dir / "latest.weights.h5.bkp").exists()
    assert json.loads((backup_dir / "training_metadata.json.bkp").read_text()) == {
        "epoch": 2,
        "batch": 0,
    }
    (backup_dir / "latest.weights.h5").write_bytes(b"damaged")
    history = _fit(_model(seed=2), [BackupAndRestore(backup_dir)])
    assert len(history.history["loss"]) == EPOCHS - 2  # from the older backup


def test_backup_and_restore_damaged_backup_without_fallback_raises(tmp_path):
    backup_dir = tmp_path / "backup"
    backup_dir.mkdir()
    (backup_dir / "latest.weights.h5").write_bytes(b"damaged")
    with pytest.raises(LoadError):
        _fit(_model(seed=1), [BackupAndRestore(backup_dir)])


def test_backup_and_restore_without_backup_trains_from_scratch(tmp_path):
    history = _fit(_model(seed=1), [BackupAndRestore(tmp_path / "none")])
    assert len(history.history["loss"]) == EPOCHS


def test_backup_and_restore_needs_built_model(tmp_path):
    model = lamina.Sequential([lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="needs a built model"):
        _fit(model, [BackupAndRestore(tmp_path)])


@pytest.mark.parametrize("save_freq", [0, -3, "batch", True, 1.5])
def test_backup_and_restore_rejects_bad_save_freq(tmp_path, save_freq):
    with pytest.raises(ValueError, match=f"save_freq={save_freq!r}"):
        BackupAndRestore(tmp_path, save_freq=save_freq)


def test_backup_and_restore_rejects_empty_backup_dir():
    with pytest.raises(ValueError, match="backup_dir=''"):
        BackupAndRestore("")


def test_backup_and_restore_reads_a_keras_backup(tmp_path):
    """A backup written by Keras's BackupAndRestore resumes in lamina."""
    import keras

    backup_dir = str(tmp_path / "backup")
    keras.utils.set_random_seed(1)
    keras_model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    keras_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="mse")
    x, y = _data()

    class KerasInterrupt(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        keras_model.fit(
            x,
            y,
            batch_size=8,
            epochs=EPOCHS,
            shuffle=False,
            verbose=0,
            callbacks=[keras.callbacks.BackupAndRestore(backup_dir), KerasInterrupt()],
        )
    assert sorted(os.listdir(backup_dir)) == [
        "latest.weights.h5",
        "training_metadata.json",
    ]
    model = _model(seed=2)
    history = _fit(model, [BackupAndRestore(backup_dir, delete_checkpoint=False)])
    assert len(history.history["loss"]) == EPOCHS - 2
    assert int(model.optimizer.iterations) == EPOCHS * 3
