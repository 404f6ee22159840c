"""Load the pickled parts of data set files without running code from them.

IMDB and Reuters store ragged sequences as NumPy object arrays inside `.npz`
files, and CIFAR stores its batches as Python pickles. Both need pickle, which
can run arbitrary code. The unpickler here resolves only the three NumPy names
that rebuild a plain array; everything else (`os.system`, `builtins.eval`, ...)
is refused, and loaded object arrays are checked to hold only lists of ints.
"""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from typing import Any

import numpy as np

# The globals a pickled `numpy.ndarray` refers to, under both the NumPy 1
# (`numpy.core`) and NumPy 2 (`numpy._core`) module names, plus the codec call
# that protocol-2 pickles written by Python 3 use to store `bytes`.
_ARRAY_GLOBALS = frozenset(
    {
        ("_codecs", "encode"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)


class ArrayOnlyUnpickler(pickle.Unpickler):
    """An unpickler that can rebuild NumPy arrays, dicts, lists and bytes only.

    Example:
    >>> import io, pickle
    >>> data = pickle.dumps({"labels": [1, 2]})
    >>> ArrayOnlyUnpickler(io.BytesIO(data)).load()
    {'labels': [1, 2]}
    """

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ARRAY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load '{module}.{name}' from a data set file: only "
            "NumPy arrays, lists, dicts, numbers and bytes are allowed. The "
            "file is corrupted or malicious; delete it and download it again."
        )


def load_pickle(path: str | os.PathLike) -> Any:
    """Reads a Python 2 or 3 pickle with `ArrayOnlyUnpickler`.

    Byte strings stay `bytes` (Python 2 `str` objects load as `bytes`).

    Args:
        path: The pickle file.

    Returns:
        The loaded object.

    Example:
    >>> import os, pickle, tempfile
    >>> name = os.path.join(tempfile.mkdtemp(), "batch")
    >>> with open(name, "wb") as f:
    ...     pickle.dump({b"labels": [3]}, f, protocol=2)
    >>> load_pickle(name)
    {b'labels': [3]}
    """
    with open(path, "rb") as stream:
        return ArrayOnlyUnpickler(stream, encoding="bytes").load()


def load_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Loads every array of an `.npz` file without allowing code to run.

    Numeric arrays load with pickling disabled. Object arrays load through
    `ArrayOnlyUnpickler` and must hold lists of ints (ragged sequences).

    Args:
        path: The `.npz` file.

    Returns:
        A dict from member name (without `.npy`) to array.

    Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> name = os.path.join(tempfile.mkdtemp(), "a.npz")
    >>> ragged = np.empty(2, dtype=object)
    >>> ragged[:] = [[1, 2], [3]]
    >>> np.savez(name, x=ragged, y=np.arange(2))
    >>> arrays = load_npz(name)
    >>> arrays["x"].tolist(), arrays["y"].tolist()
    ([[1, 2], [3]], [0, 1])
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.endswith(".npy"):
                continue
            with archive.open(member) as raw:
                buffer = io.BytesIO(raw.read())
            name = member[: -len(".npy")]
            arrays[name] = _read_npy(buffer, path, name)
    return arrays


def _read_npy(buffer: io.BytesIO, path: Any, name: str) -> np.ndarray:
    version = np.lib.format.read_magic(buffer)
    header = _read_header(buffer, version)
    dtype = header[2]
    if not dtype.hasobject:
        buffer.seek(0)
        return np.lib.format.read_array(buffer, allow_pickle=False)
    array = ArrayOnlyUnpickler(buffer).load()
    _check_ragged_ints(array, path, name)
    return array


def _read_header(buffer: io.BytesIO, version: tuple[int, int]):
    if version[0] == 1:
        return np.lib.format.read_array_header_1_0(buffer)
    if version[0] in (2, 3):
        # Version 3 differs from 2 only in the header's text encoding; the
        # layout up to the pickle stream is the same.
        return np.lib.format.read_array_header_2_0(buffer)
    raise ValueError(f"Unsupported .npy format version {version}.")


def _check_ragged_ints(array: Any, path: Any, name: str) -> None:
    is_valid = isinstance(array, np.ndarray) and all(
        isinstance(row, list) and all(type(item) is int for item in row)
        for row in array.reshape(-1)
    )
    if not is_valid:
        raise ValueError(
            f"Array {name!r} in {os.fspath(path)!r} should be an object array of "
            "lists of ints (word indices), but holds something else. The file "
            "is corrupted or not a data set file; delete it and download it "
            "again."
        )
