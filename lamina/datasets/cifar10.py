"""CIFAR-10: 60,000 32x32 colour images in 10 classes (Krizhevsky, 2009)."""

from __future__ import annotations

import os

import numpy as np

from lamina.datasets._cifar import load_batch
from lamina.datasets._cifar import locate_batches
from lamina.datasets._cifar import to_image_layout

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
_FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
_FOLDER = "cifar-10-batches-py"
_NUM_TRAIN_BATCHES = 5

Split = tuple[np.ndarray, np.ndarray]


def load_data(*, path: str | os.PathLike | None = None) -> tuple[Split, Split]:
    """Loads the CIFAR-10 data set.

    Classes: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog,
    7 horse, 8 ship, 9 truck.

    Args:
        path: lamina-only. A local folder that holds `cifar-10-batches-py/`
            (or that folder itself); `None` downloads and extracts the archive
            once into `~/.lamina/datasets/`. Defaults to `None`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(N, 32, 32, 3)`
        (`(N, 3, 32, 32)` under `channels_first`) and uint8 labels `(N, 1)`.

    Example:
    >>> import os, pickle, tempfile
    >>> import numpy as np
    >>> root = tempfile.mkdtemp()
    >>> names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    >>> for name in names:
    ...     batch = {b"data": np.zeros((2, 3072), "uint8"), b"labels": [1, 2]}
    ...     with open(os.path.join(root, name), "wb") as f:
    ...         pickle.dump(batch, f, protocol=2)
    >>> (x_train, y_train), (x_test, y_test) = load_data(path=root)
    >>> x_train.shape, y_test.shape
    ((10, 32, 32, 3), (2, 1))
    """
    folder = locate_batches(path, _FOLDER, _ORIGIN, _FILE_HASH, "cifar10.load_data")
    train = [
        load_batch(os.path.join(folder, f"data_batch_{i}"))
        for i in range(1, _NUM_TRAIN_BATCHES + 1)
    ]
    x_train = np.concatenate([data for data, _ in train]).astype("uint8")
    y_train = np.concatenate([labels for _, labels in train]).astype("uint8")
    x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
    x_test = np.asarray(x_test, dtype="uint8")
    y_test = np.asarray(y_test, dtype="uint8")
    y_train = y_train.reshape(len(y_train), 1)
    y_test = y_test.reshape(len(y_test), 1)
    return (to_image_layout(x_train), y_train), (to_image_layout(x_test), y_test)
