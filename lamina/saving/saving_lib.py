"""The Keras 3 `.keras` zip: `metadata.json`, `config.json`, `model.weights.h5`.

Members are stored uncompressed, in Keras's order. Loading reads only those
three members, into memory: nothing from the archive is ever extracted to
disk, so member names such as `../x` or `/etc/x` cannot write anywhere.
"""

import contextlib
import datetime
import io
import json
import os
import zipfile
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import h5py

from lamina.saving.atomic import atomic_path
from lamina.saving.errors import LoadError
from lamina.saving.h5_safety import open_h5
from lamina.saving.keras_weights import load_weights_from_group
from lamina.saving.keras_weights import save_weights_to_group
from lamina.saving.keras_weights import saveables

KERAS_FORMAT_VERSION = "3.15.1"
CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
MAX_JSON_BYTES = 256 * 2**20
MAX_MEMBERS = 10_000
MAX_EXPANSION = 100


def save_model(model: Any, filepath: str | os.PathLike) -> None:
    """Writes `model` (config, weights, optimizer state) as a `.keras` zip."""
    from lamina.saving.serialization_lib import serialize_keras_object

    config_json = json.dumps(serialize_keras_object(model))
    metadata_json = json.dumps(
        {
            "keras_version": KERAS_FORMAT_VERSION,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        }
    )
    weights = weights_to_bytes(model)
    with atomic_path(filepath) as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(METADATA_FILENAME, metadata_json)
            zf.writestr(CONFIG_FILENAME, config_json)
            zf.writestr(WEIGHTS_FILENAME, weights)


def weights_to_bytes(model: Any) -> bytes:
    """The model's weights as the bytes of a Keras 3 `.weights.h5` file."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        save_weights_to_group(model, h5)
    return buffer.getvalue()


def load_model(
    filepath: str | os.PathLike,
    custom_objects: Mapping[str, Any] | None,
    compile: bool,
    safe_mode: bool,
) -> Any:
    """Reads a `.keras` zip written by Keras 3 or lamina."""
    from lamina.saving.object_registration import CustomObjectScope
    from lamina.saving.serialization_lib import check_config
    from lamina.saving.serialization_lib import deserialize_keras_object

    filename = os.fspath(filepath)
    config_text, weights, assets = read_members(filename)
    config = parse_json(config_text, f"{filename}/{CONFIG_FILENAME}")
    if not isinstance(config, dict):
        raise LoadError(f"'{filename}' holds a config.json that is not a dict.")
    if not compile:
        config.pop("compile_config", None)
    check_config(config, safe_mode, what=f"config of '{filename}'")
    with CustomObjectScope(dict(custom_objects or {})):
        model = deserialize_keras_object(config, custom_objects, safe_mode)
    if weights is not None:
        with open_h5(weights, f"{filename}/{WEIGHTS_FILENAME}") as h5:
            load_weights_from_group(model, h5, f"{filename}/{WEIGHTS_FILENAME}")
    load_assets(model, assets)
    return model


def load_weights(model: Any, filepath: str, skip_mismatch: bool = False) -> None:
    """Loads only the weights of a `.keras` zip into `model`."""
    _, weights, assets = read_members(filepath)
    if weights is None:
        raise LoadError(f"'{filepath}' holds no {WEIGHTS_FILENAME}.")
    with open_h5(weights, f"{filepath}/{WEIGHTS_FILENAME}") as h5:
        load_weights_from_group(
            model, h5, f"{filepath}/{WEIGHTS_FILENAME}", skip_mismatch
        )
    load_assets(model, assets)


def load_assets(model: Any, assets: dict[str, bytes]) -> None:
    """Hands each object its files from the zip's `assets/<path>/` (Keras's
    vocabularies, say), as bytes: nothing is written to disk or opened by
    path."""
    if not assets:
        return
    for path, obj in saveables(model):
        load_files = getattr(obj, "load_asset_files", None)
        prefix = f"assets/{path}/"
        files = {
            name[len(prefix) :]: data
            for name, data in assets.items()
            if name.startswith(prefix) and "/" not in name[len(prefix) :]
        }
        if load_files is not None and files:
            load_files(files)


def read_members(filename: str) -> tuple[bytes, bytes | None, dict[str, bytes]]:
    """The `config.json`, `model.weights.h5` and `assets/` bytes of a `.keras` zip.

    Raises:
        LoadError: The zip is damaged, lacks `config.json`, has unsafe or
            too many member names, or declares members too large.
    """
    with _checked_archive(filename) as (zf, infos):
        if CONFIG_FILENAME not in infos:
            raise LoadError(
                f"'{filename}' is a zip without {CONFIG_FILENAME}, so it is "
                f"not a .keras model file."
            )
        config = _read_member(zf, infos[CONFIG_FILENAME], filename, MAX_JSON_BYTES)
        weights = None
        if WEIGHTS_FILENAME in infos:
            weights = _read_member(zf, infos[WEIGHTS_FILENAME], filename, None)
        assets = {
            name: _read_member(zf, info, filename, MAX_JSON_BYTES)
            for name, info in infos.items()
            if name.startswith("assets/") and not name.endswith("/")
        }
    return config, weights, assets


def read_member(filename: str, name: str, limit: int | None) -> bytes | None:
    """The bytes of member `name` of a `.keras` zip (`None` if absent), read
    with the same checks as `read_members`.

    Raises:
        LoadError: The zip is damaged or the member is oversized.
    """
    with _checked_archive(filename) as (zf, infos):
        info = infos.get(name)
        return None if info is None else _read_member(zf, info, filename, limit)


@contextlib.contextmanager
def _checked_archive(
    filename: str,
) -> Iterator[tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]]:
    """The open zip and its checked members; a damaged zip is a LoadError."""
    try:
        with zipfile.ZipFile(filename) as zf:
            yield zf, _checked_members(zf, filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as err:
        raise LoadError(
            f"Cannot read '{filename}' as a .keras zip: {err}. The file is "
            f"truncated or damaged; save it again."
        ) from err


def _checked_members(zf: zipfile.ZipFile, filename: str) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise LoadError(f"'{filename}' has {len(infos)} members; refused.")
    members = {}
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise LoadError(
                f"'{filename}' holds a member named {name!r}, a path that points "
                f"outside the archive. Keras never writes such names; the file "
                f"was crafted, and lamina refuses it."
            )
        members[name] = info
    return members


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str, limit: int | None
) -> bytes:
    declared = info.file_size
    too_big = limit is not None and declared > limit
    expands = (
        info.compress_type != zipfile.ZIP_STORED
        and declared > MAX_EXPANSION * max(info.compress_size, 1)
    )
    stored_lies = (
        info.compress_type == zipfile.ZIP_STORED and declared != info.compress_size
    )
    if too_big or expands or stored_lies:
        raise LoadError(
            f"'{filename}' member '{info.filename}' declares {declared} bytes "
            f"from {info.compress_size} stored bytes; refused as oversized or "
            f"inconsistent."
        )
    with zf.open(info) as member:
        data = member.read(declared + 1)
    if len(data) != declared:
        raise LoadError(
            f"'{filename}' member '{info.filename}' holds {len(data)} bytes, "
            f"not the {declared} it declares; the file is damaged."
        )
    return data


def parse_json(text: bytes | str, where: str) -> Any:
    """Parses JSON from a file, turning every failure into a `LoadError`."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:
        raise LoadError(
            f"'{where}' is not valid JSON (or is nested absurdly deep): {err}."
        ) from err
