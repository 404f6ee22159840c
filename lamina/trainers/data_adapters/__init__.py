"""Adapters that turn every kind of input `fit` accepts into batches."""

from typing import Any

import numpy as np
import torch

from lamina.backend.config import floatx
from lamina.backend.config import standardize_dtype
from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from lamina.trainers.data_adapters.array_data_adapter import is_array_like
from lamina.trainers.data_adapters.array_data_adapter import split_arrays
from lamina.trainers.data_adapters.hf_dataset_adapter import hf_dataset_to_arrays
from lamina.trainers.data_adapters.hf_dataset_adapter import is_hf_dataset
from lamina.trainers.data_adapters.iterator_data_adapter import IteratorDataAdapter
from lamina.utils import tree

__all__ = [
    "ArrayDataAdapter",
    "IteratorDataAdapter",
    "get_data_adapter",
    "split_arrays",
    "unpack_batch",
]


def get_data_adapter(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    batch_size: int | None = None,
    steps: int | None = None,
    shuffle: Any = False,
    device: Any = "cpu",
    class_weight: dict[int, float] | None = None,
) -> Any:
    """Picks the adapter for `x` (arrays are sliced; anything else iterated)."""
    if is_hf_dataset(x):
        x, y, sample_weight = hf_dataset_to_arrays(x, y, sample_weight)
    if is_array_like(x):
        if class_weight is not None:
            sample_weight = _class_weight_to_sample_weight(
                y, sample_weight, class_weight
            )
        return ArrayDataAdapter(
            x,
            y,
            sample_weight,
            batch_size=batch_size or 32,
            shuffle=shuffle,
            device=device,
        )
    if y is not None:
        raise ValueError(
            f"y was passed together with x of type {type(x).__name__}, which "
            f"already yields the targets. Pass y=None and let x yield "
            f"(inputs, targets) batches."
        )
    if x is None:
        raise ValueError(
            "fit/evaluate/predict received x=None. Pass the input data: arrays, "
            "a generator, a PyDataset or a torch DataLoader."
        )
    return IteratorDataAdapter(x, batch_size, steps, shuffle)


def unpack_batch(batch: Any, device: torch.device) -> tuple[Any, Any, Any]:
    """Splits a batch into `(x, y, sample_weight)` tensors on `device`.

    As in Keras, a tuple (or list) of 1, 2 or 3 items is `(x,)`, `(x, y)` or
    `(x, y, sample_weight)`; anything else is `x` alone.
    """
    if isinstance(batch, (tuple, list)) and 1 <= len(batch) <= 3:
        parts = [*batch, None, None][:3]
    else:
        parts = [batch, None, None]
    return tuple(
        tree.map_structure(lambda value: _as_device_tensor(value, device), part)
        for part in parts
    )


def _as_device_tensor(value: Any, device: torch.device) -> Any:
    if value is None:
        return None
    if not isinstance(value, torch.Tensor):
        value = torch.as_tensor(np.asarray(value))
    if value.is_floating_point() and value.dtype != standardize_dtype(floatx()):
        value = value.to(standardize_dtype(floatx()))
    if value.device != device:
        value = value.to(device, non_blocking=True)
    return value


def _class_weight_to_sample_weight(
    y: Any, sample_weight: Any, class_weight: dict[int, float]
) -> np.ndarray:
    if y is None or tree.is_nested(y):
        raise ValueError(
            "class_weight needs a single array of targets y. For several outputs "
            "pass sample_weight per output instead."
        )
    labels = np.asarray(y.cpu() if isinstance(y, torch.Tensor) else y)
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)
    labels = labels.reshape(labels.shape[0], -1)[:, 0].astype(np.int64)
    missing = sorted(set(np.unique(labels).tolist()) - set(class_weight))
    if missing:
        raise ValueError(
            f"class_weight has no entry for class(es) {missing} present in y. "
            f"Give every class a weight, e.g. class_weight={{0: 1.0, 1: 2.0}}."
        )
    lookup = np.zeros(max(class_weight) + 1, dtype=np.float32)
    for label, weight in class_weight.items():
        lookup[int(label)] = weight
    weights = lookup[labels]
    if sample_weight is not None:
        weights = weights * np.asarray(sample_weight, dtype=np.float32)
    return weights
