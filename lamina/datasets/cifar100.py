"""CIFAR-100: 60,000 32x32 colour images in 100 classes (Krizhevsky, 2009)."""

from __future__ import annotations

import os

import numpy as np

from lamina.datasets._cifar import load_batch
from lamina.datasets._cifar import locate_batches
from lamina.datasets._cifar import to_image_layout

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
_FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
_FOLDER = "cifar-100-python"

Split = tuple[np.ndarray, np.ndarray]


def load_data(
    label_mode: str = "fine", *, path: str | os.PathLike | None = None
) -> tuple[Split, Split]:
    """Loads the CIFAR-100 data set.

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (20 superclasses).
            Defaults to `"fine"`.
        path: lamina-only. A local folder that holds `cifar-100-python/` (or
            that folder itself); `None` downloads and extracts the archive
            once into `~/.lamina/datasets/`. Defaults to `None`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(N, 32, 32, 3)`
        (`(N, 3, 32, 32)` under `channels_first`) and int64 labels `(N, 1)`.

    Example:
    >>> import os, pickle, tempfile
    >>> import numpy as np
    >>> root = tempfile.mkdtemp()
    >>> for name in ("train", "test"):
    ...     batch = {b"data": np.zeros((2, 3072), "uint8"),
    ...              b"fine_labels": [7, 9], b"coarse_labels": [1, 3]}
    ...     with open(os.path.join(root, name), "wb") as f:
    ...         pickle.dump(batch, f, protocol=2)
    >>> (x_train, y_train), _ = load_data("coarse", path=root)
    >>> x_train.shape, y_train.ravel().tolist()
    ((2, 32, 32, 3), [1, 3])
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            "cifar100.load_data() expects label_mode='fine' or 'coarse', but "
            f"received label_mode={label_mode!r}."
        )
    folder = locate_batches(path, _FOLDER, _ORIGIN, _FILE_HASH, "cifar100.load_data")
    label_key = f"{label_mode}_labels"
    x_train, y_train = load_batch(os.path.join(folder, "train"), label_key)
    x_test, y_test = load_batch(os.path.join(folder, "test"), label_key)
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    return (to_image_layout(x_train), y_train), (to_image_layout(x_test), y_test)
