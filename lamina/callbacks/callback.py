"""`Callback`: the base class of the hooks that `fit`, `evaluate` and `predict` call."""

from __future__ import annotations

from typing import Any

from torch.nn.parallel import DistributedDataParallel

Logs = dict[str, Any]


class Callback:
    """Base class for objects that act at points of training and inference.

    Subclass it and override the hooks you need. `fit` calls the `train`,
    `epoch` and (during validation) `test` hooks; `evaluate` the `test`
    hooks; `predict` the `predict` hooks. Set `self.model.stop_training =
    True` in a hook to end `fit` after the current epoch.

    Epoch-level logs hold Python floats, keyed by metric name (validation
    metrics prefixed with `val_`). Batch-level logs also hold floats, but
    only callbacks that override a batch hook receive them: converting the
    on-device metric values costs a host sync, so it is done only when
    someone reads them.

    Attributes:
        params: Dict of training parameters (`verbose`, `epochs`, `steps`).
        model: The model being trained (the inner model when it is wrapped in
            `DistributedDataParallel`).

    Example:
    >>> class CountEpochs(Callback):
    ...     def on_train_begin(self, logs=None):
    ...         self.count = 0
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.count += 1
    >>> counter = CountEpochs()
    >>> counter.on_train_begin()
    >>> counter.on_epoch_end(0, {"loss": 0.5})
    >>> counter.count
    1
    """

    def __init__(self):
        self.params: dict[str, Any] | None = None
        self._model = None

    def set_params(self, params: dict[str, Any]) -> None:
        """Stores the training parameters (`verbose`, `epochs`, `steps`).

        Example:
        >>> callback = Callback()
        >>> callback.set_params({"epochs": 2})
        >>> callback.params
        {'epochs': 2}
        """
        self.params = params

    def set_model(self, model: Any) -> None:
        """Attaches the model that the hooks act on.

        Example:
        >>> callback = Callback()
        >>> callback.set_model("a model")
        >>> callback.model
        'a model'
        """
        self._model = model

    @property
    def model(self) -> Any:
        """The model these hooks act on; a DDP wrapper is looked through."""
        if isinstance(self._model, DistributedDataParallel):
            return self._model.module
        return self._model

    def on_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Keras 2 name of `on_train_batch_begin`, which calls it."""

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """Keras 2 name of `on_train_batch_end`, which calls it."""

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        """Called at the start of epoch `epoch` (0-based) of `fit`."""

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        """Called at the end of an epoch with its metric results as floats.

        Args:
            epoch: Index of the epoch, from 0.
            logs: Training metrics, and validation metrics prefixed `val_`,
                e.g. `{"loss": 0.2, "accuracy": 0.7, "val_loss": 0.3}`.
        """

    def on_train_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Called before training batch `batch` (0-based within the epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """Called after a training batch with the running metric values."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Called before an `evaluate` (or validation) batch."""

    def on_test_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """Called after an `evaluate` (or validation) batch."""

    def on_predict_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Called before a `predict` batch."""

    def on_predict_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """Called after a `predict` batch; `logs["outputs"]` holds its output."""

    def on_train_begin(self, logs: Logs | None = None) -> None:
        """Called at the start of `fit`."""

    def on_train_end(self, logs: Logs | None = None) -> None:
        """Called at the end of `fit`, even when a callback stopped it early."""

    def on_test_begin(self, logs: Logs | None = None) -> None:
        """Called at the start of `evaluate` or of a validation pass."""

    def on_test_end(self, logs: Logs | None = None) -> None:
        """Called at the end of `evaluate` or of a validation pass."""

    def on_predict_begin(self, logs: Logs | None = None) -> None:
        """Called at the start of `predict`."""

    def on_predict_end(self, logs: Logs | None = None) -> None:
        """Called at the end of `predict`."""
