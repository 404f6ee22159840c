"""MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28.

Data licence as Keras states it: Yann LeCun and Corinna Cortes, CC BY-SA 3.0.
"""

from __future__ import annotations

import os

import numpy as np

from lamina.datasets._resolve import ORIGIN_FOLDER
from lamina.datasets._resolve import resolve_file

_FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

Split = tuple[np.ndarray, np.ndarray]


def load_data(path: str | os.PathLike = "mnist.npz") -> tuple[Split, Split]:
    """Loads the MNIST data set of handwritten digits.

    Args:
        path: File name in the cache (`~/.lamina/datasets/`), downloaded and
            verified on first use; or the absolute path of a local copy of
            `mnist.npz`, used as is. Defaults to `"mnist.npz"`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape
        `(60000, 28, 28)` and `(10000, 28, 28)` with values 0..255, and uint8
        labels 0..9.

    Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> name = os.path.join(tempfile.mkdtemp(), "mnist.npz")
    >>> images = np.zeros((2, 28, 28), dtype="uint8")
    >>> labels = np.array([3, 5], dtype="uint8")
    >>> np.savez(name, x_train=images, y_train=labels, x_test=images, y_test=labels)
    >>> (x_train, y_train), _ = load_data(path=name)
    >>> x_train.shape, y_train.tolist()
    ((2, 28, 28), [3, 5])
    """
    path = resolve_file(
        path, f"{ORIGIN_FOLDER}mnist.npz", _FILE_HASH, "mnist.load_data"
    )
    with np.load(path, allow_pickle=False) as arrays:
        x_train, y_train = arrays["x_train"], arrays["y_train"]
        x_test, y_test = arrays["x_test"], arrays["y_test"]
    return (x_train, y_train), (x_test, y_test)
