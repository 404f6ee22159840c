"""Find a data set file: a local `path=` or the download cache."""

from __future__ import annotations

import os

from lamina.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def resolve_file(
    path: str | os.PathLike,
    origin: str,
    file_hash: str | None,
    loader: str,
    cache_subdir: str = "datasets",
) -> str:
    """Returns a usable local file for a data set loader.

    An absolute `path` is used as is, with no download
    and no hash check. Otherwise `path` is a file name in the cache and the
    file is downloaded once from `origin` and verified against `file_hash`.

    Args:
        path: File name in the cache, or a local file.
        origin: URL to download from.
        file_hash: Expected sha256 (or md5) digest of the download.
        loader: The calling function, for error messages.
        cache_subdir: Folder under the cache root. Defaults to `"datasets"`.

    Returns:
        The local path.

    Example:
    >>> import tempfile
    >>> name = tempfile.mkstemp()[1]
    >>> resolve_file(name, "http://127.0.0.1:9/x", None, "demo") == name
    True
    """
    path = os.path.expanduser(os.fspath(path))
    if os.path.isabs(path):
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"{loader}(path={path!r}): no such file. Pass the absolute path "
                "of an existing file, or a bare file name to use the download "
                "cache."
            )
        return path
    try:
        return get_file(
            fname=path, origin=origin, file_hash=file_hash, cache_subdir=cache_subdir
        )
    except ConnectionError as err:
        raise ConnectionError(
            f"{loader}() could not get {path!r}: {err} Or pass "
            f"{loader}(path='/absolute/path/to/{path}') to load a local copy."
        ) from err
