"""`version()`: lamina's version, read from the installed package metadata."""

import functools
import importlib.metadata


@functools.cache
def version() -> str:
    """The version of lamina, as `keras.version()` gives Keras's.

    Read from the package metadata that `pip install` wrote from
    `pyproject.toml`, so the version is written down in one place.

    Example:
    >>> version().count(".") >= 2
    True
    """
    try:
        return importlib.metadata.version("lamina")
    except importlib.metadata.PackageNotFoundError:
        # A source tree on sys.path that was never installed has no metadata.
        return "0+unknown"
