"""Atomic file writes: a crash mid-save never damages the previous file."""

import contextlib
import os
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def atomic_path(filepath: str | os.PathLike, suffix: str = ".tmp") -> Iterator[str]:
    """Yields a temporary path beside `filepath`; moves it into place on success.

    The caller writes the whole file to the yielded path. Only when the
    block ends without error is the file flushed to disk and renamed over
    `filepath` with `os.replace` (atomic on POSIX and Windows). On any
    error, or if the process dies, the old file is untouched and the
    temporary file is removed (or left as a hidden `.tmp` beside it).
    `suffix` ends the temporary name, for writers that check extensions.

    Example:
    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with atomic_path(target) as temporary:
    ...     _ = open(temporary, "w").write("hi")
    >>> open(target).read()
    'hi'
    """
    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"Cannot save to '{filepath}': the folder '{folder}' does not exist. "
            f"Create it first (os.makedirs)."
        )
    handle, temporary = tempfile.mkstemp(
        dir=folder, prefix=f".{os.path.basename(filepath)}.", suffix=suffix
    )
    os.close(handle)
    try:
        yield temporary
        _flush_to_disk(temporary)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def _flush_to_disk(path: str) -> None:
    with open(path, "rb+") as file:
        os.fsync(file.fileno())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
