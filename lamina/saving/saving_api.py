"""`save_model`, `load_model`, `save_weights`, `load_weights`: pick the format.

`.keras` is the Keras 3 zip; `.h5`/`.hdf5` the Keras 2 HDF5 layout;
`.weights.h5` Keras 3's weights-only file. On load, the format is read
from the file's first bytes, not from its name.
"""

import os
from collections.abc import Mapping
from typing import Any

from lamina.saving import legacy_h5
from lamina.saving import saving_lib
from lamina.saving.errors import LoadError

_ZIP_MAGIC = b"PK"
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


def save_model(
    model: Any, filepath: str | os.PathLike, overwrite: bool = True, **kwargs: Any
) -> None:
    """Saves a model to `.keras` (Keras 3 zip) or `.h5` (Keras 2 HDF5).

    Args:
        model: The model to save.
        filepath: Path ending in `.keras`, `.h5` or `.hdf5`.
        overwrite: Whether to replace an existing file. Defaults to `True`.

    Example:
    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.layers.Dense(1, input_shape=(2,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
    >>> save_model(model, path)
    >>> load_model(path).output_shape
    (None, 1)
    """
    kwargs.pop("save_format", None)
    kwargs.pop("include_optimizer", None)
    if kwargs:
        raise TypeError(
            f"save_model() got unexpected keyword argument(s) {sorted(kwargs)}. "
            f"Valid arguments: model, filepath, overwrite."
        )
    path = os.fspath(filepath)
    _check_overwrite(path, overwrite)
    if path.endswith(".keras"):
        saving_lib.save_model(model, path)
    elif path.endswith((".h5", ".hdf5")):
        legacy_h5.save_model(model, path)
    else:
        raise ValueError(
            f"Cannot save to '{path}': the file name must end in '.keras' (the "
            f"Keras 3 format) or '.h5' (the Keras 2 HDF5 format)."
        )


def _check_overwrite(path: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(path):
        raise FileExistsError(
            f"'{path}' exists and overwrite=False. Pass overwrite=True to "
            f"replace it, or choose another path."
        )


def load_model(
    filepath: str | os.PathLike,
    custom_objects: Mapping[str, Any] | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Loads a model saved by lamina or by Keras (`.keras` or `.h5`).

    Args:
        filepath: Path of the file.
        custom_objects: Dict of your own classes and functions by name.
        compile: Whether to compile the model as it was when saved
            (optimizer state included). Defaults to `True`.
        safe_mode: Whether to refuse Python bytecode (lambdas) in the
            file. Defaults to `True`; pass `False` only for trusted files.

    Returns:
        The model, with its weights (and, if compiled, optimizer state).

    Raises:
        LoadError: The file is damaged, unsafe, or does not describe a
            model lamina can build. The message names the file.
    """
    path = os.fspath(filepath)
    kind = _file_kind(path)
    try:
        if kind == "zip":
            return saving_lib.load_model(path, custom_objects, compile, safe_mode)
        return legacy_h5.load_model(path, custom_objects, compile, safe_mode)
    except LoadError:
        raise
    except Exception as err:  # the file is untrusted: any failure is a file error
        raise LoadError(f"Cannot load a model from '{path}': {err}") from err


def _file_kind(path: str) -> str:
    if os.path.isdir(path):
        raise LoadError(
            f"'{path}' is a folder (a TensorFlow SavedModel?). lamina loads "
            f"'.keras' and '.h5' files."
        )
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file: '{path}'.")
    with open(path, "rb") as file:
        head = file.read(8)
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head == _HDF5_MAGIC:
        return "hdf5"
    raise LoadError(
        f"'{path}' is neither a .keras zip nor an HDF5 file (it starts with "
        f"{head!r}). The file is damaged or of another kind."
    )


def save_weights(
    model: Any, filepath: str | os.PathLike, overwrite: bool = True
) -> None:
    """Saves weights: `.weights.h5` in Keras 3's layout, other `.h5` in Keras 2's."""
    from lamina.saving.atomic import atomic_path

    path = os.fspath(filepath)
    _check_overwrite(path, overwrite)
    if path.endswith(".weights.h5"):
        weights = saving_lib.weights_to_bytes(model)
        with atomic_path(path) as temporary, open(temporary, "wb") as file:
            file.write(weights)
    elif path.endswith((".h5", ".hdf5")):
        legacy_h5.save_weights(model, path)
    else:
        raise ValueError(
            f"Cannot save weights to '{path}': the file name must end in "
            f"'.weights.h5' (Keras 3) or '.h5' (Keras 2 layout)."
        )


def load_weights(
    model: Any,
    filepath: str | os.PathLike,
    skip_mismatch: bool = False,
    by_name: bool = False,
) -> None:
    """Loads weights from `.weights.h5`, a Keras 2 `.h5`, or a `.keras` file.

    Args:
        model: The model to fill; it must have the saved architecture.
        filepath: The file.
        skip_mismatch: Skip (with a warning) layers whose weight counts or
            shapes differ, instead of raising.
        by_name: Keras 2 files only: match layers by name, not position.
    """
    from lamina.saving.h5_safety import open_h5
    from lamina.saving.keras_weights import load_weights_from_group

    path = os.fspath(filepath)
    try:
        if _file_kind(path) == "zip":
            saving_lib.load_weights(model, path, skip_mismatch)
            return
        with open_h5(path, path) as h5:
            is_legacy = "layer_names" in h5.attrs or "model_weights" in h5
        if is_legacy:
            legacy_h5.load_weights(model, path, by_name, skip_mismatch)
            return
        if by_name:
            raise ValueError(
                f"by_name=True works only with Keras 2 style .h5 files, but "
                f"'{path}' uses the Keras 3 layout. Drop by_name."
            )
        with open_h5(path, path) as h5:
            load_weights_from_group(model, h5, path, skip_mismatch)
    except (LoadError, ValueError, FileNotFoundError):
        raise
    except Exception as err:  # the file is untrusted: any failure is a file error
        raise LoadError(f"Cannot load weights from '{path}': {err}") from err
