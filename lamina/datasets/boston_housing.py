"""Boston housing prices (Harrison & Rubinfeld 1978, StatLib): 506 suburbs.

The data set has an ethical problem: its "B" feature encodes the proportion
of Black residents, built on the assumption that racial self-segregation
raises house prices. Prefer `california_housing` for new work.
"""

from __future__ import annotations

import os

import numpy as np

from lamina.datasets._resolve import ORIGIN_FOLDER
from lamina.datasets._resolve import resolve_file
from lamina.datasets._split import check_test_split
from lamina.datasets._split import shuffle_split

_FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"

Split = tuple[np.ndarray, np.ndarray]


def load_data(
    path: str | os.PathLike = "boston_housing.npz",
    test_split: float = 0.2,
    seed: int = 113,
) -> tuple[Split, Split]:
    """Loads the Boston housing regression data set.

    Args:
        path: File name in the cache (`~/.lamina/datasets/`), downloaded and
            verified on first use; or the absolute path of a local copy of
            `boston_housing.npz`, used as is. Defaults to
            `"boston_housing.npz"`.
        test_split: Fraction of the shuffled rows kept for testing.
            Defaults to `0.2`.
        seed: Seed of the shuffle. Defaults to `113`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float64 features of shape
        `(N, 13)` and median values in thousands of dollars, shape `(N,)`.

    Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> name = os.path.join(tempfile.mkdtemp(), "boston_housing.npz")
    >>> np.savez(name, x=np.zeros((10, 13)), y=np.arange(10.0))
    >>> (x_train, y_train), (x_test, y_test) = load_data(path=name)
    >>> x_train.shape, x_test.shape
    ((8, 13), (2, 13))
    """
    check_test_split(test_split, "boston_housing.load_data")
    path = resolve_file(
        path, f"{ORIGIN_FOLDER}boston_housing.npz", _FILE_HASH,
        "boston_housing.load_data",
    )  # fmt: skip
    with np.load(path, allow_pickle=False) as arrays:
        x, y = arrays["x"], arrays["y"]
    return shuffle_split(x, y, test_split, seed)
