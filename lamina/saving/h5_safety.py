"""Opening HDF5 files from strangers: only what the file itself stores.

`open_h5` checks every object before lamina reads anything: no external or
soft links, no virtual datasets, no external raw-data files, only numeric
datasets, and no dataset that declares more data than the file stores (so
a tiny file cannot make lamina allocate gigabytes).
"""

import io
import os
import signal
import time
from typing import Any

import h5py
import numpy as np

from lamina.saving.errors import LoadError

MAX_COMPRESSION_RATIO = 1000
PROBE_SECONDS = 30.0
PROBE_BYTES_PER_SECOND = 50 * 2**20
MAX_OBJECTS = 1_000_000
_NUMERIC_KINDS = "biuf"


def open_h5(source: str | os.PathLike | bytes, filename: str) -> h5py.File:
    """Opens an HDF5 file read-only and checks it; `filename` names it in errors.

    Args:
        source: A path, or the bytes of the file (a `.keras` member).
        filename: The name to report in error messages.

    Raises:
        LoadError: The file is not HDF5, is damaged, or holds content that
            lamina refuses to follow.
    """
    probe_in_child(source, filename)
    try:
        handle = io.BytesIO(source) if isinstance(source, bytes) else source
        h5 = h5py.File(handle, "r")
    except (OSError, ValueError) as err:
        raise LoadError(
            f"Cannot open '{filename}' as an HDF5 file: {err}. The file is "
            f"truncated, damaged or not HDF5; save it again."
        ) from err
    try:
        check_h5(h5, filename)
    except LoadError:
        h5.close()
        raise
    return h5


def probe_in_child(source: str | os.PathLike | bytes, filename: str) -> None:
    """Reads the whole file once in a forked child before lamina trusts it.

    The HDF5 C library can loop forever or crash on some damaged files
    (a corrupted global-heap length, for one), and C code cannot be
    interrupted from Python. The child reads every attribute and dataset;
    if it hangs it is killed, and if it dies the parent is unharmed. Only
    when it finishes does the parent read the same bytes itself. Where
    `fork` does not exist (Windows) the probe is skipped.

    Raises:
        LoadError: The child hung past its time limit or crashed.
    """
    if not hasattr(os, "fork"):
        return
    size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
    limit = PROBE_SECONDS + size / PROBE_BYTES_PER_SECOND
    pid = os.fork()
    if pid == 0:  # the child: read everything, report only by exit code
        code = 1
        try:
            _read_everything(source, filename)
            code = 0
        finally:
            os._exit(code)
    status = _wait_for(pid, limit)
    if status is None:
        raise LoadError(
            f"Reading '{filename}' did not finish within {limit:.0f} s: the HDF5 "
            f"library loops on this file, which is damaged or crafted."
        )
    if os.WIFSIGNALED(status):
        raise LoadError(
            f"Reading '{filename}' crashed the HDF5 library (signal "
            f"{os.WTERMSIG(status)}): the file is damaged or crafted."
        )


def _wait_for(pid: int, limit: float) -> int | None:
    deadline = time.monotonic() + limit
    delay = 0.0005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _read_everything(source: str | os.PathLike | bytes, filename: str) -> None:
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    with h5py.File(handle, "r") as h5:
        check_h5(h5, filename)
        stack: list[Any] = [h5]
        while stack:
            item = stack.pop()
            for key in item.attrs:
                item.attrs[key]
            if isinstance(item, h5py.Group):
                stack.extend(item[name] for name in item)
            else:
                item[()]


def check_h5(h5: h5py.File, filename: str) -> None:
    """Walks every link of `h5` (without recursion) and refuses unsafe ones.

    Raises:
        LoadError: An external or soft link, a virtual or externally stored
            dataset, a non-numeric dataset, a dataset that declares more
            bytes than are stored, or too many objects.
    """
    stack = [h5]
    count = 0
    while stack:
        group = stack.pop()
        for name in group:
            count += 1
            if count > MAX_OBJECTS:
                raise LoadError(
                    f"'{filename}' holds more than {MAX_OBJECTS} HDF5 objects."
                )
            _check_link(group, name, filename)
            item = group[name]
            if isinstance(item, h5py.Group):
                stack.append(item)
            elif isinstance(item, h5py.Dataset):
                check_dataset(item, filename)


def _check_link(group: h5py.Group, name: str, filename: str) -> None:
    link = group.get(name, getlink=True)
    if isinstance(link, (h5py.ExternalLink, h5py.SoftLink)):
        kind = "an external" if isinstance(link, h5py.ExternalLink) else "a soft"
        raise LoadError(
            f"'{filename}' holds {kind} link at '{group.name}/{name}'. lamina "
            f"reads only data stored in the file itself, and Keras never writes "
            f"links; the file was crafted or damaged."
        )


def check_dataset(dataset: h5py.Dataset, filename: str) -> None:
    """Refuses a dataset that is virtual, external, non-numeric or oversized."""
    where = f"'{filename}' dataset '{dataset.name}'"
    if dataset.is_virtual or dataset.external:
        raise LoadError(
            f"{where} takes its data from other files (a virtual or external "
            f"dataset). lamina reads only data stored in the file itself."
        )
    if dataset.dtype.kind not in _NUMERIC_KINDS:
        raise LoadError(
            f"{where} has dtype {dataset.dtype}; weights are numeric arrays."
        )
    declared = int(np.prod(dataset.shape, dtype=object)) * dataset.dtype.itemsize
    stored = dataset.id.get_storage_size()
    if dataset.chunks is None and stored < declared:
        raise LoadError(
            f"{where} declares shape {dataset.shape} ({declared} bytes) but the "
            f"file stores only {stored} bytes of it. The file is truncated or "
            f"crafted."
        )
    if dataset.chunks is not None and declared > stored * MAX_COMPRESSION_RATIO + 2**20:
        raise LoadError(
            f"{where} declares {declared} bytes from {stored} stored bytes, "
            f"more than {MAX_COMPRESSION_RATIO}x compression; refused."
        )


def read_array(dataset: Any, filename: str) -> np.ndarray:
    """Reads a checked dataset into memory, as a NumPy array."""
    try:
        return np.asarray(dataset[()])
    except (OSError, ValueError, TypeError) as err:
        raise LoadError(
            f"Cannot read dataset '{dataset.name}' of '{filename}': {err}. The "
            f"file is damaged."
        ) from err


def read_string_list(obj: Any, key: str) -> list[str]:
    """An HDF5 attribute holding names (bytes or str), as a list of `str`."""
    if key not in obj.attrs:
        return []
    values = obj.attrs[key]
    if isinstance(values, (bytes, str)):
        values = [values]
    names = []
    for value in np.asarray(values).reshape(-1).tolist():
        names.append(value.decode("utf-8") if isinstance(value, bytes) else str(value))
    return names


def read_text_attr(obj: Any, key: str, filename: str) -> str | None:
    """A string attribute (such as `model_config`), or `None` if absent."""
    if key not in obj.attrs:
        return None
    value = obj.attrs[key]
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, str):
        return value
    raise LoadError(f"'{filename}' attribute '{key}' is not text.")
