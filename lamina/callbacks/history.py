"""`History`: records the epoch logs; `fit` returns it."""

from __future__ import annotations

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs


class History(Callback):
    """Records every epoch's logs in `history`; `fit` returns this object.

    `history` maps each metric name to its list of per-epoch values and
    `epoch` lists the epoch indices seen. `fit` adds one automatically and
    sets `model.history` to it.

    Example:
    >>> history = History()
    >>> history.on_train_begin()
    >>> history.on_epoch_end(0, {"loss": 0.5})
    >>> history.on_epoch_end(1, {"loss": 0.25})
    >>> history.history, history.epoch
    ({'loss': [0.5, 0.25]}, [0, 1])
    """

    def __init__(self):
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        # Refreshed each epoch so the model points at the latest record.
        if self.model is not None:
            self.model.history = self
