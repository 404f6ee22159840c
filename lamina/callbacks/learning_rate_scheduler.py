"""`LearningRateScheduler`: sets the learning rate from a function of the epoch."""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable

import numpy as np
import torch

from lamina.callbacks._learning_rate import get_learning_rate
from lamina.callbacks._learning_rate import set_learning_rate
from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs
from lamina.utils.progbar import print_msg


def _takes_learning_rate(schedule: Callable) -> bool:
    """Whether `schedule` is `f(epoch, lr)` (Keras 3) rather than `f(epoch)`."""
    try:
        signature = inspect.signature(schedule)
    except (TypeError, ValueError):  # builtins without a signature
        return True
    try:
        signature.bind(0, 0.0)
    except TypeError:
        return False
    return True


def _as_float(value: object) -> float | None:
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1:
        return float(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return None


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at the start of every epoch.

    Args:
        schedule: Function `schedule(epoch, lr) -> new_lr` (epoch from 0,
            `lr` the current rate as a float), or Keras 2's `schedule(epoch)`.
        verbose: `1` prints the rate set at each epoch. Defaults to `0`.

    Example:
    >>> from types import SimpleNamespace
    >>> model = SimpleNamespace(optimizer=SimpleNamespace(learning_rate=0.1))
    >>> scheduler = LearningRateScheduler(lambda epoch, lr: lr / 2)
    >>> scheduler.set_model(model)
    >>> scheduler.on_epoch_begin(0)
    >>> model.optimizer.learning_rate
    0.05
    """

    def __init__(self, schedule: Callable[..., float], verbose: int = 0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(
                "LearningRateScheduler expects schedule to be a function "
                f"schedule(epoch, lr) -> float, but received {schedule!r}."
            )
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        optimizer = self.model.optimizer
        current = get_learning_rate(optimizer, "LearningRateScheduler")
        if _takes_learning_rate(self.schedule):
            result = self.schedule(epoch, current)
        else:
            result = self.schedule(epoch)
        learning_rate = _as_float(result)
        if learning_rate is None:
            raise ValueError(
                "LearningRateScheduler's schedule must return a float, but for "
                f"epoch={epoch} it returned {result!r} "
                f"({type(result).__name__}). Return a Python float."
            )
        set_learning_rate(optimizer, learning_rate)
        if self.verbose > 0:
            print_msg(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning "
                f"rate to {learning_rate}."
            )

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(
                self.model.optimizer, "LearningRateScheduler"
            )
