"""Batches of in-memory arrays, sliced from tensors prepared once per `fit`."""

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

from lamina.backend.config import floatx
from lamina.backend.config import standardize_dtype
from lamina.utils import tree

# Data up to this size moves to the accelerator once; larger data is sliced on
# the host and each batch is copied over.
_DEVICE_RESIDENT_BYTES = 2 * 1024**3


class ArrayDataAdapter:
    """Turns arrays (NumPy, torch, pandas, lists/dicts of them) into batches.

    The arrays become tensors once, on the training device when they fit;
    each epoch draws one permutation and slices batches from it. No
    per-sample Python and no DataLoader.

    Args:
        x: Inputs: an array or a list/dict of arrays.
        y: Targets, same forms, or `None`.
        sample_weight: Per-sample weights, or `None`.
        batch_size: Samples per batch.
        shuffle: `True`, `False` or `"batch"` (shuffle whole batches).
        device: Device the batches are produced on.
    """

    def __init__(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        batch_size: int = 32,
        shuffle: bool | str = False,
        device: Any = "cpu",
    ) -> None:
        self._data = tree.map_structure(_to_tensor, (x, y, sample_weight))
        self.num_samples = _common_length(self._data)
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.device = torch.device(device)
        self._is_resident = _size_in_bytes(self._data) <= _DEVICE_RESIDENT_BYTES
        if self._is_resident:
            self._data = tree.map_structure(lambda t: _move(t, self.device), self._data)

    # Batches are already `(x, y, sample_weight)` tensors on the device.
    yields_device_batches = True

    @property
    def num_batches(self) -> int:
        return math.ceil(self.num_samples / self.batch_size)

    def batches(self) -> Iterator[Any]:
        """Yields `(x, y, sample_weight)` batches for one epoch."""
        if self.shuffle and self.shuffle != "batch":
            order = torch.randperm(self.num_samples, device=_device_of(self._data))
            if self._is_resident and _is_flat(self._data):
                # The common case, without walking a structure per batch.
                x, y, sample_weight = self._data
                for start in range(0, self.num_samples, self.batch_size):
                    index = order[start : start + self.batch_size]
                    yield (
                        _take(x, index),
                        _take(y, index),
                        _take(sample_weight, index),
                    )
                return
            for start in range(0, self.num_samples, self.batch_size):
                index = order[start : start + self.batch_size]
                yield self._to_device(
                    tree.map_structure(lambda t, i=index: _take(t, i), self._data)
                )
            return
        starts = list(range(0, self.num_samples, self.batch_size))
        if self.shuffle == "batch":
            starts = [starts[i] for i in torch.randperm(len(starts)).tolist()]
        for start in starts:
            stop = start + self.batch_size
            yield self._to_device(
                tree.map_structure(
                    lambda t, a=start, b=stop: _slice(t, a, b), self._data
                )
            )

    def _to_device(self, batch: Any) -> Any:
        if self._is_resident:
            return batch
        return tree.map_structure(lambda t: _move(t, self.device), batch)


def split_arrays(data: Any, validation_split: float) -> tuple[Any, Any]:
    """Splits arrays into the first `1 - validation_split` and the rest.

    As in Keras, the validation samples are the last ones, taken before any
    shuffling.

    Example:
    >>> train, val = split_arrays((np.arange(10), np.arange(10)), 0.2)
    >>> val[0].tolist()
    [8, 9]
    """
    if not 0.0 < validation_split < 1.0:
        raise ValueError(
            f"validation_split must be a float in (0, 1), but received "
            f"validation_split={validation_split}."
        )
    tensors = tree.map_structure(_to_tensor_or_array, data)
    length = _common_length(tensors)
    split_at = int(math.floor(length * (1.0 - validation_split)))
    if split_at == 0 or split_at == length:
        raise ValueError(
            f"validation_split={validation_split} leaves no samples for "
            f"{'training' if split_at == 0 else 'validation'} out of {length}. "
            f"Use a split that keeps at least one sample on each side."
        )
    first = tree.map_structure(
        lambda t: t[:split_at] if t is not None else None, tensors
    )
    second = tree.map_structure(
        lambda t: t[split_at:] if t is not None else None, tensors
    )
    return first, second


def is_array_like(value: Any) -> bool:
    """Whether `value` is data this adapter slices (arrays, not iterators)."""
    leaves = tree.flatten(value)
    return (
        bool(leaves)
        and all(leaf is None or _is_array_leaf(leaf) for leaf in leaves)
        and any(leaf is not None for leaf in leaves)
    )


def _is_array_leaf(value: Any) -> bool:
    if isinstance(value, (np.ndarray, torch.Tensor, int, float)):
        return True
    module = type(value).__module__
    return module.startswith("pandas") and hasattr(value, "to_numpy")


def _to_tensor_or_array(value: Any) -> Any:
    if value is None or isinstance(value, torch.Tensor):
        return value
    if hasattr(value, "to_numpy"):
        return value.to_numpy()
    return np.asarray(value)


def _to_tensor(value: Any) -> torch.Tensor | None:
    if value is None:
        return None
    if isinstance(value, torch.Tensor):
        tensor = value.detach()
    else:
        array = _to_tensor_or_array(value)
        if array.dtype == object:
            raise ValueError(
                f"fit/evaluate/predict received an array of Python objects "
                f"(shape {array.shape}), such as ragged lists of different "
                f"lengths. Pad the sequences to one length first, e.g. with "
                f"lamina.preprocessing.sequence.pad_sequences."
            )
        if not array.flags.writeable:  # torch.from_numpy needs a writable array
            array = array.copy()
        tensor = torch.from_numpy(np.ascontiguousarray(array))
    if tensor.is_floating_point() and tensor.dtype != standardize_dtype(floatx()):
        tensor = tensor.to(standardize_dtype(floatx()))
    if tensor.ndim == 0:
        raise ValueError(
            f"fit/evaluate/predict received a scalar ({tensor.item()!r}) where "
            f"an array with one row per sample was expected."
        )
    return tensor


def _common_length(data: Any) -> int:
    lengths = {int(t.shape[0]) for t in tree.flatten(data) if t is not None}
    if len(lengths) != 1:
        raise ValueError(
            f"All arrays passed to fit/evaluate/predict must have the same "
            f"number of samples (first axis), but received lengths "
            f"{sorted(lengths)}. Make x, y and sample_weight line up."
        )
    return lengths.pop()


def _size_in_bytes(data: Any) -> int:
    return sum(
        t.numel() * t.element_size() for t in tree.flatten(data) if t is not None
    )


def _is_flat(data: tuple[Any, ...]) -> bool:
    return all(part is None or isinstance(part, torch.Tensor) for part in data)


def _device_of(data: Any) -> torch.device:
    return next(t.device for t in tree.flatten(data) if t is not None)


def _move(tensor: torch.Tensor | None, device: torch.device) -> torch.Tensor | None:
    if tensor is None or tensor.device == device:
        return tensor
    return tensor.to(device, non_blocking=True)


def _take(tensor: torch.Tensor | None, index: torch.Tensor) -> torch.Tensor | None:
    if tensor is None:
        return None
    if index.device != tensor.device:
        index = index.to(tensor.device)
    return tensor.index_select(0, index)


def _slice(tensor: torch.Tensor | None, start: int, stop: int) -> torch.Tensor | None:
    return None if tensor is None else tensor[start:stop]
