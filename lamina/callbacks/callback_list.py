"""`CallbackList`: calls every hook of a list of callbacks, cheaply."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lamina.callbacks._logs import flatten_logs
from lamina.callbacks._logs import overrides
from lamina.callbacks._logs import pythonify_logs
from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs
from lamina.callbacks.history import History
from lamina.callbacks.progbar_logger import ProgbarLogger

_BATCH_HOOKS = (
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
)
# The base class's train-batch hooks forward to these Keras 2 names.
_ALIASES = {
    "on_train_batch_begin": "on_batch_begin",
    "on_train_batch_end": "on_batch_end",
}


def _flatten(callbacks: Any) -> list[Callback]:
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        return [callbacks]
    flat: list[Callback] = []
    for index, item in enumerate(callbacks):
        if isinstance(item, (list, tuple)):
            flat.extend(_flatten(item))
        elif isinstance(item, Callback):
            flat.append(item)
        else:
            raise TypeError(
                f"callbacks[{index}] is a {type(item).__name__}, but every "
                "callback must be a lamina.callbacks.Callback instance. Wrap "
                "a plain function with lamina.callbacks.LambdaCallback, e.g. "
                "LambdaCallback(on_epoch_end=fn)."
            )
    return flat


class CallbackList(Callback):
    """Calls each hook on every callback in a list, in order.

    `fit`, `evaluate` and `predict` talk to their callbacks only through
    this object. It adds a `History` and a `ProgbarLogger` when asked (and
    the list has none), and it keeps the per-batch cost low: batch hooks are
    called only on callbacks that override one, and the batch logs (0-d
    tensors on the device) are turned into floats, one host sync, only for
    callbacks that do not read tensors themselves. A default `fit` (history
    and progress bar) thus never syncs per step. Log keys reach callbacks
    sorted, nested dicts flattened, as in Keras.

    Args:
        callbacks: A `Callback` or a (nested) list of them. Defaults to `None`.
        add_history: Whether to add a `History` if there is none. Defaults to
            `False`.
        add_progbar: Whether to add a `ProgbarLogger` if there is none.
            Defaults to `False`.
        model: The model the callbacks act on. Defaults to `None`.
        **params: Training parameters (`verbose`, `epochs`, `steps`) passed to
            every callback's `set_params`.

    Example:
    >>> from lamina.callbacks import LambdaCallback
    >>> seen = []
    >>> callbacks = CallbackList(
    ...     [LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(logs))],
    ...     add_history=True,
    ... )
    >>> callbacks.on_train_begin()
    >>> callbacks.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.75})
    >>> seen
    [{'accuracy': 0.75, 'loss': 0.5}]
    """

    def __init__(
        self,
        callbacks: Callback | Iterable[Callback] | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ):
        super().__init__()
        self.callbacks = _flatten(callbacks)
        self._add_default_callbacks(add_history, add_progbar)
        self._configure_batch_dispatch()
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history: bool, add_progbar: bool) -> None:
        self._history = next(
            (cb for cb in self.callbacks if isinstance(cb, History)), None
        )
        self._progbar = next(
            (cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None
        )
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def append(self, callback: Callback) -> None:
        """Adds `callback` at the end of the list.

        Example:
        >>> callbacks = CallbackList()
        >>> callbacks.append(Callback())
        >>> len(callbacks.callbacks)
        1
        """
        self.callbacks.extend(_flatten([callback]))
        self._configure_batch_dispatch()
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)

    def set_params(self, params: dict[str, Any]) -> None:
        """Stores `params` and passes them on when they are not empty."""
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model: Any) -> None:
        """Attaches `model` to every callback and sets `model.history`."""
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _configure_batch_dispatch(self) -> None:
        """Finds, per batch hook, the callbacks that override it.

        Each receiver is paired with whether it wants float logs (callbacks
        that read the tensors themselves set `_reads_tensor_logs = True`).
        """
        self._batch_receivers: dict[str, list[tuple[Callback, bool]]] = {}
        for hook in _BATCH_HOOKS:
            alias = _ALIASES.get(hook)
            self._batch_receivers[hook] = [
                (callback, not getattr(callback, "_reads_tensor_logs", False))
                for callback in self.callbacks
                if overrides(callback, hook) or (alias and overrides(callback, alias))
            ]

    def _call_batch_hook(self, hook: str, batch: int, logs: Logs | None) -> None:
        receivers = self._batch_receivers[hook]
        if not receivers:
            return
        raw_logs = flatten_logs(logs)
        float_logs = None
        for callback, wants_floats in receivers:
            if not wants_floats:
                getattr(callback, hook)(batch, logs=raw_logs)
                continue
            if float_logs is None:
                float_logs = pythonify_logs(raw_logs)
            getattr(callback, hook)(batch, logs=float_logs)

    def _call_hook(self, hook: str, *args: Any, logs: Logs | None) -> None:
        shared_logs = pythonify_logs(logs)
        for callback in self.callbacks:
            getattr(callback, hook)(*args, shared_logs)

    def on_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        self._call_batch_hook("on_train_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._call_batch_hook("on_train_batch_end", batch, logs)

    def on_train_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        self._call_batch_hook("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._call_batch_hook("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        self._call_batch_hook("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._call_batch_hook("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        self._call_batch_hook("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._call_batch_hook("on_predict_batch_end", batch, logs)

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._call_hook("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self._call_hook("on_epoch_end", epoch, logs=logs)

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self._configure_batch_dispatch()
        self._call_hook("on_train_begin", logs=logs)

    def on_train_end(self, logs: Logs | None = None) -> None:
        self._call_hook("on_train_end", logs=logs)

    def on_test_begin(self, logs: Logs | None = None) -> None:
        self._configure_batch_dispatch()
        self._call_hook("on_test_begin", logs=logs)

    def on_test_end(self, logs: Logs | None = None) -> None:
        self._call_hook("on_test_end", logs=logs)

    def on_predict_begin(self, logs: Logs | None = None) -> None:
        self._configure_batch_dispatch()
        self._call_hook("on_predict_begin", logs=logs)

    def on_predict_end(self, logs: Logs | None = None) -> None:
        self._call_hook("on_predict_end", logs=logs)
