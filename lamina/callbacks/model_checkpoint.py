"""`ModelCheckpoint`: saves the model or its weights during training."""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import torch

from lamina.callbacks._logs import pythonify_logs
from lamina.callbacks.callback import Logs
from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.utils.progbar import print_msg

_MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
_WEIGHTS_SUFFIXES = (".weights.h5", ".h5", ".hdf5")


def _check_filepath(filepath: str, save_weights_only: bool) -> None:
    suffixes = _WEIGHTS_SUFFIXES if save_weights_only else _MODEL_SUFFIXES
    if filepath.endswith(suffixes):
        return
    if save_weights_only:
        expected = "end in .weights.h5 (or .h5 as in Keras 2)"
        example = "'ckpt/weights.{epoch:02d}.weights.h5'"
    else:
        expected = "end in .keras (Keras 3 format) or .h5 (Keras 2 format)"
        example = "'ckpt/model.{epoch:02d}.keras'"
    raise ValueError(
        f"ModelCheckpoint received filepath={filepath!r} with "
        f"save_weights_only={save_weights_only}, but the path must {expected}. "
        f"Pass e.g. filepath={example}."
    )


def _is_non_scalar(value: Any) -> bool:
    return isinstance(value, (np.ndarray, torch.Tensor)) and len(value.shape) > 0


class ModelCheckpoint(MonitorCallback):
    """Saves the model (or only its weights) after every epoch or N batches.

    `filepath` may hold `str.format` fields filled from the epoch (1-based),
    the batch (1-based, when saving per batch) and the logs, e.g.
    `"weights.{epoch:02d}-{val_loss:.2f}.weights.h5"`. Each save goes
    through `model.save(filepath, overwrite=True)` or
    `model.save_weights(filepath, overwrite=True)`.

    Args:
        filepath: Where to save; a format string as above. Must end in
            `.keras` or `.h5` (full model), or `.weights.h5` / `.h5`
            (weights only).
        monitor: Metric compared when `save_best_only=True`. Defaults to
            `"val_loss"`.
        verbose: `1` prints a message at each save. Defaults to `0`.
        save_best_only: Save only when `monitor` improves on the best value so
            far. Defaults to `False`.
        save_weights_only: Save only the weights. Defaults to `False`.
        mode: `"auto"`, `"min"` or `"max"`: which way `monitor` improves.
            Defaults to `"auto"`.
        save_freq: `"epoch"` to save at each epoch end, or an int `N` to save
            every `N` batches. Defaults to `"epoch"`.
        initial_value_threshold: Initial best value of `monitor` that a save
            must beat, with `save_best_only=True`. Defaults to `None`.

    Example:
    >>> from types import SimpleNamespace
    >>> saved = []
    >>> model = SimpleNamespace(save=lambda path, overwrite: saved.append(path))
    >>> checkpoint = ModelCheckpoint("ckpt/m-{epoch:02d}-{val_loss:.2f}.keras")
    >>> checkpoint.set_model(model)
    >>> checkpoint.on_epoch_begin(0)
    >>> checkpoint.on_epoch_end(0, {"val_loss": 0.4567})
    >>> saved
    ['ckpt/m-01-0.46.keras']
    """

    def __init__(
        self,
        filepath: str | os.PathLike,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
    ):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen: int | None = None
        self._current_epoch = 0
        is_int = isinstance(save_freq, int) and not isinstance(save_freq, bool)
        if save_freq != "epoch" and not (is_int and save_freq > 0):
            raise ValueError(
                f"ModelCheckpoint received save_freq={save_freq!r}, but it must "
                "be 'epoch' or a positive int (a number of batches). Pass "
                "save_freq='epoch' to save after every epoch."
            )
        _check_filepath(self.filepath, save_weights_only)

    # Batch logs stay tensors unless a save needs them: with save_freq="epoch"
    # this callback must not cost a host sync per step.
    _reads_tensor_logs = True

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if self._should_save_on_batch(batch):
            logs = pythonify_logs(logs)
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._current_epoch = epoch

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1  # a new epoch began; batches count from 0
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving < self.save_freq:
            return False
        self._batches_seen_since_last_saving = 0
        return True

    def _should_save_model(self, epoch: int, logs: Logs, filepath: str) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"ModelCheckpoint can save the best model only with "
                f"{self.monitor} available, but the logs hold only: "
                f"{', '.join(logs) or 'none'}; saving anyway. Pass monitor= "
                "one of those names.",
                stacklevel=3,
            )
            return True
        if _is_non_scalar(current):
            warnings.warn(
                "ModelCheckpoint can save the best model only when `monitor` "
                f"is a scalar value, but received {current}. Falling back to "
                "`save_best_only=False`.",
                stacklevel=3,
            )
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        best_text = "None" if self.best is None else f"{self.best:.5f}"
        if not self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} did not improve "
                    f"from {best_text}"
                )
            return False
        if self.verbose > 0:
            print_msg(
                f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_text} "
                f"to {current:.5f}, saving model to {filepath}"
            )
        self.best = current
        return True

    def _save_model(self, epoch: int, batch: int | None, logs: Logs | None) -> None:
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise IsADirectoryError(
                f"ModelCheckpoint's filepath {filepath!r} is an existing "
                "directory. Pass a file path such as 'ckpt/model.keras'."
            )
        if not self._should_save_model(epoch, logs, filepath):
            return
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _get_file_path(self, epoch: int, batch: int | None, logs: Logs) -> str:
        fields = dict(logs)
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as err:
            raise KeyError(
                f"ModelCheckpoint could not fill filepath={self.filepath!r}: "
                f"the logs have no {err}. Available fields: "
                f"{', '.join(fields)}. Use only those names in the path."
            ) from err
