"""Shuffle-and-split shared by the small tabular data sets."""

from __future__ import annotations

import numpy as np


def check_test_split(test_split: float, loader: str) -> None:
    """Raises a `ValueError` unless `0 <= test_split < 1`.

    Example:
    >>> check_test_split(0.2, "demo.load_data")
    """
    if not 0 <= test_split < 1:
        raise ValueError(
            f"{loader}() expects 0 <= test_split < 1, but received "
            f"test_split={test_split}. Pass e.g. test_split=0.2."
        )


def shuffle_split(
    x: np.ndarray, y: np.ndarray, test_split: float, seed: int
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Shuffles with `RandomState(seed)` and cuts off the last `test_split`.

    Example:
    >>> (x_train, _), (x_test, _) = shuffle_split(
    ...     np.arange(10), np.arange(10), 0.2, seed=113)
    >>> len(x_train), len(x_test)
    (8, 2)
    """
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    split = int(len(x) * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])
