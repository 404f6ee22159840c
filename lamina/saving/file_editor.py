"""`KerasFileEditor`: inspect, edit and resave the weights of a Keras 3 file.

The file is read through lamina's safe loading code: a `.keras` zip is read
member by member into memory (nothing is extracted to disk), and the HDF5
weights are checked by `open_h5` (no external or soft links, no virtual or
external datasets, no oversized declarations) before any array is read.
"""

import os
from collections.abc import Callable
from typing import Any

import h5py
import numpy as np

from lamina.saving.atomic import atomic_path
from lamina.saving.errors import LoadError
from lamina.saving.h5_safety import open_h5
from lamina.saving.h5_safety import read_array
from lamina.saving.saving_lib import MAX_JSON_BYTES
from lamina.saving.saving_lib import METADATA_FILENAME
from lamina.saving.saving_lib import WEIGHTS_FILENAME
from lamina.saving.saving_lib import parse_json
from lamina.saving.saving_lib import read_member
from lamina.saving.saving_lib import read_members
from lamina.utils.progbar import print_msg

WeightsDict = dict[str, Any]


class KerasFileEditor:
    """Opens a `.keras` or `.weights.h5` file to inspect and edit its weights.

    The weights become a nested dict, `editor.weights_dict`, that mirrors the
    file's layout: `{"layers": {"dense": {"0": kernel, "1": bias}}, ...}`.
    Objects (layers, the optimizer) are dicts; weights are NumPy arrays keyed
    by their index. Edit them after an architecture change, then `save` a
    `.weights.h5` file that `model.load_weights` reads.

    Args:
        filepath: Path of a local `.keras` or `.weights.h5` file.

    Example:
    >>> import os, tempfile
    >>> import lamina
    >>> folder = tempfile.mkdtemp()
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(3)])
    >>> model.save(os.path.join(folder, "m.keras"))
    >>> editor = KerasFileEditor(os.path.join(folder, "m.keras"))  # doctest: +ELLIPSIS
    Keras model file ...
    >>> editor.rename_object("dense", "dense_renamed")
    >>> sorted(editor.weights_dict["layers"])
    ['dense_renamed']
    """

    def __init__(self, filepath: str | os.PathLike) -> None:
        self.filepath = os.fspath(filepath)
        self.metadata: dict[str, Any] | None = None
        self.config: dict[str, Any] | None = None
        self.model = None
        if self.filepath.endswith(".keras"):
            source, where = self._read_keras_zip()
        elif self.filepath.endswith(".weights.h5"):
            source, where = self.filepath, self.filepath
        else:
            raise ValueError(
                f"KerasFileEditor expected a path ending in '.keras' or "
                f"'.weights.h5', but received filepath={self.filepath!r}. Rename "
                f"the file or pass the right one."
            )
        self.object_metadata: dict[str, dict[str, Any]] = {}
        with open_h5(source, where) as h5:
            self.weights_dict = self._read_group(h5, "", where)
        print_msg(f"Keras model file '{self.filepath}'")
        if self.metadata is not None:
            print_msg(self._metadata_line())

    def _read_keras_zip(self) -> tuple[bytes, str]:
        config, weights, _ = read_members(self.filepath)
        where = f"{self.filepath}/{WEIGHTS_FILENAME}"
        if weights is None:
            raise LoadError(
                f"'{self.filepath}' holds no {WEIGHTS_FILENAME}, so it has no "
                f"weights to edit."
            )
        self.config = parse_json(config, f"{self.filepath}/config.json")
        self.metadata = self._read_metadata()
        return weights, where

    def _read_metadata(self) -> dict[str, Any] | None:
        where = f"{self.filepath}/{METADATA_FILENAME}"
        text = read_member(self.filepath, METADATA_FILENAME, MAX_JSON_BYTES)
        if text is None:
            return None
        metadata = parse_json(text, where)
        return metadata if isinstance(metadata, dict) else None

    def _read_group(self, group: h5py.Group, path: str, where: str) -> WeightsDict:
        """A group as a dict: its `vars` arrays and its non-empty subgroups.

        Unlike Keras 3.15, the subgroups of an object that also has a `vars`
        group are kept (a `MultiHeadAttention`'s dense layers, say), so a
        resaved file loses nothing.
        """
        result: WeightsDict = {}
        self._record_attrs(group, path)
        for key in group:
            item = group[key]
            if key == "vars" and isinstance(item, h5py.Group):
                self._record_attrs(item, path)
                for name in item:
                    result[name] = self._read_leaf(item[name], where)
            elif isinstance(item, h5py.Group):
                child = self._read_group(item, f"{path}/{key}", where)
                if child:
                    result[key] = child
            else:
                result[key] = self._read_leaf(item, where)
        return result

    def _read_leaf(self, item: Any, where: str) -> np.ndarray:
        if not isinstance(item, h5py.Dataset):
            raise LoadError(
                f"'{where}' entry '{item.name}' should be a dataset of weights, "
                f"but is a group. The file is not in the Keras 3 layout."
            )
        return read_array(item, where)

    def _record_attrs(self, group: h5py.Group, path: str) -> None:
        attrs = {key: _plain(group.attrs[key]) for key in group.attrs}
        if attrs:
            self.object_metadata.setdefault(path, {}).update(attrs)

    # ------------------------------------------------------------- inspect
    def summary(self) -> None:
        """Prints the weight structure of the opened file."""
        self.weights_summary()

    def weights_summary(self) -> None:
        """Prints the tree of objects and weights, with shapes and dtypes."""
        lines = ["Weights structure"]
        _tree_lines(self.weights_dict, "  ", "", True, self.object_metadata, lines)
        print_msg("\n".join(lines))

    def _metadata_line(self) -> str:
        version = self.metadata.get("keras_version", "unknown")
        date = self.metadata.get("date_saved", "unknown")
        return f"Saved with Keras {version} - date: {date}"

    def compare(self, reference_model: Any) -> dict[str, Any]:
        """Lists every mismatch between the file and `reference_model`.

        Args:
            reference_model: A lamina model whose weights the file should fit.

        Returns:
            A dict with `"status"` (`"success"` or `"error"`), `"error_count"`
            (mismatches found) and `"match_count"` (weights whose shapes match).
        """
        print_msg("Running comparison")
        reference = weight_spec(reference_model)
        messages: list[str] = []
        errors, matches = _compare(
            self.weights_dict,
            reference,
            "",
            ("saved file", "reference model"),
            messages,
        )
        unexpected = _missing_only(reference, self.weights_dict, "")
        messages += unexpected
        errors += len(unexpected)
        messages.append("─────────────────────")
        if errors == 0:
            plural = "" if matches == 1 else "s"
            messages.append(
                "Comparison successful: saved file is compatible with the "
                f"reference model\n    Found {matches} matching weight{plural}"
            )
        else:
            plural = "" if errors == 1 else "s"
            messages.append(
                f"Found {errors} error{plural}: saved file is not compatible "
                "with the reference model"
            )
        print_msg("\n".join(messages))
        status = "success" if errors == 0 else "error"
        return {"status": status, "error_count": errors, "match_count": matches}

    # ---------------------------------------------------------------- edit
    def rename_object(self, object_name: str, new_name: str) -> None:
        """Renames an object (a layer, say).

        Args:
            object_name: Name (`"dense_2"`) or path (`"layers/dense_2"`) of the
                object.
            new_name: Its new leaf name, without `/`.
        """
        if "/" in new_name:
            raise ValueError(
                f"KerasFileEditor.rename_object expected a leaf name without "
                f"'/', but received new_name={new_name!r}. Pass only the last "
                f"part of the path."
            )

        def rename(parent: WeightsDict, key: str) -> None:
            parent[new_name] = parent.pop(key)

        self._edit_object(rename, object_name)

    def delete_object(self, object_name: str) -> None:
        """Removes an object (a layer, say) and all its weights.

        Args:
            object_name: Name (`"dense_2"`) or path (`"layers/dense_2"`).
        """
        self._edit_object(lambda parent, key: parent.pop(key), object_name)

    def add_object(self, object_path: str, weights: dict[str, Any]) -> None:
        """Adds a new object with its weights.

        Args:
            object_path: Full path of the new object (`"layers/dense_2"`).
            weights: Dict of weight name (`"0"`, `"1"`, ...) to array.
        """
        weights = _checked_weights("add_object", weights)
        *parents, leaf = object_path.split("/")
        target = self.weights_dict
        for part in parents:
            if not isinstance(target.get(part), dict):
                raise ValueError(
                    f"KerasFileEditor.add_object: path '{'/'.join(parents)}' "
                    f"of object_path={object_path!r} is not in the file. Call "
                    f"editor.weights_summary() to list the objects."
                )
            target = target[part]
        target[leaf] = weights

    def delete_weight(self, object_name: str, weight_name: str) -> None:
        """Removes one weight (`"0"`, say) of an object.

        Args:
            object_name: Name (`"dense_2"`) or path (`"layers/dense_2"`).
            weight_name: The weight's name in the object.
        """

        def delete(parent: WeightsDict, key: str) -> None:
            if not isinstance(parent[key], dict) or weight_name not in parent[key]:
                found = list(parent[key]) if isinstance(parent[key], dict) else []
                raise ValueError(
                    f"KerasFileEditor.delete_weight: weight {weight_name!r} is "
                    f"not in object {object_name!r}. Weights found: {found}."
                )
            parent[key].pop(weight_name)

        self._edit_object(delete, object_name)

    def add_weights(self, object_name: str, weights: dict[str, Any]) -> None:
        """Adds or replaces weights of an existing object.

        Args:
            object_name: Name (`"dense_2"`) or path (`"layers/dense_2"`).
            weights: Dict of weight name (`"0"`, `"1"`, ...) to array.
        """
        weights = _checked_weights("add_weights", weights)

        def add(parent: WeightsDict, key: str) -> None:
            parent[key].update(weights)

        self._edit_object(add, object_name)

    def _edit_object(
        self, edit: Callable[[WeightsDict, str], Any], object_name: str
    ) -> None:
        if "/" in object_name:
            *parents, leaf = object_name.split("/")
            target = self.weights_dict
            for part in parents:
                target = target.get(part) if isinstance(target, dict) else None
            if not isinstance(target, dict) or leaf not in target:
                raise ValueError(
                    f"KerasFileEditor: path {object_name!r} is not in the file. "
                    f"Call editor.weights_summary() to list the objects."
                )
            edit(target, leaf)
            return
        parents = _parents_holding(self.weights_dict, object_name)
        if len(parents) != 1:
            problem = "appears nowhere" if not parents else "occurs more than once"
            raise ValueError(
                f"KerasFileEditor: name {object_name!r} {problem} in the file. "
                f"Pass a full path such as 'layers/{object_name}'; "
                f"editor.weights_summary() lists the objects."
            )
        edit(parents[0], object_name)

    # ---------------------------------------------------------------- save
    def save(self, filepath: str | os.PathLike) -> None:
        """Writes the edited weights as a `.weights.h5` file, atomically.

        Args:
            filepath: Destination path; must end in `.weights.h5`.
        """
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                f"KerasFileEditor.save expected a path ending in '.weights.h5', "
                f"but received filepath={filepath!r}. The editor writes weights "
                f"only; load them with model.load_weights(path)."
            )
        with atomic_path(filepath, suffix=".weights.h5") as temporary:
            with h5py.File(temporary, "w") as h5:
                _write_group(h5, self.weights_dict, "")

    def resave_weights(self, filepath: str | os.PathLike) -> None:
        """Same as `save`."""
        self.save(filepath)


def weight_spec(model: Any) -> WeightsDict:
    """`model`'s saved weights as shape stand-ins, nested as in a weights file."""
    from lamina.saving.keras_weights import own_variables
    from lamina.saving.keras_weights import saveables

    spec: WeightsDict = {}
    for path, obj in saveables(model):
        shapes = _own_shapes(obj, own_variables)
        if not shapes:
            continue
        target = spec
        for part in path.split("/") if path else []:
            target = target.setdefault(part, {})
        target.update(shapes)
    return spec


def _own_shapes(obj: Any, own_variables: Callable) -> dict[str, np.ndarray]:
    """Each saved weight of `obj` as a zero-size stand-in of its shape/dtype."""
    save_own = getattr(obj, "save_own_variables", None)
    if save_own is not None:
        store: dict[str, Any] = {}
        save_own(store)
        return {key: _stand_in(np.asarray(value)) for key, value in store.items()}
    return {
        str(index): _stand_in(variable.detach().cpu().numpy())
        for index, variable in enumerate(own_variables(obj))
    }


def _stand_in(array: np.ndarray) -> np.ndarray:
    # A broadcast view: the shape and dtype, without a copy of the values.
    return np.broadcast_to(np.zeros((), array.dtype), array.shape)


def _compare(
    target: WeightsDict,
    reference: WeightsDict,
    path: str,
    names: tuple[str, str],
    messages: list[str],
) -> tuple[int, int]:
    """Counts the reference's weights that `target` lacks or shapes otherwise."""
    target_name, reference_name = names
    errors = matches = 0
    for key, value in reference.items():
        inner = f"{path}/{key}"
        if key not in target:
            errors += 1
            kind = "Object" if isinstance(value, dict) else "Weight"
            messages.append(
                f"...{kind} {inner} present in {reference_name}, missing from "
                f"{target_name}"
            )
        elif isinstance(value, dict) and isinstance(target[key], dict):
            child_errors, child_matches = _compare(
                target[key], value, inner, names, messages
            )
            errors += child_errors
            matches += child_matches
        elif np.shape(target[key]) != np.shape(value) or isinstance(target[key], dict):
            errors += 1
            messages.append(
                f"...Weight shape mismatch for {inner}\n"
                f"    In {reference_name}: shape={_shape(value)}\n"
                f"    In {target_name}: shape={_shape(target[key])}"
            )
        else:
            matches += 1
    return errors, matches


def _missing_only(reference: WeightsDict, saved: WeightsDict, path: str) -> list[str]:
    """Messages for entries of the file that the reference model lacks."""
    messages = []
    for key, value in saved.items():
        inner = f"{path}/{key}"
        if key not in reference:
            kind = "Object" if isinstance(value, dict) else "Weight"
            messages.append(
                f"...{kind} {inner} present in saved file, missing from reference model"
            )
        elif isinstance(value, dict) and isinstance(reference[key], dict):
            messages += _missing_only(reference[key], value, inner)
    return messages


def _shape(value: Any) -> Any:
    return "object" if isinstance(value, dict) else tuple(np.shape(value))


def _parents_holding(weights: WeightsDict, name: str) -> list[WeightsDict]:
    """Every dict, at any depth, that has a key `name`."""
    found = [weights] if name in weights else []
    for value in weights.values():
        if isinstance(value, dict):
            found += _parents_holding(value, name)
    return found


def _checked_weights(method: str, weights: Any) -> dict[str, Any]:
    if not isinstance(weights, dict):
        raise TypeError(
            f"KerasFileEditor.{method} expected weights to be a dict of weight "
            f"name ('0', '1', ...) to array, but received "
            f"{type(weights).__name__}. Wrap the arrays: {{'0': kernel}}."
        )
    arrays = {str(key): np.asarray(value) for key, value in weights.items()}
    for key, array in arrays.items():
        if array.dtype.kind not in "biuf":
            raise TypeError(
                f"KerasFileEditor.{method} expected numeric arrays, but weight "
                f"{key!r} has dtype {array.dtype}. Weights files hold numbers "
                f"only; convert it with np.asarray(value, 'float32')."
            )
    return arrays


def _write_group(h5: h5py.Group, weights: WeightsDict, path: str) -> None:
    """Keras's layout: an object's arrays under `<path>/vars/<name>`."""
    arrays = {k: v for k, v in weights.items() if not isinstance(v, dict)}
    if arrays:
        group = h5.require_group(f"{path}/vars" if path else "vars")
        for name, value in arrays.items():
            group.create_dataset(name, data=np.asarray(value))
    for name, value in weights.items():
        if isinstance(value, dict) and value:
            _write_group(h5, value, f"{path}/{name}" if path else name)


def _tree_lines(
    weights: WeightsDict,
    prefix: str,
    path: str,
    is_first: bool,
    metadata: dict[str, dict[str, Any]],
    lines: list[str],
) -> None:
    """Appends the tree drawing of `weights` to `lines`, as Keras draws it."""
    for index, (key, value) in enumerate(weights.items()):
        inner = f"{path}/{key}"
        is_last = index == len(weights) - 1
        connector = "> " if is_first else ("└─ " if is_last else "├─ ")
        is_first = False
        if isinstance(value, dict):
            name = metadata.get(inner, {}).get("name")
            label = f" ('{name}')" if name is not None else ""
            lines.append(f"{prefix}{connector}{key}{label}")
            child_prefix = prefix + ("    " if is_last else "│   ")
            _tree_lines(value, child_prefix, inner, False, metadata, lines)
        else:
            array = np.asarray(value)
            lines.append(
                f"{prefix}{connector}{key}: shape={array.shape}, dtype={array.dtype}"
            )


def _plain(value: Any) -> Any:
    """An HDF5 attribute as a plain Python value (bytes decoded)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value
