"""Keras 3's weight layout in HDF5: `layers/<name>/vars/<i>`, `optimizer/vars/<i>`.

Keras walks a model's attributes and names each layer by its snake-case
class name and a counter in `model.layers` order (`dense`, `dense_1`), not
by the user's layer name (that is the `name` attribute of the `vars`
group). Nested layers sit under the attribute that holds them
(`layers/gru/cell/vars/0`, `layers/bidirectional/forward_layer/...`).
lamina walks its modules the same way, so the paths match.
"""

import warnings
from collections.abc import Iterator
from typing import Any

import h5py
import numpy as np
import torch

from lamina.saving.errors import LoadError
from lamina.saving.h5_safety import read_array


def to_snake_case(name: str) -> str:
    """Keras's snake case of a class name (`"GRU"` -> `"gru"`)."""
    from lamina.layers.naming import to_snake_case as layer_snake_case

    return layer_snake_case(name)


def saveables(model: Any) -> list[tuple[str, Any]]:
    """`(path, object)` for the model, each nested layer, and the optimizer."""
    found: list[tuple[str, Any]] = []
    visited: set[int] = set()
    _visit(model, "", visited, found)
    return found


def _visit(obj: Any, path: str, visited: set[int], found: list) -> None:
    if id(obj) in visited:
        return
    visited.add(id(obj))
    found.append((path, obj))
    for attr, child in _children(obj):
        child_path = f"{path}/{attr}" if path else attr
        if isinstance(child, list):
            _visit_container(child, child_path, visited, found)
        else:
            _visit(child, child_path, visited, found)


def _visit_container(items: list, path: str, visited: set[int], found: list) -> None:
    used: dict[str, int] = {}
    for item in items:
        if isinstance(item, list):
            name = _unique("container", used)
            _visit_container(item, f"{path}/{name}", visited, found)
        elif id(item) not in visited:
            name = _unique(to_snake_case(type(item).__name__), used)
            _visit(item, f"{path}/{name}", visited, found)
        else:
            _unique(to_snake_case(type(item).__name__), used)


def _unique(name: str, used: dict[str, int]) -> str:
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _children(obj: Any) -> Iterator[tuple[str, Any]]:
    from lamina.layers.layer import Layer
    from lamina.models.model import Model

    if not isinstance(obj, Layer):
        return
    if isinstance(obj, Model) and _is_graph_model(obj):
        yield "layers", list(obj.layers)
    attrs: dict[str, Any] = {}
    for name, module in obj._modules.items():
        if isinstance(module, Layer):
            attrs[name] = module
        elif isinstance(module, (torch.nn.ModuleList, torch.nn.ModuleDict)):
            values = (
                module.values() if isinstance(module, torch.nn.ModuleDict) else module
            )
            attrs[name] = [item for item in values if isinstance(item, Layer)]
    optimizer = getattr(obj, "optimizer", None) if isinstance(obj, Model) else None
    if optimizer is not None:
        attrs["optimizer"] = optimizer
    for name in sorted(
        attrs, key=lambda key: f"~{key}" if key.startswith("_") else key
    ):
        yield name, attrs[name]


def _is_graph_model(model: Any) -> bool:
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential

    return isinstance(model, (Functional, Sequential))


# -------------------------------------------------------------- variables
def own_variables(obj: Any) -> list[Any]:
    """The tensors Keras saves for one object, in Keras's order."""
    from lamina.optimizers.optimizer import Optimizer

    if isinstance(obj, Optimizer):
        return list(obj.variables)
    return list(obj._trainable_variables) + list(obj._non_trainable_variables)


def _to_numpy(tensor: Any) -> np.ndarray:
    return tensor.detach().cpu().numpy()


def save_weights_to_group(model: Any, h5: h5py.Group) -> None:
    """Writes every saveable's variables under `h5` in Keras 3's layout."""
    for path, obj in saveables(model):
        group = h5.require_group(f"{path}/vars" if path else "vars")
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        save_own = getattr(obj, "save_own_variables", None)
        if save_own is not None:
            store: dict[str, Any] = {}
            save_own(store)
            for key, value in store.items():
                group.create_dataset(key, data=np.asarray(value))
            continue
        for index, variable in enumerate(own_variables(obj)):
            group.create_dataset(str(index), data=_to_numpy(variable))


def load_weights_from_group(
    model: Any, h5: h5py.Group, filename: str, skip_mismatch: bool = False
) -> None:
    """Reads Keras 3 layout weights from `h5` into `model` (and its optimizer).

    Raises:
        LoadError: A layer's weights are missing or have other counts or
            shapes than the model's (unless `skip_mismatch=True`).
    """
    from lamina.optimizers.optimizer import Optimizer

    for path, obj in saveables(model):
        if isinstance(obj, Optimizer):
            _load_optimizer(obj, model, h5, path, filename)
            continue
        group = h5.get(f"{path}/vars" if path else "vars")
        try:
            _load_own(obj, group, path, filename)
        except LoadError as err:
            if not skip_mismatch:
                raise
            warnings.warn(f"Skipped loading weights: {err}", stacklevel=3)


def _stored_arrays(group: Any, filename: str) -> list[np.ndarray]:
    if group is None:
        return []
    if not isinstance(group, h5py.Group):
        raise LoadError(f"'{filename}' entry '{group.name}' should be a group.")
    keys = sorted(group.keys(), key=lambda key: int(key) if key.isdigit() else -1)
    if any(not key.isdigit() for key in keys):
        raise LoadError(
            f"'{filename}' group '{group.name}' holds non-numbered entries."
        )
    return [read_array(group[key], filename) for key in keys]


def _load_own(obj: Any, group: Any, path: str, filename: str) -> None:
    load_own = getattr(obj, "load_own_variables", None)
    if load_own is not None:  # takes Keras's named entries too (`idf_weights`)
        if group is not None and not isinstance(group, h5py.Group):
            raise LoadError(f"'{filename}' entry '{group.name}' should be a group.")
        keys = [] if group is None else list(group.keys())
        load_own({key: read_array(group[key], filename) for key in keys})
        return
    variables = own_variables(obj)
    arrays = _stored_arrays(group, filename) if variables or group is not None else []
    label = f"Layer '{obj.name}' ({type(obj).__name__}) at '{path or 'vars'}'"
    if len(arrays) != len(variables):
        raise LoadError(
            f"{label} has {len(variables)} weights, but '{filename}' stores "
            f"{len(arrays)} for it. The file was saved from a different model; "
            f"build the same architecture, or pass skip_mismatch=True."
        )
    for variable, array in zip(variables, arrays, strict=True):
        assign_checked(variable, array, label, filename)


def assign_checked(variable: Any, array: np.ndarray, label: str, filename: str) -> None:
    """Copies `array` into `variable`, refusing a shape mismatch."""
    if tuple(array.shape) != tuple(variable.shape):
        raise LoadError(
            f"{label}: weight '{getattr(variable, 'path', '?')}' has shape "
            f"{tuple(variable.shape)}, but '{filename}' stores shape "
            f"{tuple(array.shape)}. The file was saved from a different model; "
            f"pass skip_mismatch=True to skip such weights."
        )
    with torch.no_grad():
        value = torch.as_tensor(array, dtype=variable.dtype)
        variable.copy_(value.to(variable.device))


def _load_optimizer(
    optimizer: Any, model: Any, h5: Any, path: str, filename: str
) -> None:
    group = h5.get(f"{path}/vars")
    if group is None:
        return
    arrays = _stored_arrays(group, filename)
    # A file saved before any training step holds only iterations and the
    # learning rate; building the optimizer first would add slots it lacks.
    if not optimizer.built and len(arrays) != len(own_variables(optimizer)):
        optimizer.build(model.trainable_variables)
    variables = own_variables(optimizer)
    if len(arrays) != len(variables):
        warnings.warn(
            f"Skipping the optimizer state in '{filename}': optimizer "
            f"'{optimizer.name}' has {len(variables)} variables, but the file "
            f"stores {len(arrays)}. Training continues from a fresh optimizer "
            f"state.",
            stacklevel=3,
        )
        return
    for variable, array in zip(variables, arrays, strict=True):
        assign_checked(variable, array, f"Optimizer '{optimizer.name}'", filename)
