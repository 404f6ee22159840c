"""Handwritten digits, 8x8: a small data set bundled with lamina for offline use.

1,797 images of the digits 0..9, each an 8x8 grid of counts 0..16 (the
number of set pixels in a 4x4 block of a 32x32 bitmap). It is the test set of
the UCI "Optical Recognition of Handwritten Digits" data set by E. Alpaydin
and C. Kaynak (1998), https://doi.org/10.24432/C50P49, licensed under
Creative Commons Attribution 4.0 (CC BY 4.0). The bundled file
`lamina/datasets/data/digits.csv.gz` is the copy scikit-learn ships (64 pixel
columns, then the label, one image per row); see
`lamina/datasets/data/README.md`.
"""

from __future__ import annotations

import gzip
import os

import numpy as np

from lamina.datasets._split import check_test_split
from lamina.datasets._split import shuffle_split

_DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "digits.csv.gz")

Split = tuple[np.ndarray, np.ndarray]


def load_data(test_split: float = 0.2, seed: int = 113) -> tuple[Split, Split]:
    """Loads the bundled 8x8 handwritten digits; needs no download.

    Args:
        test_split: Fraction of the shuffled images kept for testing.
            Defaults to `0.2`.
        seed: Seed of the shuffle. Defaults to `113`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(N, 8, 8)` with
        values 0..16, and uint8 labels 0..9 (1,437 train and 360 test images
        with the defaults).

    Example:
    >>> (x_train, y_train), (x_test, y_test) = load_data()
    >>> x_train.shape, x_test.shape, int(x_train.max())
    ((1437, 8, 8), (360, 8, 8), 16)
    """
    check_test_split(test_split, "digits.load_data")
    with gzip.open(_DATA_FILE, "rt", encoding="ascii") as stream:
        table = np.loadtxt(stream, delimiter=",", dtype=np.uint8)
    x = table[:, :64].reshape(-1, 8, 8)
    y = table[:, 64]
    return shuffle_split(x, y, test_split, seed)
