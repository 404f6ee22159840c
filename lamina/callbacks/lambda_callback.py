"""`LambdaCallback`: a callback built from plain functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lamina.callbacks.callback import Callback

_HOOKS = (
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_begin",
    "on_train_end",
    "on_train_batch_begin",
    "on_train_batch_end",
)


class LambdaCallback(Callback):
    """Builds a callback from functions, one per hook.

    Epoch hooks take `(epoch, logs)`, batch hooks `(batch, logs)`, and
    begin/end hooks `(logs)`. Other hooks (`on_batch_end`,
    `on_test_batch_end`, ...) may be given as keyword arguments too.

    Args:
        on_epoch_begin: Called at the start of each epoch.
        on_epoch_end: Called at the end of each epoch.
        on_train_begin: Called at the start of training.
        on_train_end: Called at the end of training.
        on_train_batch_begin: Called before each training batch.
        on_train_batch_end: Called after each training batch.
        **kwargs: Further hooks or attributes to set on the callback.

    Example:
    >>> printer = LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs))
    >>> printer.on_epoch_end(0, {"loss": 0.5})
    0 {'loss': 0.5}
    """

    def __init__(
        self,
        on_epoch_begin: Callable | None = None,
        on_epoch_end: Callable | None = None,
        on_train_begin: Callable | None = None,
        on_train_end: Callable | None = None,
        on_train_batch_begin: Callable | None = None,
        on_train_batch_end: Callable | None = None,
        **kwargs: Any,
    ):
        super().__init__()
        self.__dict__.update(kwargs)
        given = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for hook in _HOOKS:
            if given[hook] is not None:
                setattr(self, hook, given[hook])
