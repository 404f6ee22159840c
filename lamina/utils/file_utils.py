"""Download files once into a local cache, verify them, and unpack archives.

`get_file` keeps Keras's signature. The cache lives in `~/.lamina` (or the
folder named by the `LAMINA_HOME` environment variable). A download is written
to a temporary file in the destination folder and moved into place with
`os.replace` only after it is complete and its hash matches, so the cache never
holds a half-written file.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from pathlib import PurePosixPath

_logger = logging.getLogger(__name__)

_CHUNK_SIZE = 1 << 16
_NUM_ATTEMPTS = 3
_RETRY_DELAY_S = 0.2
_TIMEOUT_S = 30.0
# Errors after which a second attempt may succeed: the server dropped the
# connection or sent fewer bytes than it announced.
_TRANSIENT_ERRORS = (
    http.client.IncompleteRead,
    http.client.RemoteDisconnected,
    ConnectionResetError,
    ConnectionAbortedError,
    TimeoutError,
)


class _IncompleteDownload(OSError):
    """The server closed the stream before sending the announced length."""


def cache_root(cache_dir: str | os.PathLike | None = None) -> str:
    """Returns the folder that holds lamina's downloaded files.

    Args:
        cache_dir: Explicit folder. Defaults to `$LAMINA_HOME` if set, else
            `~/.lamina`.

    Returns:
        The folder as an absolute path string (it may not exist yet).

    Example:
    >>> cache_root("/tmp/my_cache")
    '/tmp/my_cache'
    """
    if cache_dir is None:
        cache_dir = os.environ.get("LAMINA_HOME") or os.path.join("~", ".lamina")
    return os.path.abspath(os.path.expanduser(os.fspath(cache_dir)))


def hash_file(fpath: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Computes the hex digest of a file.

    Args:
        fpath: Path of the file.
        algorithm: `"sha256"` or `"md5"`. Defaults to `"sha256"`.

    Returns:
        The lowercase hex digest.

    Example:
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     name = os.path.join(folder, "a.txt")
    ...     _ = open(name, "wb").write(b"abc")
    ...     hash_file(name, "md5")
    '900150983cd24fb0d6963f7d28e17f72'
    """
    hasher = _new_hasher(algorithm)
    with open(fpath, "rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK_SIZE), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(
    fpath: str | os.PathLike, file_hash: str, algorithm: str = "auto"
) -> bool:
    """Tells whether a file's hash equals `file_hash`.

    Args:
        fpath: Path of the file.
        file_hash: Expected sha256 or md5 hex digest.
        algorithm: `"sha256"`, `"md5"` or `"auto"` (sha256 for 64 hex digits,
            md5 otherwise). Defaults to `"auto"`.

    Returns:
        `True` when the digests match.

    Example:
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     name = os.path.join(folder, "a.txt")
    ...     _ = open(name, "wb").write(b"abc")
    ...     validate_file(name, "900150983cd24fb0d6963f7d28e17f72")
    True
    """
    algorithm = _resolve_algorithm(algorithm, file_hash)
    return hash_file(fpath, algorithm) == str(file_hash).lower()


def get_file(
    fname: str | os.PathLike | None = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: str | list[str] | None = "auto",
    cache_dir: str | os.PathLike | None = None,
    force_download: bool = False,
) -> str:
    """Downloads a file from a URL unless it is already in the cache.

    The file lands in `cache_dir/cache_subdir/fname` (by default
    `~/.lamina/datasets/fname`). A cached file whose hash does not match
    `file_hash` is downloaded again. Archives (`.tar`, `.tar.gz`, `.tar.bz2`,
    `.zip`) can be extracted; members with absolute paths, `..` components or
    links leaving the target folder are refused.

    Args:
        fname: Local file name. Defaults to the last part of `origin`'s path.
            With `extract=True`, a name without an extension names the
            extraction folder.
        origin: URL of the file.
        untar: Deprecated alias of `extract=True, archive_format="tar"`.
        md5_hash: Deprecated; md5 digest to verify (use `file_hash`).
        file_hash: Expected sha256 or md5 digest of the downloaded file.
        cache_subdir: Folder under the cache root; an absolute path is used
            as is. Defaults to `"datasets"`.
        hash_algorithm: `"sha256"`, `"md5"` or `"auto"` (by digest length).
            Defaults to `"auto"`.
        extract: Whether to extract the downloaded archive. Defaults to `False`.
        archive_format: `"auto"` (tar then zip), `"tar"`, `"zip"`, a list of
            those, or `None`. Defaults to `"auto"`.
        cache_dir: Cache root. Defaults to `$LAMINA_HOME` or `~/.lamina`.
        force_download: Download even when a valid cached copy exists.
            Defaults to `False`.

    Returns:
        The path of the file, or of the extraction folder with `extract=True`.

    Raises:
        ConnectionError: The file is not cached and cannot be downloaded.
        ValueError: The download does not match `file_hash`, or an archive
            holds an unsafe member.

    Example:
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> os.makedirs(os.path.join(folder, "datasets"))
    >>> _ = open(os.path.join(folder, "datasets", "a.txt"), "w").write("hi")
    >>> path = get_file("a.txt", origin="http://127.0.0.1:9/a.txt",
    ...                 cache_dir=folder)
    >>> open(path).read()
    'hi'
    """
    if origin is None:
        raise ValueError(
            "get_file() needs origin=, the URL of the file to download. "
            "Received origin=None."
        )
    if md5_hash is not None and file_hash is None:
        file_hash = md5_hash
        hash_algorithm = "md5"
    datadir = _writable_datadir(cache_root(cache_dir), cache_subdir)
    fname = _resolve_fname(fname, origin)
    extract = extract or untar
    if untar:
        archive_format = "tar"
    download_target, extraction_dir = _targets(datadir, fname, extract)

    downloaded = False
    if force_download or _needs_download(download_target, file_hash, hash_algorithm):
        _download(origin, download_target, file_hash, hash_algorithm)
        downloaded = True
    if not extract:
        return download_target
    if downloaded or not os.path.isdir(extraction_dir):
        if not extract_archive(download_target, extraction_dir, archive_format):
            warnings.warn(
                f"get_file() could not extract {download_target!r}: it is not "
                f"an archive of format archive_format={archive_format!r}. "
                "Pass the right archive_format, or extract=False.",
                stacklevel=2,
            )
    return extraction_dir


def extract_archive(
    file_path: str | os.PathLike,
    path: str | os.PathLike = ".",
    archive_format: str | list[str] | None = "auto",
) -> bool:
    """Extracts a tar or zip archive safely.

    The archive is unpacked into a temporary folder beside `path`, then moved
    to `path`, so a failed extraction leaves nothing half-written. Members
    with absolute paths, `..` components, links leaving the folder, or
    device files are refused with a `ValueError`.

    Args:
        file_path: The archive.
        path: Destination folder (replaced if it exists). Defaults to `"."`.
        archive_format: `"auto"` (tar then zip), `"tar"`, `"zip"`, a list of
            those, or `None` (extract nothing). Defaults to `"auto"`.

    Returns:
        `True` if the file matched a format and was extracted.

    Example:
    >>> import os, tempfile, zipfile
    >>> folder = tempfile.mkdtemp()
    >>> archive = os.path.join(folder, "a.zip")
    >>> with zipfile.ZipFile(archive, "w") as z:
    ...     z.writestr("inner/x.txt", "hello")
    >>> extract_archive(archive, os.path.join(folder, "out"))
    True
    >>> open(os.path.join(folder, "out", "inner", "x.txt")).read()
    'hello'
    """
    file_path = os.fspath(file_path)
    path = os.path.abspath(os.fspath(path))
    for archive_type in _archive_formats(archive_format):
        if archive_type == "tar" and tarfile.is_tarfile(file_path):
            _extract_atomically(file_path, path, _extract_tar)
            return True
        if archive_type == "zip" and zipfile.is_zipfile(file_path):
            _extract_atomically(file_path, path, _extract_zip)
            return True
    return False


def _new_hasher(algorithm: str):
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "md5":
        return hashlib.md5()
    raise ValueError(
        f"Unknown hash_algorithm={algorithm!r}. Use 'sha256', 'md5' or 'auto'."
    )


def _resolve_algorithm(algorithm: str, file_hash: str | None) -> str:
    if algorithm != "auto":
        return algorithm
    if file_hash is not None and len(str(file_hash)) == 64:
        return "sha256"
    return "md5"


def _writable_datadir(root: str, cache_subdir: str) -> str:
    # As Keras does: fall back to the temp folder when the cache root is not
    # writable (read-only home directories on clusters).
    if os.path.isdir(root) and not os.access(root, os.W_OK):
        root = os.path.join(tempfile.gettempdir(), ".lamina")
    datadir = os.path.join(root, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    return datadir


def _resolve_fname(fname: str | os.PathLike | None, origin: str) -> str:
    if fname is None or fname == "":
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"get_file() cannot derive a file name from origin={origin!r}. "
                "Pass fname='name.ext'."
            )
        return fname
    fname = os.fspath(fname)
    if os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(
            f"get_file() takes a bare file name, but received fname={fname!r}. "
            "Pass the folder as cache_dir= (or cache_subdir=) and the name as "
            "fname=."
        )
    return fname


def _targets(datadir: str, fname: str, extract: bool) -> tuple[str, str | None]:
    if not extract:
        return os.path.join(datadir, fname), None
    if "." in fname:
        stem = fname[: fname.find(".")]
        return os.path.join(datadir, fname), os.path.join(datadir, f"{stem}_extracted")
    return os.path.join(datadir, f"{fname}_archive"), os.path.join(datadir, fname)


def _needs_download(target: str, file_hash: str | None, algorithm: str) -> bool:
    if not os.path.exists(target):
        return True
    if file_hash is None or validate_file(target, file_hash, algorithm):
        return False
    _logger.warning(
        "Cached file %s does not match the expected hash %s; downloading it again.",
        target,
        file_hash,
    )
    return True


def _download(origin: str, target: str, file_hash: str | None, algorithm: str):
    folder = os.path.dirname(target)
    _logger.info("Downloading data from %s", origin)
    descriptor, temp_path = tempfile.mkstemp(
        dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".part"
    )
    os.close(descriptor)
    try:
        _fetch_with_retries(origin, temp_path, target)
        _check_hash(temp_path, origin, file_hash, algorithm)
        os.replace(temp_path, target)
    finally:
        if os.path.exists(temp_path):
            os.remove(temp_path)


def _fetch_with_retries(origin: str, temp_path: str, target: str) -> None:
    for attempt in range(1, _NUM_ATTEMPTS + 1):
        try:
            _fetch(origin, temp_path)
            return
        except urllib.error.HTTPError as err:
            if err.code < 500 or attempt == _NUM_ATTEMPTS:
                raise _offline_error(
                    origin, target, f"HTTP {err.code} {err.reason}"
                ) from err
        except urllib.error.URLError as err:
            # Connection refused, unknown host, no network: retrying will not help.
            raise _offline_error(origin, target, str(err.reason)) from err
        except (*_TRANSIENT_ERRORS, _IncompleteDownload) as err:
            if attempt == _NUM_ATTEMPTS:
                reason = f"the connection dropped {_NUM_ATTEMPTS} times ({err!r})"
                raise _offline_error(origin, target, reason) from err
        _logger.warning("Download of %s failed; retrying (%d).", origin, attempt)
        time.sleep(_RETRY_DELAY_S * attempt)


def _fetch(origin: str, temp_path: str) -> None:
    with urllib.request.urlopen(origin, timeout=_TIMEOUT_S) as response:
        expected = response.headers.get("Content-Length")
        received = 0
        with open(temp_path, "wb") as out:
            for chunk in iter(lambda: response.read(_CHUNK_SIZE), b""):
                out.write(chunk)
                received += len(chunk)
    if expected is not None and received != int(expected):
        raise _IncompleteDownload(f"received {received} of {expected} bytes")


def _check_hash(path: str, origin: str, file_hash: str | None, algorithm: str):
    if file_hash is None:
        return
    algorithm = _resolve_algorithm(algorithm, file_hash)
    actual = hash_file(path, algorithm)
    if actual != str(file_hash).lower():
        raise ValueError(
            f"Incomplete or corrupted file downloaded from {origin}: its "
            f"{algorithm} hash is {actual}, but file_hash={file_hash}. The file "
            "was removed; try again, or check that origin= and file_hash= "
            "belong together."
        )


def _offline_error(origin: str, target: str, reason: str) -> ConnectionError:
    return ConnectionError(
        f"Cannot download {origin} ({reason}), and no valid copy is cached. "
        f"Download the file elsewhere and place it at {target}, or set "
        "LAMINA_HOME to a folder that holds it."
    )


def _archive_formats(archive_format: str | list[str] | None) -> list[str]:
    if archive_format is None:
        return []
    if archive_format == "auto":
        return ["tar", "zip"]
    formats = (
        [archive_format] if isinstance(archive_format, str) else list(archive_format)
    )
    for name in formats:
        if name not in ("tar", "zip"):
            raise ValueError(
                f"Unknown archive_format={name!r}. Use 'auto', 'tar', 'zip' or None."
            )
    return formats


def _extract_atomically(file_path: str, path: str, extract_into) -> None:
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(path)}.")
    try:
        extract_into(file_path, staging)
        if os.path.isdir(path):
            shutil.rmtree(path)
        os.replace(staging, path)
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging)


def _unsafe_member_error(file_path: str, member: str, why: str) -> ValueError:
    return ValueError(
        f"Refusing to extract {file_path!r}: member {member!r} {why}. Archives "
        "may only hold relative paths inside the extraction folder; the "
        "archive may be malicious."
    )


def _check_member_name(file_path: str, name: str) -> None:
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or os.path.isabs(name) or (len(name) > 1 and name[1] == ":"):
        raise _unsafe_member_error(file_path, name, "has an absolute path")
    if ".." in posix.parts:
        raise _unsafe_member_error(file_path, name, "contains '..'")


def _extract_tar(file_path: str, folder: str) -> None:
    with tarfile.open(file_path) as archive:
        members = archive.getmembers()
        for member in members:
            _check_member_name(file_path, member.name)
            if member.issym() or member.islnk():
                _check_link(file_path, member)
            elif not (member.isfile() or member.isdir()):
                raise _unsafe_member_error(file_path, member.name, "is a device file")
        if hasattr(tarfile, "data_filter"):
            archive.extractall(folder, members=members, filter="data")
        else:
            archive.extractall(folder, members=members)  # noqa: S202 (checked above)


def _check_link(file_path: str, member: tarfile.TarInfo) -> None:
    target = member.linkname
    if member.issym():
        target = str(PurePosixPath(member.name).parent / target)
    posix = PurePosixPath(target)
    if (
        os.path.isabs(member.linkname)
        or ".." in PurePosixPath(os.path.normpath(str(posix))).parts
    ):
        raise _unsafe_member_error(
            file_path, member.name, f"links outside the folder (to {member.linkname!r})"
        )


def _extract_zip(file_path: str, folder: str) -> None:
    with zipfile.ZipFile(file_path) as archive:
        for info in archive.infolist():
            _check_member_name(file_path, info.filename)
        archive.extractall(folder)
