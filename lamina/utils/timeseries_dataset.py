"""`timeseries_dataset_from_array`: sliding windows over a series, in batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

_FORMATS = ("torch", "numpy", "tf", "grain")


class TimeseriesDataset:
    """An iterable of batches of windows (and targets) over an array.

    Built by `timeseries_dataset_from_array`; iterate over it (once per
    epoch) or pass it to `fit`. `len()` is the number of batches.

    Args:
        data: The series, indexable along axis 0.
        targets: Targets aligned with `data`, or `None`.
        start_positions: Window starts, relative to `start_index`, in order.
        sequence_length: Steps per window.
        sampling_rate: Step between two samples of a window.
        batch_size: Windows per batch, or `None` for single windows.
        start_index: Offset of the first usable step of `data`.
        as_numpy: Yield NumPy arrays instead of torch tensors.
        shuffle_seed: Seed for reshuffling the windows on later passes, or
            `None` to keep the order fixed.

    Example:
    >>> import numpy as np
    >>> windows = TimeseriesDataset(np.arange(5), None, np.arange(3), 3, 1,
    ...                             batch_size=2, start_index=0)
    >>> [batch.tolist() for batch in windows]
    [[[0, 1, 2], [1, 2, 3]], [[2, 3, 4]]]
    """

    def __init__(
        self,
        data: Any,
        targets: Any,
        start_positions: np.ndarray,
        sequence_length: int,
        sampling_rate: int,
        batch_size: int | None,
        start_index: int,
        as_numpy: bool = False,
        shuffle_seed: int | None = None,
    ):
        self.data = data
        self.targets = targets
        self.start_positions = start_positions
        self.offsets = np.arange(sequence_length) * sampling_rate
        self.batch_size = batch_size
        self.start_index = start_index
        self.as_numpy = as_numpy
        self.shuffle_seed = shuffle_seed
        self._num_passes = 0

    def __len__(self) -> int:
        if self.batch_size is None:
            return len(self.start_positions)
        return -(-len(self.start_positions) // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        positions = self._positions_for_this_pass()
        if self.batch_size is None:
            for position in positions:
                yield self._gather(position, squeeze=True)
            return
        for begin in range(0, len(positions), self.batch_size):
            yield self._gather(positions[begin : begin + self.batch_size])

    def _positions_for_this_pass(self) -> np.ndarray:
        positions = self.start_positions
        if self.shuffle_seed is not None and self._num_passes > 0:
            # Each later pass sees a new order, as a reshuffling input
            # pipeline would; the first pass keeps the seeded order.
            rng = np.random.RandomState(self.shuffle_seed + self._num_passes)
            positions = positions[rng.permutation(len(positions))]
        self._num_passes += 1
        return positions

    def _gather(self, positions: Any, squeeze: bool = False) -> Any:
        starts = np.atleast_1d(positions) + self.start_index
        windows = self.data[starts[:, None] + self.offsets]  # (batch, steps, ...)
        if squeeze:
            windows = windows[0]  # (steps, ...)
        windows = self._convert(windows)
        if self.targets is None:
            return windows
        targets = self.targets[starts]  # (batch, ...)
        if squeeze:
            targets = targets[0]
        return windows, self._convert(targets)

    def _convert(self, array: np.ndarray) -> Any:
        if self.as_numpy:
            return array
        return torch.as_tensor(array)


def timeseries_dataset_from_array(
    data: Any,
    targets: Any,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: int | None = None,
    start_index: int | None = None,
    end_index: int | None = None,
    format: str = "torch",
) -> TimeseriesDataset:
    """Creates a dataset of sliding windows over a time series.

    Window `i` holds `data[start_index + p_i + k * sampling_rate]` for
    `k < sequence_length`, where `p_i = i * sequence_stride`; its target is
    `targets[start_index + p_i]`. The windows, targets and their order equal
    Keras's. Keras returns a `tf.data.Dataset`; lamina returns a
    `TimeseriesDataset`, an iterable that yields one batch at a time: a
    `(windows, targets)` tuple, or just `windows` when `targets=None`.
    Windows have shape `(batch, sequence_length, ...)`.

    Args:
        data: Array-like (NumPy array, list, tensor) indexed along axis 0.
        targets: Targets aligned with `data`, or `None`.
        sequence_length: Steps per window.
        sequence_stride: Steps between two window starts. Defaults to `1`.
        sampling_rate: Steps between two samples inside a window.
            Defaults to `1`.
        batch_size: Windows per batch; `None` yields single windows.
            Defaults to `128`.
        shuffle: Shuffle the windows (with `RandomState(seed)`, then anew on
            each later pass). Defaults to `False`.
        seed: Shuffle seed. Defaults to a random one.
        start_index: First step of `data` used. Defaults to `0`.
        end_index: Step after the last one used. Defaults to `len(data)`.
        format: `"torch"` yields torch tensors, `"numpy"` NumPy arrays.
            Keras's `"tf"` and `"grain"` are accepted and mean `"torch"`.
            Defaults to `"torch"`.

    Returns:
        A `TimeseriesDataset`.

    Example:
    >>> import numpy as np
    >>> dataset = timeseries_dataset_from_array(
    ...     np.arange(10), np.arange(10), sequence_length=3, batch_size=4,
    ...     format="numpy")
    >>> windows, targets = next(iter(dataset))
    >>> windows.tolist(), targets.tolist()
    ([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]], [0, 1, 2, 3])
    """
    data = _as_array(data, "data")
    targets = None if targets is None else _as_array(targets, "targets")
    _check_arguments(len(data), sequence_length, sequence_stride, sampling_rate,
                     batch_size, start_index, end_index, format)  # fmt: skip
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    num_windows = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_windows = min(num_windows, len(targets))
    start_positions = np.arange(0, max(num_windows, 0), sequence_stride)
    if shuffle:
        if seed is None:
            seed = int(np.random.randint(1_000_000))
        np.random.RandomState(seed).shuffle(start_positions)
    return TimeseriesDataset(
        data, targets, start_positions, sequence_length, sampling_rate,
        batch_size, start_index, as_numpy=format == "numpy",
        shuffle_seed=seed if shuffle else None,
    )  # fmt: skip


def _as_array(values: Any, name: str) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().numpy()
    array = np.asarray(values)
    if array.ndim == 0:
        raise ValueError(
            f"timeseries_dataset_from_array() expects {name} with a time "
            f"axis, but received a scalar {name}={values!r}."
        )
    return array


def _check_arguments(
    length, sequence_length, sequence_stride, sampling_rate, batch_size,
    start_index, end_index, format,
) -> None:  # fmt: skip
    name = "timeseries_dataset_from_array()"
    if format not in _FORMATS:
        raise ValueError(
            f"{name} expects format in {_FORMATS}, but received format={format!r}."
        )
    for arg, value in (("sequence_length", sequence_length),
                       ("sequence_stride", sequence_stride),
                       ("sampling_rate", sampling_rate)):  # fmt: skip
        if not isinstance(value, (int, np.integer)) or value <= 0:
            raise ValueError(
                f"{name} expects a positive int {arg}, but received {arg}={value!r}."
            )
    if batch_size is not None and (
        not isinstance(batch_size, (int, np.integer)) or batch_size <= 0
    ):
        raise ValueError(
            f"{name} expects a positive int batch_size or None, but received "
            f"batch_size={batch_size!r}."
        )
    for arg, value in (
        ("sampling_rate", sampling_rate),
        ("sequence_stride", sequence_stride),
    ):
        if value >= length:
            raise ValueError(
                f"{name} expects {arg} < len(data)={length}, but received "
                f"{arg}={value}."
            )
    if start_index is not None and not 0 <= start_index < length:
        raise ValueError(
            f"{name} expects 0 <= start_index < len(data)={length}, but "
            f"received start_index={start_index}."
        )
    if end_index is not None and not (start_index or 0) < end_index < length:
        raise ValueError(
            f"{name} expects start_index < end_index < len(data)={length}, but "
            f"received start_index={start_index}, end_index={end_index}."
        )
