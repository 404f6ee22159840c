"""`ProgbarLogger`: the progress bar that `fit`, `evaluate` and `predict` show."""

from __future__ import annotations

from typing import Any

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs
from lamina.utils.progbar import Progbar
from lamina.utils.progbar import print_msg

_COUNT_MODES = ("steps", "samples")
# At most ~10 redraws a second: each redraw reads the metrics (a host sync).
_REDRAW_INTERVAL = 0.1


class ProgbarLogger(Callback):
    """Prints the progress bar and metrics, as Keras's does.

    With `verbose=1` (the default in `fit`) it prints `Epoch 1/5` and then
    `469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - accuracy: 0.9123 - loss:
    0.2871`; on a terminal the bar is redrawn in place, elsewhere (a file or
    CI log) it is written once per epoch. With `verbose=2` only the final
    line of each epoch is written. The metric values in the batch logs are
    device tensors: they are read only when the bar is drawn.

    Args:
        count_mode: `"steps"` counts batches; `"samples"` (Keras 2's default)
            counts samples when `fit` passes `samples` and `batch_size` in
            its params, and steps otherwise. Defaults to `"steps"`.
        stateful_metrics: Accepted for Keras 2 compatibility; every logged
            metric is already a running value and is shown as-is.

    Example:
    >>> logger = ProgbarLogger()
    >>> logger.set_params({"verbose": 2, "epochs": 2, "steps": 3})
    >>> logger.on_train_begin()
    >>> logger.on_epoch_begin(0)
    Epoch 1/2
    >>> for step in range(3):
    ...     logger.on_train_batch_end(step, {"loss": 0.5})
    >>> logger.on_epoch_end(0, {"loss": 0.25})  # doctest: +ELLIPSIS
    3/3 - 0s - ...s/step - loss: 0.2500
    """

    # The batch logs are read only at a redraw: no float conversion per step.
    _reads_tensor_logs = True

    def __init__(self, count_mode: str = "steps", stateful_metrics: Any = None):
        super().__init__()
        if count_mode not in _COUNT_MODES:
            raise ValueError(
                f"ProgbarLogger received count_mode={count_mode!r}, but it must "
                "be 'steps' or 'samples'. Pass count_mode='steps' to count "
                "batches."
            )
        self.count_mode = count_mode
        self.stateful_metrics = stateful_metrics
        self.seen = 0
        self.progbar: Progbar | None = None
        self.target: int | None = None
        self.verbose = 1
        self.epochs = 1
        self._batch_size: int | None = None
        self._called_in_fit = False

    def set_params(self, params: dict[str, Any]) -> None:
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")
        self._batch_size = None
        samples = params.get("samples")
        batch_size = params.get("batch_size")
        if self.count_mode == "samples" and samples and batch_size:
            self.target = samples
            self._batch_size = batch_size

    def on_train_begin(self, logs: Logs | None = None) -> None:
        # Inside fit, validation runs silently.
        self._called_in_fit = True

    def on_test_begin(self, logs: Logs | None = None) -> None:
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs: Logs | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        # Predictions are not metrics: only the count is shown.
        self._update_progbar(batch, None)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self._finalize_progbar(logs)

    def on_test_end(self, logs: Logs | None = None) -> None:
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs: Logs | None = None) -> None:
        self._finalize_progbar(logs)

    def on_train_end(self, logs: Logs | None = None) -> None:
        self._called_in_fit = False

    def _reset_progbar(self) -> None:
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self) -> None:
        if self.progbar is None:
            self.progbar = Progbar(
                target=self.target,
                verbose=self.verbose,
                interval=_REDRAW_INTERVAL,
                unit_name="sample" if self._batch_size else "step",
                stateless_metrics=set(),
            )

    def _count(self, batch: int) -> int:
        if self._batch_size:
            return min((batch + 1) * self._batch_size, self.target)
        return batch + 1

    def _update_progbar(self, batch: int, logs: Logs | None) -> None:
        self._maybe_init_progbar()
        self.seen = self._count(batch)
        if self.verbose == 1:
            # Metric values are read only when the bar will redraw with them.
            values = list((logs or {}).items()) if self.progbar.is_due() else None
            self.progbar.update(self.seen, values, finalize=False)

    def _finalize_progbar(self, logs: Logs | None) -> None:
        self._maybe_init_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)
