"""`split_dataset`: cut arrays or a torch `Dataset` into a left and a right part."""

from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset
from torch.utils.data import Subset
from torch.utils.data import TensorDataset


class _DictDataset(Dataset):
    """Samples of a dict of equally long tensors, each sample a dict."""

    def __init__(self, tensors: dict[str, torch.Tensor]) -> None:
        self.tensors = tensors

    def __len__(self) -> int:
        return len(next(iter(self.tensors.values())))

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        return {key: tensor[index] for key, tensor in self.tensors.items()}


def split_dataset(
    dataset: Any,
    left_size: int | float | None = None,
    right_size: int | float | None = None,
    shuffle: bool = False,
    seed: int | None = None,
    preferred_backend: str | None = None,
) -> tuple[Subset, Subset]:
    """Splits a dataset into a left part and a right part (e.g. train/test).

    As Keras does on its torch backend, both parts are
    `torch.utils.data.Subset`s: arrays become a `TensorDataset` (each sample
    a tuple of tensors, one per array), a dict of arrays a dataset of dicts.
    The left part takes the first `left_size` samples and the right part the
    last `right_size`; with `shuffle=True` the samples are first permuted
    with `torch.randperm` seeded by `seed`, which picks the same samples as
    Keras with the same seed.

    Args:
        dataset: A NumPy array or tensor, a list/tuple/dict of equally long
            arrays, or a `torch.utils.data.Dataset`.
        left_size: Float in (0, 1): fraction of the samples on the left;
            int: number of samples on the left; `None`: what `right_size`
            leaves. Defaults to `None`.
        right_size: The same for the right part. Defaults to `None`.
        shuffle: Permute the samples before splitting. Defaults to `False`.
        seed: Seed of the permutation; `None` draws from torch's global
            generator (see `lamina.utils.set_random_seed`).
        preferred_backend: Accepted for Keras compatibility; only `None` or
            `"torch"` are meaningful.

    Returns:
        A tuple `(left, right)` of `torch.utils.data.Subset`s.

    Example:
    >>> data = np.arange(20).reshape(10, 2)
    >>> left, right = split_dataset(data, left_size=0.8)
    >>> len(left), len(right), right[0][0].tolist()
    (8, 2, [16, 17])
    """
    _check_backend(preferred_backend)
    dataset = _as_torch_dataset(dataset)
    if left_size is None and right_size is None:
        raise ValueError(
            "split_dataset needs left_size or right_size, but received "
            "left_size=None and right_size=None. Pass e.g. left_size=0.8."
        )
    total = len(dataset)
    if total == 0:
        raise ValueError("split_dataset received an empty dataset; it has no samples.")
    left_size, right_size = _split_sizes(left_size, right_size, total)
    if shuffle:
        generator = None
        if seed is not None:
            generator = torch.Generator().manual_seed(seed)
        order = torch.randperm(total, generator=generator).tolist()
    else:
        order = list(range(total))
    return Subset(dataset, order[:left_size]), Subset(dataset, order[-right_size:])


def _check_backend(preferred_backend: str | None) -> None:
    if preferred_backend not in (None, "torch"):
        raise ValueError(
            f"split_dataset in lamina returns torch datasets, but received "
            f"preferred_backend={preferred_backend!r}. Pass None or 'torch'."
        )


def _as_torch_dataset(dataset: Any) -> Dataset:
    if isinstance(dataset, Dataset):
        return dataset
    if isinstance(dataset, dict) and dataset:
        tensors = {key: _as_tensor(value) for key, value in dataset.items()}
        _check_lengths(tensors)
        return _DictDataset(tensors)
    if isinstance(dataset, (list, tuple)) and dataset:
        tensors = {index: _as_tensor(value) for index, value in enumerate(dataset)}
        _check_lengths(tensors)
        return TensorDataset(*tensors.values())
    if isinstance(dataset, (np.ndarray, torch.Tensor)) or hasattr(dataset, "to_numpy"):
        return TensorDataset(_as_tensor(dataset))
    raise TypeError(
        f"split_dataset expects a NumPy array, a tensor, a non-empty "
        f"list/tuple/dict of arrays, or a torch.utils.data.Dataset, but "
        f"received {type(dataset).__name__}."
    )


def _as_tensor(value: Any) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value
    array = value.to_numpy() if hasattr(value, "to_numpy") else np.asarray(value)
    if array.dtype == object or array.ndim == 0:
        raise TypeError(
            f"split_dataset needs arrays with one row per sample, but received "
            f"an array of dtype {array.dtype} and shape {array.shape}. Pad "
            f"ragged lists to one length first."
        )
    return torch.from_numpy(np.ascontiguousarray(array))


def _check_lengths(tensors: dict[Any, torch.Tensor]) -> None:
    lengths = {key: len(tensor) for key, tensor in tensors.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(
            f"split_dataset needs arrays of equal length (first axis), but "
            f"received lengths {lengths}. Make every array hold one row per "
            f"sample."
        )


def _split_sizes(left: Any, right: Any, total: int) -> tuple[int, int]:
    """Turns fractions or counts into two sample counts, as Keras rounds them."""
    _check_size("left_size", left, total)
    _check_size("right_size", right, total)
    if type(left) is float and type(right) is float and left + right > 1:
        raise ValueError(
            f"split_dataset received left_size={left} and right_size={right}, "
            f"which add up to more than 1. Make the fractions sum to at most 1."
        )
    left = round(left * total) if type(left) is float else left
    right = round(right * total) if type(right) is float else right
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(
            f"split_dataset received sizes left={left} and right={right} that "
            f"add up to more than the {total} samples. Shrink one of them."
        )
    if left == 0 or right == 0:
        side = "left" if left == 0 else "right"
        raise ValueError(
            f"split_dataset would leave the {side} part empty: {total} samples "
            f"split as left={left}, right={right}. Adjust left_size/right_size."
        )
    return int(left), int(right)


def _check_size(name: str, size: Any, total: int) -> None:
    if size is None:
        return
    if type(size) not in (int, float):
        raise TypeError(
            f"split_dataset expects {name} to be an int, a float or None, but "
            f"received {name}={size!r} of type {type(size).__name__}."
        )
    if type(size) is int and not 0 < size < total:
        raise ValueError(
            f"split_dataset expects an int {name} between 1 and {total - 1} "
            f"(the dataset has {total} samples), but received {name}={size}."
        )
    if type(size) is float and not 0 < size < 1:
        raise ValueError(
            f"split_dataset expects a float {name} in (0, 1), but received "
            f"{name}={size}."
        )
