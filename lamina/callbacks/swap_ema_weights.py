"""`SwapEMAWeights`: evaluates (and optionally saves) with the EMA weights."""

from __future__ import annotations

from typing import Any

import torch

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs


class SwapEMAWeights(Callback):
    """Puts the optimizer's moving averages in the model while it is evaluated.

    With an optimizer created with `use_ema=True`, the optimizer keeps an
    exponential moving average of every trained weight ("Polyak
    averaging"). This callback swaps those averages into the model before
    validation, `evaluate` and `predict`, and swaps the trained weights back
    afterwards, so the metrics measure the averaged model. With
    `swap_on_epoch=True` the averages also sit in the model from the end of
    each epoch until the next begins, so that callbacks placed after this
    one (`ModelCheckpoint`, say) see them. The swap copies in place.

    Args:
        swap_on_epoch: Whether to also swap at the end of each epoch (back at
            the start of the next). Defaults to `False`.

    Example:
    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> model.compile(optimizer=lamina.optimizers.SGD(use_ema=True), loss="mse")
    >>> x, y = np.ones((4, 2)), np.ones((4, 1))
    >>> _ = model.fit(x, y, epochs=2, verbose=0, callbacks=[SwapEMAWeights()])
    """

    def __init__(self, swap_on_epoch: bool = False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizer(self) -> Any:
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if not getattr(optimizer, "use_ema", False):
            raise ValueError(
                f"SwapEMAWeights needs an optimizer created with use_ema=True, "
                f"but the model has optimizer={optimizer!r} (use_ema="
                f"{getattr(optimizer, 'use_ema', None)}). Compile with e.g. "
                f"optimizer=lamina.optimizers.Adam(use_ema=True)."
            )
        return optimizer

    def _swap_variables(self) -> None:
        optimizer = self._ema_optimizer()
        if not optimizer.built:
            raise ValueError(
                f"SwapEMAWeights found optimizer '{optimizer.name}' not built "
                f"yet, so it has no moving averages to swap in. Train (fit) "
                f"before evaluating or predicting with this callback."
            )
        variables = list(optimizer._trainable_variables)
        averages = optimizer._model_variables_moving_average
        with torch.no_grad():
            trained = [variable.detach().clone() for variable in variables]
            torch._foreach_copy_(variables, averages)
            torch._foreach_copy_(averages, trained)

    def _finalize_ema_values(self) -> None:
        """Makes the averages equal the weights (which now hold the averages)."""
        optimizer = self._ema_optimizer()
        with torch.no_grad():
            torch._foreach_copy_(
                optimizer._model_variables_moving_average,
                list(optimizer._trainable_variables),
            )

    def _swap_in(self) -> None:
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def _swap_out(self) -> None:
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self._ema_optimizer()  # fail before training, not after an epoch

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        if self.swap_on_epoch:
            self._swap_out()

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if not self.swap_on_epoch or self._ema_weights_in_model:
            return
        self._swap_in()
        # fit ends by copying the averages into the weights; after the last
        # epoch the averages slot holds the trained weights, so refresh it.
        if self.params and epoch == self.params.get("epochs", 0) - 1:
            self._finalize_ema_values()

    def on_test_begin(self, logs: Logs | None = None) -> None:
        self._swap_in()

    def on_test_end(self, logs: Logs | None = None) -> None:
        self._swap_out()

    def on_predict_begin(self, logs: Logs | None = None) -> None:
        self._swap_in()

    def on_predict_end(self, logs: Logs | None = None) -> None:
        self._swap_out()
