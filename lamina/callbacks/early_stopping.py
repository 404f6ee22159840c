"""`EarlyStopping`: ends `fit` when a monitored metric stops improving."""

from __future__ import annotations

from typing import Any

from lamina.callbacks.callback import Logs
from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.utils.progbar import print_msg


class EarlyStopping(MonitorCallback):
    """Stops training when a monitored metric has stopped improving.

    At each epoch end it compares `logs[monitor]` with the best value so far.
    After `patience` epochs without an improvement larger than `min_delta`
    it sets `model.stop_training = True`.

    Args:
        monitor: Metric to watch. Defaults to `"val_loss"`.
        min_delta: Smallest change that counts as an improvement. Defaults to
            `0`.
        patience: Epochs without improvement before stopping. Defaults to
            `0`.
        verbose: `1` prints a message when it stops or restores weights.
            Defaults to `0`.
        mode: `"auto"`, `"min"` or `"max"`: whether the metric should fall or
            rise. `"auto"` infers it (`loss` falls, `accuracy`/`acc`/`auc`
            rise). Defaults to `"auto"`.
        baseline: Value the metric must beat; until it does, the patience
            counter keeps running. Defaults to `None`.
        restore_best_weights: Whether to load the weights of the best epoch at
            the end of training, whether or not training stopped early.
            Defaults to `False`.
        start_from_epoch: Epochs of warm-up before monitoring begins.
            Defaults to `0`.

    Attributes:
        stopped_epoch: Index of the epoch at which training stopped (`0` if
            it ran to the end).
        best_epoch: Index of the best epoch.
        best_weights: The best epoch's weights, when restoring them.

    Example:
    >>> from types import SimpleNamespace
    >>> model = SimpleNamespace(stop_training=False)
    >>> stopper = EarlyStopping(monitor="loss", patience=1)
    >>> stopper.set_model(model)
    >>> stopper.on_train_begin()
    >>> for epoch, loss in enumerate([0.9, 0.5, 0.6, 0.7, 0.4]):
    ...     stopper.on_epoch_end(epoch, {"loss": loss})
    ...     if model.stop_training:
    ...         break
    >>> stopper.stopped_epoch, stopper.best
    (2, 0.5)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.best_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights: Any = None
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs: Logs | None = None) -> None:
        # Reset so that one instance can serve several fit() calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Until something improves, the first monitored epoch is the best.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # The counter restarts only when the baseline is beaten too.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if not self.restore_best_weights or self.best_weights is None:
            return
        if self.verbose > 0:
            print_msg(
                "Restoring model weights from the end of the best epoch: "
                f"{self.best_epoch + 1}."
            )
        self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: Logs | None) -> float | None:
        """Returns `logs[monitor]`, warning (with the available names) if absent.

        Example:
        >>> EarlyStopping(monitor="loss").get_monitor_value({"loss": 0.5})
        0.5
        """
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            self._missing_metric_warning("Early stopping", logs)
        return value
