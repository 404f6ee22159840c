"""Reading and writing an optimizer's learning rate from a callback."""

from __future__ import annotations

from typing import Any

import torch


def get_learning_rate(optimizer: Any, caller: str) -> float:
    """`optimizer.learning_rate` as a float, with a clear error if it cannot be."""
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"{caller} needs model.optimizer.learning_rate, but the model has "
            f"optimizer={optimizer!r}. Call model.compile(optimizer=...) with a "
            "lamina optimizer before fit()."
        )
    value = optimizer.learning_rate
    if isinstance(value, torch.Tensor):
        return float(value.detach())
    if callable(value):
        raise TypeError(
            f"{caller} cannot change the learning rate of an optimizer driven by "
            f"the schedule {type(value).__name__}. Pass a float learning_rate "
            "to the optimizer, or drop the callback and let the schedule act."
        )
    return float(value)


def set_learning_rate(optimizer: Any, value: float) -> None:
    """Assigns `value`; the optimizer's setter keeps its tensor and dtype."""
    optimizer.learning_rate = value
