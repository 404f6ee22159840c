"""Reading CIFAR's pickled batch files safely, shared by cifar10 and cifar100."""

from __future__ import annotations

import os

import numpy as np

from lamina.backend import image_data_format
from lamina.datasets._safe_pickle import load_pickle
from lamina.utils.file_utils import get_file


def load_batch(fpath: str, label_key: str = "labels") -> tuple[np.ndarray, list]:
    """Reads one CIFAR batch file into `(data, labels)`.

    `data` has shape `(N, 3, 32, 32)`, uint8. Only arrays, dicts, lists and
    bytes are unpickled; anything else is refused.

    Example:
    >>> import os, pickle, tempfile
    >>> import numpy as np
    >>> name = os.path.join(tempfile.mkdtemp(), "test_batch")
    >>> batch = {b"data": np.zeros((2, 3072), "uint8"), b"labels": [4, 2]}
    >>> with open(name, "wb") as f:
    ...     pickle.dump(batch, f, protocol=2)
    >>> data, labels = load_batch(name)
    >>> data.shape, labels
    ((2, 3, 32, 32), [4, 2])
    """
    batch = load_pickle(fpath)
    if not isinstance(batch, dict):
        raise ValueError(
            f"CIFAR batch {fpath!r} should hold a dict, but holds "
            f"{type(batch).__name__}. Delete the file and download it again."
        )
    batch = {_text(key): value for key, value in batch.items()}
    if "data" not in batch or label_key not in batch:
        raise ValueError(
            f"CIFAR batch {fpath!r} should have the keys 'data' and "
            f"{label_key!r}, but has {sorted(batch)}."
        )
    data = np.asarray(batch["data"])
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def locate_batches(
    path: str | os.PathLike | None,
    folder_name: str,
    origin: str,
    file_hash: str,
    loader: str,
) -> str:
    """Returns the folder that holds the batch files, downloading if needed.

    Example:
    >>> import os, tempfile
    >>> root = tempfile.mkdtemp()
    >>> os.mkdir(os.path.join(root, "cifar-10-batches-py"))
    >>> locate_batches(root, "cifar-10-batches-py", "", "", "demo").endswith("-py")
    True
    """
    if path is None:
        extracted = get_file(
            fname=f"{folder_name}-target", origin=origin, extract=True,
            file_hash=file_hash,
        )  # fmt: skip
        return os.path.join(extracted, folder_name)
    path = os.path.expanduser(os.fspath(path))
    if not os.path.isdir(path):
        raise FileNotFoundError(
            f"{loader}(path={path!r}): expected the folder that holds "
            f"{folder_name}/ (or that folder itself), extracted from {origin}."
        )
    inner = os.path.join(path, folder_name)
    return inner if os.path.isdir(inner) else path


def to_image_layout(x: np.ndarray) -> np.ndarray:
    """Transposes `(N, 3, 32, 32)` to `(N, 32, 32, 3)` under channels_last.

    Example:
    >>> to_image_layout(np.zeros((1, 3, 32, 32))).shape
    (1, 32, 32, 3)
    """
    if image_data_format() == "channels_last":
        return x.transpose(0, 2, 3, 1)
    return x


def _text(key: bytes | str) -> str:
    return key.decode("utf8") if isinstance(key, bytes) else key
