"""Log-dict helpers shared by `CallbackList` and the callbacks."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.callbacks.callback import Callback


def flatten_logs(logs: dict[str, Any] | None) -> dict[str, Any]:
    """Sorts the keys (as Keras shows them) and lifts nested dicts up.

    A mapping that is not a dict (the training loop's lazily computed metric
    logs) is already flat and sorted; it passes through unread.
    """
    if logs is not None and not isinstance(logs, dict):
        return logs
    result: dict[str, Any] = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(flatten_logs(value))
        else:
            result[key] = value
    return result


def pythonify_logs(logs: dict[str, Any] | None) -> dict[str, Any]:
    """`flatten_logs`, then one-element tensors and arrays become floats.

    All tensor values are read back in a single transfer, one host sync for
    the whole dict. Values that are not scalars stay as they are.
    """
    result = dict(flatten_logs(logs))
    scalar_keys = [
        key
        for key, value in result.items()
        if isinstance(value, torch.Tensor) and value.numel() == 1
    ]
    devices = {result[key].device for key in scalar_keys}
    if len(devices) > 1:
        for key in scalar_keys:
            result[key] = float(result[key])
    elif scalar_keys:
        stacked = torch.stack(
            [result[key].detach().reshape(()).double() for key in scalar_keys]
        )
        for key, number in zip(scalar_keys, stacked.tolist(), strict=True):
            result[key] = number
    for key, value in result.items():
        if isinstance(value, (np.ndarray, np.generic)) and value.size == 1:
            result[key] = float(value)
    return result


def overrides(callback: Callback, hook: str) -> bool:
    """Whether `callback` replaces `Callback.<hook>` (by subclass or instance)."""
    if hook in vars(callback):
        return True
    return getattr(type(callback), hook, None) is not getattr(Callback, hook)
