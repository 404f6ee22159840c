"""Fashion-MNIST: 70,000 28x28 grayscale images of 10 kinds of clothing.

Data licence: MIT, (c) 2017 Zalando SE.
"""

from __future__ import annotations

import gzip
import os

import numpy as np

from lamina.datasets._resolve import ORIGIN_FOLDER
from lamina.datasets._resolve import resolve_file

_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)

Split = tuple[np.ndarray, np.ndarray]


def load_data(*, path: str | os.PathLike | None = None) -> tuple[Split, Split]:
    """Loads the Fashion-MNIST data set.

    Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
    6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.

    Args:
        path: lamina-only. A local folder that holds the four gzipped idx
            files; `None` downloads them once into
            `~/.lamina/datasets/fashion-mnist/`. Defaults to `None`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape
        `(60000, 28, 28)` and `(10000, 28, 28)`, uint8 labels.

    Example:
    >>> import gzip, os, tempfile
    >>> import numpy as np
    >>> folder = tempfile.mkdtemp()
    >>> for prefix in ("train", "t10k"):
    ...     with gzip.open(f"{folder}/{prefix}-labels-idx1-ubyte.gz", "wb") as f:
    ...         _ = f.write(bytes(8) + bytes([7]))
    ...     with gzip.open(f"{folder}/{prefix}-images-idx3-ubyte.gz", "wb") as f:
    ...         _ = f.write(bytes(16) + bytes(784))
    >>> (x_train, y_train), _ = load_data(path=folder)
    >>> x_train.shape, y_train.tolist()
    ((1, 28, 28), [7])
    """
    paths = [_locate(fname, path) for fname in _FILES]
    y_train = _read_idx(paths[0], offset=8)
    x_train = _read_idx(paths[1], offset=16).reshape(len(y_train), 28, 28)
    y_test = _read_idx(paths[2], offset=8)
    x_test = _read_idx(paths[3], offset=16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)


def _locate(fname: str, folder: str | os.PathLike | None) -> str:
    if folder is None:
        return resolve_file(
            fname,
            ORIGIN_FOLDER + fname,
            None,
            "fashion_mnist.load_data",
            cache_subdir=os.path.join("datasets", "fashion-mnist"),
        )
    local = os.path.join(os.fspath(folder), fname)
    if not os.path.exists(local):
        raise FileNotFoundError(
            f"fashion_mnist.load_data(path={os.fspath(folder)!r}): the folder "
            f"has no {fname}. It must hold {', '.join(_FILES)}."
        )
    return local


def _read_idx(path: str, offset: int) -> np.ndarray:
    with gzip.open(path, "rb") as stream:
        return np.frombuffer(stream.read(), np.uint8, offset=offset)
