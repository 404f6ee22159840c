"""The Keras 2 HDF5 format: whole models (`m.h5`) and weights-only files.

Root attributes `model_config` (JSON), `training_config`, `keras_version`
and `backend`; group `model_weights` with `layer_names` and, per layer, an
ordered `weight_names` list. Weights are matched to layers by position
(or by layer name with `by_name=True`), in each layer's
`trainable_weights + non_trainable_weights` order.
"""

import json
import os
import warnings
from collections.abc import Mapping
from typing import Any

import h5py
import numpy as np
import torch

from lamina.saving.atomic import atomic_path
from lamina.saving.errors import LoadError
from lamina.saving.h5_safety import open_h5
from lamina.saving.h5_safety import read_array
from lamina.saving.h5_safety import read_string_list
from lamina.saving.h5_safety import read_text_attr
from lamina.saving.keras_weights import assign_checked
from lamina.saving.saving_lib import KERAS_FORMAT_VERSION
from lamina.saving.saving_lib import parse_json

_LAYER_KEYS = ("class_name", "config", "name", "inbound_nodes")
_LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "bce": "binary_crossentropy",
    "kld": "kl_divergence",
}


# -------------------------------------------------------------------- save
def save_model(model: Any, filepath: str | os.PathLike) -> None:
    """Writes `model` in the Keras 2 `.h5` layout (config, weights, optimizer)."""
    from lamina.saving.compile_config import get_compile_config

    config = legacy_model_config(model)
    compile_config = get_compile_config(model)
    with atomic_path(filepath) as temporary, h5py.File(temporary, "w") as h5:
        h5.attrs["keras_version"] = KERAS_FORMAT_VERSION
        h5.attrs["backend"] = "torch"
        h5.attrs["model_config"] = json.dumps(config)
        if compile_config is not None:
            h5.attrs["training_config"] = json.dumps(_training_config(compile_config))
        save_weights_to_group(model, h5.create_group("model_weights"))
        optimizer = getattr(model, "optimizer", None)
        if compile_config is not None and optimizer is not None and optimizer.built:
            _save_optimizer_weights(optimizer, h5)


def save_weights(model: Any, filepath: str | os.PathLike) -> None:
    """Writes only the weights, in the Keras 2 layout (`layer_names` at the root)."""
    with atomic_path(filepath) as temporary, h5py.File(temporary, "w") as h5:
        save_weights_to_group(model, h5)


def legacy_model_config(model: Any) -> dict[str, Any]:
    """`{"class_name", "config"}` with layer entries in Keras's legacy form."""
    config = model.get_config()
    layers = config.get("layers")
    if isinstance(layers, list):
        config["layers"] = [_legacy_layer_entry(layer) for layer in layers]
    return {"class_name": type(model).__name__, "config": config}


def _legacy_layer_entry(layer: Mapping[str, Any]) -> dict[str, Any]:
    entry = {key: layer[key] for key in _LAYER_KEYS if key in layer}
    if str(layer.get("module")).startswith("keras.src.ops."):
        entry["module"] = layer["module"]  # an op node is found by its module
    return entry


def _training_config(compile_config: Mapping[str, Any]) -> dict[str, Any]:
    config = {key: value for key, value in compile_config.items() if key != "optimizer"}
    # Keras 3 cannot read its own legacy files that name a loss by alias
    # ("mse"), so the full name is written; Keras 2 reads both.
    if isinstance(config["loss"], str):
        config["loss"] = _LOSS_ALIASES.get(config["loss"], config["loss"])
    optimizer = compile_config["optimizer"]
    config["optimizer_config"] = {
        "class_name": optimizer["class_name"],
        "config": optimizer["config"],
    }
    return config


def save_weights_to_group(model: Any, group: h5py.Group) -> None:
    """Writes `layer_names` and one group per layer with its `weight_names`."""
    group.attrs["layer_names"] = [layer.name.encode("utf8") for layer in model.layers]
    group.attrs["backend"] = b"torch"
    group.attrs["keras_version"] = KERAS_FORMAT_VERSION.encode("utf8")
    prefix = _name_prefix(model)
    for layer in model.layers:
        layer_group = group.create_group(layer.name)
        paths = variable_paths(layer, f"{prefix}{layer.name}")
        _save_subset(layer_group, legacy_weights(layer), paths)
    _save_subset(group.create_group("top_level_model_weights"), [], {})


def _name_prefix(model: Any) -> str:
    """Sequential weights are named `model/layer/kernel`, functional `layer/kernel`."""
    from lamina.models.sequential import Sequential

    return f"{model.name}/" if isinstance(model, Sequential) else ""


def legacy_weights(layer: Any) -> list[Any]:
    """A layer's weights in the order Keras 2 files store them."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def variable_paths(layer: Any, prefix: str) -> dict[int, str]:
    """Keras-style names (`gru/gru_cell/kernel`) of a layer's weights, by id."""
    paths: dict[int, str] = {}
    stack = [(layer, prefix)]
    while stack:
        current, path = stack.pop()
        for variable in current._trainable_variables + current._non_trainable_variables:
            paths.setdefault(id(variable), f"{path}/{variable.name}")
        for child in reversed(_child_layers(current)):
            stack.append((child, f"{path}/{child.name}"))
    return paths


def _child_layers(layer: Any) -> list[Any]:
    from lamina.layers.layer import Layer

    children = []
    for module in layer.children():
        if isinstance(module, Layer):
            children.append(module)
        elif isinstance(module, (torch.nn.ModuleList, torch.nn.ModuleDict)):
            items = (
                module.values() if isinstance(module, torch.nn.ModuleDict) else module
            )
            children.extend(item for item in items if isinstance(item, Layer))
    return children


def _save_subset(group: h5py.Group, weights: list[Any], paths: dict[int, str]) -> None:
    names = []
    for weight in weights:
        name = paths.get(id(weight), getattr(weight, "path", "weight"))
        while name in names:
            name = f"{name}_1"
        names.append(name)
        group.create_dataset(name, data=weight.detach().cpu().numpy())
    group.attrs["weight_names"] = [name.encode("utf8") for name in names]


def _save_optimizer_weights(optimizer: Any, h5: h5py.File) -> None:
    variables = list(optimizer.variables)
    names = [f"{optimizer.name}/iteration"]
    names += [
        f"{optimizer.name}/variable_{index}" for index in range(1, len(variables))
    ]
    if len(variables) > 1 and variables[1] is getattr(
        optimizer, "_learning_rate", None
    ):
        names[1] = f"{optimizer.name}/learning_rate"
    group = h5.create_group("optimizer_weights")
    group.attrs["weight_names"] = [name.encode("utf8") for name in names]
    for name, variable in zip(names, variables, strict=True):
        group.create_dataset(name, data=variable.detach().cpu().numpy())


# -------------------------------------------------------------------- load
def load_model(
    filepath: str | os.PathLike,
    custom_objects: Mapping[str, Any] | None,
    compile: bool,
    safe_mode: bool,
) -> Any:
    """Reads a whole model from a Keras 2 style `.h5` file."""
    from lamina.saving.compile_config import compile_from_config
    from lamina.saving.object_registration import CustomObjectScope
    from lamina.saving.serialization_lib import check_config
    from lamina.saving.serialization_lib import deserialize_keras_object

    filename = os.fspath(filepath)
    with open_h5(filename, filename) as h5:
        text = read_text_attr(h5, "model_config", filename)
        if text is None:
            raise LoadError(
                f"'{filename}' holds no model config: it is a weights-only file. "
                f"Build the model in code and call model.load_weights('{filename}')."
            )
        config = parse_json(text, f"{filename} model_config")
        check_config(config, safe_mode, what=f"model_config of '{filename}'")
        with CustomObjectScope(dict(custom_objects or {})):
            model = deserialize_keras_object(config, custom_objects, safe_mode)
        weights_group = h5["model_weights"] if "model_weights" in h5 else h5
        load_weights_from_group(model, weights_group, filename)
        training = read_text_attr(h5, "training_config", filename)
        if compile and training is not None:
            compile_from_config(model, parse_json(training, filename), custom_objects)
            _load_optimizer_weights(model, h5, filename)
    return model


def load_weights(
    model: Any,
    filepath: str | os.PathLike,
    by_name: bool = False,
    skip_mismatch: bool = False,
) -> None:
    """Loads Keras 2 layout weights (a weights file or a whole-model `.h5`)."""
    filename = os.fspath(filepath)
    with open_h5(filename, filename) as h5:
        group = h5["model_weights"] if "model_weights" in h5 else h5
        load_weights_from_group(model, group, filename, by_name, skip_mismatch)


def load_weights_from_group(
    model: Any,
    group: Any,
    filename: str,
    by_name: bool = False,
    skip_mismatch: bool = False,
) -> None:
    """Sets each layer's weights from `group`, matched by position or name.

    Raises:
        LoadError: The numbers of layers or weights differ, or a shape
            differs (unless `skip_mismatch=True`).
    """
    if not isinstance(group, h5py.Group):
        raise LoadError(f"'{filename}' model_weights is not a group.")
    saved = _saved_layers(group, filename)
    layers = [layer for layer in model.layers if legacy_weights(layer)]
    if by_name:
        _load_by_name(layers, saved, filename, skip_mismatch)
        return
    if len(saved) != len(layers):
        raise LoadError(
            f"'{filename}' stores weights for {len(saved)} layers "
            f"{[name for name, _ in saved]}, but model '{model.name}' has "
            f"{len(layers)} layers with weights {[layer.name for layer in layers]}. "
            f"Build the same architecture, or pass by_name=True to match layers "
            f"by name."
        )
    for layer, (name, arrays) in zip(layers, saved, strict=True):
        _set_layer(layer, arrays, name, filename, skip_mismatch)


def _saved_layers(
    group: h5py.Group, filename: str
) -> list[tuple[str, list[np.ndarray]]]:
    saved = []
    for name in read_string_list(group, "layer_names"):
        layer_group = group.get(name)
        if not isinstance(layer_group, h5py.Group):
            raise LoadError(
                f"'{filename}' lists layer {name!r} but has no group for it."
            )
        weight_names = read_string_list(layer_group, "weight_names")
        arrays = []
        for weight_name in weight_names:
            dataset = layer_group.get(weight_name)
            if not isinstance(dataset, h5py.Dataset):
                raise LoadError(
                    f"'{filename}' lists weight {weight_name!r} of layer {name!r}, "
                    f"but does not store it."
                )
            arrays.append(read_array(dataset, filename))
        if arrays:
            saved.append((name, arrays))
    return saved


def _load_by_name(
    layers: list[Any], saved: list[tuple[str, list]], filename: str, skip_mismatch: bool
) -> None:
    by_name = dict(saved)
    for layer in layers:
        if layer.name in by_name:
            _set_layer(layer, by_name[layer.name], layer.name, filename, skip_mismatch)


def _set_layer(
    layer: Any,
    arrays: list[np.ndarray],
    saved_name: str,
    filename: str,
    skip_mismatch: bool,
) -> None:
    weights = legacy_weights(layer)
    label = f"Layer '{layer.name}' ({type(layer).__name__})"
    if len(weights) != len(arrays):
        message = (
            f"{label} has {len(weights)} weights, but '{filename}' stores "
            f"{len(arrays)} for layer {saved_name!r}."
        )
        if skip_mismatch:
            warnings.warn(f"Skipped loading weights: {message}", stacklevel=4)
            return
        raise LoadError(f"{message} Pass skip_mismatch=True to skip such layers.")
    for weight, array in zip(weights, arrays, strict=True):
        try:
            assign_checked(weight, array, label, filename)
        except LoadError as err:
            if not skip_mismatch:
                raise
            warnings.warn(f"Skipped loading weights: {err}", stacklevel=4)


def _load_optimizer_weights(model: Any, h5: h5py.File, filename: str) -> None:
    group = h5.get("optimizer_weights")
    optimizer = getattr(model, "optimizer", None)
    if not isinstance(group, h5py.Group) or optimizer is None:
        return
    names = read_string_list(group, "weight_names")
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    variables = list(optimizer.variables)
    if len(names) != len(variables):
        warnings.warn(
            f"Skipping the optimizer state in '{filename}': it stores "
            f"{len(names)} values, but optimizer '{optimizer.name}' has "
            f"{len(variables)}. Training continues from a fresh optimizer state.",
            stacklevel=3,
        )
        return
    for name, variable in zip(names, variables, strict=True):
        dataset = group.get(name)
        if not isinstance(dataset, h5py.Dataset):
            raise LoadError(
                f"'{filename}' lists optimizer weight {name!r} but lacks it."
            )
        assign_checked(variable, read_array(dataset, filename), "Optimizer", filename)
