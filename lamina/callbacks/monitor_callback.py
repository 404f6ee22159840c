"""`MonitorCallback`: shared base of callbacks that watch one metric."""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable
from typing import Any

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs

_MODES = ("auto", "min", "max")
# Name fragments for mode="auto" when the model cannot say which way is better.
_MAXIMIZED = ("acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2")
_MINIMIZED = (
    "loss",
    "error",
    "crossentropy",
    "mse",
    "mae",
    "mape",
    "msle",
    "hinge",
    "divergence",
    "poisson",
    "cosh",
)


def _direction_from_model(model: Any, metric_name: str) -> str | None:
    """`"up"`/`"down"` from a compiled metric's `_direction`, if it has one."""
    pending = list(getattr(model, "metrics", None) or [])
    while pending:
        metric = pending.pop()
        pending.extend(getattr(metric, "metrics", None) or [])
        if getattr(metric, "name", None) == metric_name:
            direction = getattr(metric, "_direction", None)
            if direction is not None:
                return direction
    return None


def _direction_from_name(metric_name: str) -> str | None:
    """Guesses `"up"`/`"down"` from the metric's name, as Keras 2 did."""
    name = metric_name.lower()
    if any(fragment in name for fragment in _MINIMIZED):
        return "down"
    if any(fragment in name for fragment in _MAXIMIZED):
        return "up"
    return None


class MonitorCallback(Callback):
    """Base class of callbacks that track improvement of a monitored metric.

    It resolves `mode` into a comparison and tells whether a value improves
    on a reference by more than `min_delta`. In `mode="auto"` a `loss` is
    minimised; otherwise the direction comes from the model's compiled metric
    of that name, or from the name itself (`acc`, `accuracy`, `auc`,
    `precision`, `recall` are maximised; `mse`, `mae`, `*_error`,
    `*crossentropy` minimised).

    Args:
        monitor: Name of the metric in the epoch logs. Defaults to
            `"val_loss"`.
        mode: `"auto"`, `"min"` or `"max"`; an unknown value warns and falls
            back to `"auto"`. Defaults to `"auto"`.
        baseline: Initial best value, or `None` to take the first one seen.
            Defaults to `None`.
        min_delta: Smallest change that counts as an improvement. Defaults to
            `0`.

    Example:
    >>> watcher = MonitorCallback(monitor="val_accuracy", min_delta=0.01)
    >>> watcher._set_monitor_op()
    >>> watcher._is_improvement(0.80, 0.78), watcher._is_improvement(0.785, 0.78)
    (True, False)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        baseline: float | None = None,
        min_delta: float = 0,
    ):
        super().__init__()
        if mode not in _MODES:
            warnings.warn(
                f"{type(self).__name__} received mode={mode!r}, but mode must "
                "be one of 'auto', 'min', 'max'; falling back to mode='auto'. "
                "Pass mode='min' or mode='max' to choose the direction.",
                stacklevel=3,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Callable[[float, float], bool] | None = None

    def _set_monitor_op(self) -> None:
        """Chooses `<` or `>` from `mode`; called once, at the first epoch end."""
        direction = {"min": "down", "max": "up"}.get(self.mode)
        metric_name = self.monitor.removeprefix("val_")
        if direction is None and metric_name == "loss":
            direction = "down"
        if direction is None:
            direction = _direction_from_model(self.model, metric_name)
        if direction is None:
            direction = _direction_from_name(metric_name)
        if direction is None:
            raise ValueError(
                f"{type(self).__name__} received monitor={self.monitor!r} with "
                "mode='auto', but cannot tell whether that metric should be "
                "maximized or minimized. Pass mode='max' to track its highest "
                "value or mode='min' to track its lowest."
            )
        if direction == "down":
            self.monitor_op = operator.lt
            self.min_delta = -abs(self.min_delta)
        else:
            self.monitor_op = operator.gt

    def _is_improvement(
        self, monitor_value: float, reference_value: float | None
    ) -> bool:
        if reference_value is None:
            return True
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))

    def _missing_metric_warning(self, what: str, logs: Logs) -> None:
        available = ", ".join(logs) or "none"
        warnings.warn(
            f"{what} conditioned on metric `{self.monitor}` which is not "
            f"available. Available metrics are: {available}. Pass one of "
            "them as monitor=, or pass validation data to fit() to get "
            "val_ metrics.",
            stacklevel=3,
        )
