"""`MetricLogs`: the logs of one training step, computed only when read."""

from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import torch


class MetricLogs(Mapping):
    """A read-only mapping from metric name to its current result.

    `train_step` returns one per batch. Reading a value computes that
    metric's `result()` (a few small tensor ops); batches whose logs no
    callback reads cost nothing. Keys come in sorted order, as Keras
    shows them.

    Args:
        metrics: The model's metrics.

    Example:
    >>> from lamina.metrics import Mean
    >>> loss = Mean(name="loss")
    >>> loss.update_state([2.0, 4.0])
    >>> logs = MetricLogs([loss])
    >>> float(logs["loss"])
    3.0
    """

    def __init__(self, metrics: list[Any]) -> None:
        self._metrics = {metric.name: metric for metric in metrics}
        self._names = sorted(self._metrics)
        self._results: dict[str, torch.Tensor] = {}

    def fresh(self) -> "MetricLogs":
        """Logs of the same metrics that read their results anew."""
        logs = object.__new__(MetricLogs)
        logs._metrics = self._metrics
        logs._names = self._names
        logs._results = {}
        return logs

    def __getitem__(self, name: str) -> torch.Tensor:
        if name not in self._results:
            self._results[name] = self._metrics[name].result()
        return self._results[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"MetricLogs({self._names})"
