"""`ReduceLROnPlateau`: lowers the learning rate when a metric stalls."""

from __future__ import annotations

import numpy as np

from lamina.callbacks._learning_rate import get_learning_rate
from lamina.callbacks._learning_rate import set_learning_rate
from lamina.callbacks.callback import Logs
from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.utils.progbar import print_msg


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` when a metric stops improving.

    After `patience` epochs without an improvement larger than `min_delta`
    the optimizer's learning rate becomes `max(lr * factor, min_lr)`; then
    `cooldown` epochs pass before the counter runs again. Each epoch's logs
    gain a `learning_rate` entry (so `History` records it).

    Args:
        monitor: Metric to watch. Defaults to `"val_loss"`.
        factor: Multiplier of the learning rate, below 1. Defaults to `0.1`.
        patience: Epochs without improvement before reducing. Defaults to
            `10`.
        verbose: `1` prints a message at each reduction. Defaults to `0`.
        mode: `"auto"`, `"min"` or `"max"`. Defaults to `"auto"`.
        min_delta: Smallest change that counts as an improvement. Defaults to
            `1e-4`.
        cooldown: Epochs to wait after a reduction before counting again.
            Defaults to `0`.
        min_lr: Lower bound of the learning rate. Defaults to `0.0`.
        **kwargs: Keras 2's `epsilon=` is accepted as `min_delta`.

    Example:
    >>> from types import SimpleNamespace
    >>> model = SimpleNamespace(optimizer=SimpleNamespace(learning_rate=0.1))
    >>> reducer = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
    >>> reducer.set_model(model)
    >>> reducer.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 1.0, 1.0]):
    ...     reducer.on_epoch_end(epoch, {"loss": loss})
    >>> model.optimizer.learning_rate
    0.025
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs,
    ):
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError(
                f"ReduceLROnPlateau received unknown arguments {sorted(kwargs)}. "
                "Accepted: monitor, factor, patience, verbose, mode, min_delta, "
                "cooldown, min_lr."
            )
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau received factor={factor}, but the factor "
                "must be below 1.0 to reduce the learning rate. Pass e.g. "
                "factor=0.1."
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        """Whether the callback is waiting out the cooldown after a reduction.

        Example:
        >>> ReduceLROnPlateau().in_cooldown()
        False
        """
        return self.cooldown_counter > 0

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = get_learning_rate(
            self.model.optimizer, "ReduceLROnPlateau"
        )
        current = logs.get(self.monitor)
        if current is None:
            self._missing_metric_warning("Learning rate reduction", logs)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
            return
        if self.in_cooldown():
            return
        self.wait += 1
        if self.wait >= self.patience and self._reduce_learning_rate(epoch):
            self.cooldown_counter = self.cooldown
            self.wait = 0

    def _reduce_learning_rate(self, epoch: int) -> bool:
        optimizer = self.model.optimizer
        old_lr = get_learning_rate(optimizer, "ReduceLROnPlateau")
        # Compared in float32, as the optimizer stores it, so that a rate
        # already clipped to min_lr is not "reduced" again forever.
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        set_learning_rate(optimizer, new_lr)
        if self.verbose > 0:
            print_msg(
                f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning "
                f"rate to {new_lr}."
            )
        return True
