"""`LossTracker`: the running mean of the loss that `fit` reports as `loss`."""

from typing import Any

import torch

from lamina.metrics import Mean


class LossTracker(Mean):
    """Mean of per-batch losses weighted by batch size, as Keras reports it.

    The same numbers as `Mean`, with a lean update for the one case the
    training loop needs: a scalar loss tensor and an integer batch size.

    Example:
    >>> tracker = LossTracker()
    >>> tracker.update_state(torch.tensor(1.0), sample_weight=2)
    >>> tracker.update_state(torch.tensor(4.0), sample_weight=1)
    >>> float(tracker.result())
    2.0
    """

    def __init__(self, name: str = "loss", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        is_scalar = isinstance(values, torch.Tensor) and values.ndim == 0
        if not is_scalar or not isinstance(sample_weight, int):
            super().update_state(values, sample_weight)
            return
        self._place_state(values.device)
        self._accumulate_batch(values.detach(), sample_weight)

    def _accumulate_batch(self, loss: torch.Tensor, batch_size: int) -> None:
        """Adds a detached scalar loss of a batch of `batch_size`, in place."""
        states = self._states
        total = states["total"]
        if total is None:
            total, count = self.total, self.count  # created on first read
        else:
            count = states["count"]
        total.add_(loss * batch_size)
        count.add_(batch_size)
