"""`TerminateOnNaN`: stops training when the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs
from lamina.utils.progbar import print_msg


class TerminateOnNaN(Callback):
    """Stops training at the first batch whose loss is NaN or infinite.

    It reads the loss after every batch, which costs one host sync per step.

    Args:
        raise_error: If `True`, raise a `RuntimeError` at once (no other
            callback's `on_train_end` runs); if `False`, set
            `model.stop_training = True`. Defaults to `False`.

    Example:
    >>> from types import SimpleNamespace
    >>> model = SimpleNamespace(stop_training=False)
    >>> callback = TerminateOnNaN()
    >>> callback.set_model(model)
    >>> callback.on_batch_end(7, {"loss": float("nan")})
    Batch 7: Invalid loss, terminating training
    >>> model.stop_training
    True
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                f"{loss}. Terminating training immediately. Lower the learning "
                "rate, check the data for NaN, or clip gradients (clipnorm=)."
            )
        print_msg(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
