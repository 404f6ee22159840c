"""The data `adapt()` accepts: one array, or an iterable of batches."""

from collections.abc import Iterator
from typing import Any

import numpy as np
import torch


def is_single_batch(data: Any, sequences_are_batches: bool) -> bool:
    """Whether `adapt` treats `data` as one batch rather than an iterable.

    Arrays and tensors are one batch. Lists and tuples are one batch for the
    lookup and text layers (a list of strings or integers), but an iterable
    of batches for `Normalization` and `Discretization`, as in Keras.
    """
    if isinstance(data, (np.ndarray, torch.Tensor, str, bytes)):
        return True
    return sequences_are_batches and isinstance(data, (list, tuple))


def iterate_batches(data: Any, steps: int | None, what: str) -> Iterator[Any]:
    """Yields up to `steps` batches (`x` only, when batches are `(x, y, ...)`).

    Accepts any iterable (a generator, a `torch.utils.data.DataLoader`, a
    list of arrays) and sequences of batches indexed from 0 (a `PyDataset`).

    Raises:
        TypeError: `data` is neither iterable nor indexable.
    """
    if steps is not None and (not isinstance(steps, int) or steps < 1):
        raise ValueError(
            f"{what}.adapt() expected steps=None or a positive integer, but "
            f"received steps={steps!r}."
        )
    batches = _batch_iterator(data, what)
    for index, batch in enumerate(batches):
        if steps is not None and index >= steps:
            return
        yield features_of(batch)


def _batch_iterator(data: Any, what: str) -> Iterator[Any]:
    has_items = hasattr(data, "__getitem__") and hasattr(data, "__len__")
    if has_items and not isinstance(data, (list, tuple, dict)):
        return (data[index] for index in range(len(data)))
    if hasattr(data, "__iter__"):
        return iter(data)
    raise TypeError(
        f"{what}.adapt() expected a NumPy array, a torch tensor, a list, or an "
        f"iterable of batches (generator, DataLoader, PyDataset), but received "
        f"{type(data).__name__}. Pass the data as one of these."
    )


def features_of(batch: Any) -> Any:
    """The `x` of an `(x, y)` or `(x, y, sample_weight)` batch, else the batch."""
    if isinstance(batch, tuple) and 2 <= len(batch) <= 3:
        first = batch[0]
        if isinstance(first, (np.ndarray, torch.Tensor, list, tuple)):
            return first
    return batch
