"""California housing prices (Pace & Barry 1997, StatLib): 20,640 blocks."""

from __future__ import annotations

import os

import numpy as np

from lamina.datasets._resolve import ORIGIN_FOLDER
from lamina.datasets._resolve import resolve_file
from lamina.datasets._split import check_test_split
from lamina.datasets._split import shuffle_split

_FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
_SMALL_ROWS = 600

Split = tuple[np.ndarray, np.ndarray]


def load_data(
    version: str = "large",
    path: str | os.PathLike = "california_housing.npz",
    test_split: float = 0.2,
    seed: int = 113,
) -> tuple[Split, Split]:
    """Loads the California housing regression data set.

    Features: longitude, latitude, housing_median_age, total_rooms,
    total_bedrooms, population, households, median_income. Target: median
    house value in dollars.

    Args:
        version: `"large"` (all 20,640 rows) or `"small"` (the first 600).
            Defaults to `"large"`.
        path: File name in the cache (`~/.lamina/datasets/`), downloaded and
            verified on first use; or the absolute path of a local copy of
            `california_housing.npz`, used as is. Defaults to
            `"california_housing.npz"`.
        test_split: Fraction of the shuffled rows kept for testing.
            Defaults to `0.2`.
        seed: Seed of the shuffle. Defaults to `113`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float32 features `(N, 8)`
        and float32 targets `(N,)`.

    Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> name = os.path.join(tempfile.mkdtemp(), "california_housing.npz")
    >>> np.savez(name, x=np.zeros((1000, 8), "float32"), y=np.zeros(1000, "float32"))
    >>> (x_train, _), (x_test, _) = load_data("small", path=name)
    >>> x_train.shape, x_test.shape
    ((480, 8), (120, 8))
    """
    if version not in ("small", "large"):
        raise ValueError(
            "california_housing.load_data() expects version='small' or "
            f"'large', but received version={version!r}."
        )
    check_test_split(test_split, "california_housing.load_data")
    path = resolve_file(
        path, f"{ORIGIN_FOLDER}california_housing.npz", _FILE_HASH,
        "california_housing.load_data",
    )  # fmt: skip
    with np.load(path, allow_pickle=False) as arrays:
        x, y = arrays["x"], arrays["y"]
    if version == "small":
        x, y = x[:_SMALL_ROWS], y[:_SMALL_ROWS]
    return shuffle_split(x, y, test_split, seed)
