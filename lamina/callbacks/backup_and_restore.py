"""`BackupAndRestore`: lets an interrupted `fit` resume where it stopped."""

from __future__ import annotations

import json
import os
import shutil

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs
from lamina.saving.atomic import atomic_path
from lamina.saving.errors import LoadError


class BackupAndRestore(Callback):
    """Backs up the training state, and restores it when `fit` starts again.

    After every epoch (or every `save_freq` batches) the weights and the
    optimizer state go to `backup_dir/latest.weights.h5` and the number of
    finished epochs to `backup_dir/training_metadata.json`. When `fit`
    starts and a backup exists, the model and optimizer are restored and
    training goes on from the first unfinished epoch (a backup taken
    mid-epoch restarts that epoch with the backed-up weights). When `fit`
    finishes, the backup is deleted. Restart `fit` with the same model,
    `compile` and `fit` arguments as the interrupted run.

    Args:
        backup_dir: Folder for the backup; use it for nothing else.
        save_freq: `"epoch"` to back up after each epoch, or an int `N` to
            back up every `N` batches. Defaults to `"epoch"`.
        double_checkpoint: Keep the previous backup too (`*.bkp`), and fall
            back to it if the latest cannot be read. Defaults to `False`.
        delete_checkpoint: Delete `backup_dir` when `fit` ends normally.
            Defaults to `True`.

    Example:
    >>> import tempfile
    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> class Interrupt(lamina.callbacks.Callback):
    ...     def on_epoch_begin(self, epoch, logs=None):
    ...         if epoch == 2:
    ...             raise RuntimeError("interrupted")
    >>> backup = BackupAndRestore(tempfile.mkdtemp())
    >>> x, y = np.ones((4, 2)), np.ones((4, 1))
    >>> try:
    ...     model.fit(x, y, epochs=5, verbose=0, callbacks=[backup, Interrupt()])
    ... except RuntimeError:
    ...     pass
    >>> history = model.fit(x, y, epochs=5, verbose=0, callbacks=[backup])
    >>> len(history.history["loss"])  # epochs 2, 3 and 4
    3
    """

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        save_freq: str | int = "epoch",
        double_checkpoint: bool = False,
        delete_checkpoint: bool = True,
    ):
        super().__init__()
        if not backup_dir:
            raise ValueError(
                f"BackupAndRestore received backup_dir={backup_dir!r}, but it "
                f"needs a folder path, e.g. backup_dir='/tmp/backup'."
            )
        is_int = isinstance(save_freq, int) and not isinstance(save_freq, bool)
        if save_freq != "epoch" and not (is_int and save_freq > 0):
            raise ValueError(
                f"BackupAndRestore received save_freq={save_freq!r}, but it must "
                f"be 'epoch' or a positive int (a number of batches). Pass "
                f"save_freq='epoch' to back up after every epoch."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(
            self.backup_dir, "training_metadata.json"
        )
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"

    def on_train_begin(self, logs: Logs | None = None) -> None:
        try:
            self._load_model()
        except (OSError, LoadError):
            if not os.path.exists(self._prev_weights_path):
                raise
            self._restore_previous_backup()
            self._load_model()

    def _restore_previous_backup(self) -> None:
        """Makes the `.bkp` copies the latest backup (the latest is damaged)."""
        shutil.copyfile(self._prev_weights_path, self._weights_path)
        if os.path.exists(self._prev_training_metadata_path):
            shutil.copyfile(
                self._prev_training_metadata_path, self._training_metadata_path
            )
        elif os.path.exists(self._training_metadata_path):
            os.remove(self._training_metadata_path)

    def _load_model(self) -> None:
        model = self.model
        if not model.built:
            raise ValueError(
                f"BackupAndRestore needs a built model, but model "
                f"'{model.name}' is not built. Build it before fit(): give it "
                f"an Input, or call model.build(input_shape) or the model on "
                f"a batch of data."
            )
        self._current_epoch = 0
        if os.path.exists(self._weights_path):
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                optimizer.build(model.trainable_variables)
            model.load_weights(self._weights_path)
        if os.path.exists(self._training_metadata_path):
            with open(self._training_metadata_path, encoding="utf-8") as file:
                metadata = json.load(file)
            self._current_epoch = metadata["epoch"]
            model._initial_epoch = metadata["epoch"]

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if self._should_save_on_batch(batch):
            self._save_model()

    # The batch logs are not read: no host sync per step.
    _reads_tensor_logs = True

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # a new epoch; batches count from 0
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving < self.save_freq:
            return False
        self._batches_seen_since_last_saving = 0
        return True

    def _save_model(self) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            _copy_if_exists(self._weights_path, self._prev_weights_path)
            _copy_if_exists(
                self._training_metadata_path, self._prev_training_metadata_path
            )
        self.model.save_weights(self._weights_path, overwrite=True)
        metadata = {"epoch": self._current_epoch, "batch": self._last_batch_seen}
        with atomic_path(self._training_metadata_path) as temporary:
            with open(temporary, "w", encoding="utf-8") as file:
                json.dump(metadata, file)

    def on_train_end(self, logs: Logs | None = None) -> None:
        # The restored epoch served this fit; a later fit starts as asked.
        self.model._initial_epoch = None
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)


def _copy_if_exists(source: str, target: str) -> None:
    if os.path.exists(source):
        shutil.copyfile(source, target)
