"""Keras 3's config dicts: `serialize_keras_object` and `deserialize_keras_object`.

A serialised object is `{"module", "class_name", "config", "registered_name"}`
plus `build_config`/`compile_config` for layers and models. On the way back,
the class is found only among lamina's own public classes (by family, e.g.
`"keras.layers"`), registered objects and `custom_objects`. The `module` a
config names is a hint for picking the family; it is never imported.
"""

import base64
import functools
import inspect
import marshal
import threading
import types
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from lamina.ops._symbolic import operation_from_config
from lamina.saving import object_registration
from lamina.saving.errors import LoadError

MAX_CONFIG_DEPTH = 100
FAMILIES = (
    "layers",
    "models",
    "losses",
    "metrics",
    "optimizers",
    "initializers",
    "regularizers",
    "constraints",
    "activations",
)
_KERAS_MODULES = {"Sequential": "keras", "Functional": "keras.src.models.functional"}
_PLAIN_TYPES = (str, int, float, bool)
# The safe_mode of the outermost load in progress, so that nested
# from_config calls (which may not take safe_mode) inherit it, as in Keras.
_SAFE_MODE = threading.local()
# Set by `enable_unsafe_deserialization()`: every later load runs unsafe.
_UNSAFE_DESERIALIZATION = {"enabled": False}


def enable_unsafe_deserialization() -> None:
    """Turns safe mode off for every later load, as Keras's function does.

    Afterwards `load_model`, `model_from_json` and `from_config` load Python
    lambdas and pickled modules even when called with `safe_mode=True`.
    Only do this for files you trust: loading them runs their code. There
    is no way back within the process, as in Keras.
    """
    _UNSAFE_DESERIALIZATION["enabled"] = True


def resolve_safe_mode(safe_mode: bool) -> bool:
    """`safe_mode`, or `False` once `enable_unsafe_deserialization()` ran.

    Example:
    >>> resolve_safe_mode(True)
    True
    """
    return bool(safe_mode) and not _UNSAFE_DESERIALIZATION["enabled"]


# ------------------------------------------------------------------ registry
@functools.cache
def builtin_objects() -> dict[str, dict[str, Any]]:
    """lamina's public classes and functions by family, then by name.

    Built from the package namespaces (`lamina.layers`, `lamina.losses`,
    ...): only classes and functions defined inside lamina count, so a
    config can never reach `os.system` or an imported module through them.
    """
    import lamina

    registry: dict[str, dict[str, Any]] = {}
    for family in FAMILIES:
        namespace = getattr(lamina, family)
        registry[family] = _public_objects(namespace)
    registry["optimizers"].update(_public_objects(lamina.optimizers.schedules))
    registry["models"]["Functional"] = lamina.models.Functional
    return registry


def _public_objects(namespace: Any) -> dict[str, Any]:
    objects = {}
    for name in dir(namespace):
        value = getattr(namespace, name)
        is_code = isinstance(value, (type, types.FunctionType))
        if name.startswith("_") or not is_code:
            continue
        if getattr(value, "__module__", "").startswith("lamina."):
            objects[name] = value
    return objects


def _family_of(obj: Any) -> str | None:
    for family in FAMILIES:
        if public_name(obj, family) is not None:
            return family
    return None


def public_name(obj: Any, family: str) -> str | None:
    """The name `obj` is exported under in `lamina.<family>`, `None` if none.

    Its own `__name__` when exported so; otherwise an alias (Keras writes
    `GroupQueryAttention` for its class `GroupedQueryAttention`).

    Example:
    >>> import lamina
    >>> public_name(lamina.layers.Dense, "layers")
    'Dense'
    """
    registry = builtin_objects()[family]
    name = getattr(obj, "__name__", None)
    if name is not None and registry.get(name) is obj:
        return name
    return next((key for key, value in registry.items() if value is obj), None)


# ---------------------------------------------------------------- serialize
def serialize_keras_object(obj: Any) -> Any:
    """Returns the JSON-ready config of `obj` in Keras 3's format.

    Layers and models get `build_config` (the shape they were built for)
    and models `compile_config` (the `compile()` arguments) when they have
    them.

    Args:
        obj: A lamina or registered object, a function, or plain data.

    Returns:
        Plain Python data (dicts, lists, strings, numbers, `None`).

    Example:
    >>> import lamina
    >>> config = serialize_keras_object(lamina.layers.Dropout(0.5, name="drop"))
    >>> config["module"], config["class_name"], config["config"]["rate"]
    ('keras.layers', 'Dropout', 0.5)
    """
    if obj is None or isinstance(obj, _PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(item) for item in obj]
    if isinstance(obj, Mapping) and not hasattr(obj, "get_config"):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    special = _serialize_special(obj)
    if special is not None:
        return special
    if isinstance(obj, types.FunctionType):
        return _serialize_function(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r} of type {type(obj).__name__}: it has no "
            f"get_config() method. Give the class get_config() (and "
            f"from_config() if the keys differ), and register it with "
            f"@lamina.saving.register_keras_serializable()."
        )
    config = _class_config(type(obj), serialize_keras_object(obj.get_config()))
    _add_build_and_compile_config(obj, config)
    return config


def _serialize_special(obj: Any) -> Any:
    from lamina.layers.core.operation_call import OperationCall
    from lamina.layers.keras_tensor import KerasTensor

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return {
            "class_name": "__numpy__",
            "config": {"value": obj.tolist(), "dtype": str(obj.dtype)},
        }
    if isinstance(obj, torch.Tensor):
        array = obj.detach().cpu().numpy()
        return {
            "class_name": "__tensor__",
            "config": {"value": array.tolist(), "dtype": str(array.dtype)},
        }
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        config = {"start": obj.start, "stop": obj.stop, "step": obj.step}
        return {"class_name": "__slice__", "config": config}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, KerasTensor):
        return keras_tensor_config(obj)
    if isinstance(obj, OperationCall):
        return obj.keras_config()
    return None


def keras_tensor_config(tensor: Any, history: list[Any] | None = None) -> dict:
    """The `__keras_tensor__` config Keras 3 writes into `inbound_nodes`."""
    if history is None and tensor._keras_history is not None:
        layer, node_index, tensor_index = tensor._keras_history
        history = [layer.name, node_index, tensor_index]
    return {
        "class_name": "__keras_tensor__",
        "config": {
            "shape": list(tensor.shape),
            "dtype": tensor.dtype,
            "keras_history": history,
        },
    }


def _serialize_function(function: types.FunctionType) -> dict[str, Any]:
    family = _family_of(function)
    name = object_registration.get_registered_name(function)
    return {
        "module": f"keras.{family}" if family else function.__module__,
        "class_name": "function",
        "config": public_name(function, family) if family else name,
        "registered_name": public_name(function, family) if family else name,
    }


def _class_config(cls: type, inner_config: Any) -> dict[str, Any]:
    family = _family_of(cls)
    registered = object_registration.GLOBAL_CUSTOM_NAMES.get(cls)
    if family is not None and registered is None:
        module = _KERAS_MODULES.get(cls.__name__, f"keras.{family}")
        return {
            "module": module,
            "class_name": public_name(cls, family),
            "config": inner_config,
            "registered_name": "Functional" if cls.__name__ == "Functional" else None,
        }
    return {
        "module": cls.__module__,
        "class_name": cls.__name__,
        "config": inner_config,
        "registered_name": registered or cls.__name__,
    }


def _add_build_and_compile_config(obj: Any, config: dict[str, Any]) -> None:
    get_build_config = getattr(obj, "get_build_config", None)
    if get_build_config is None:
        get_build_config = functools.partial(build_config_of, obj)
    build_config = get_build_config()
    if build_config is not None:
        config["build_config"] = serialize_keras_object(build_config)
    get_compile_config = getattr(obj, "get_compile_config", None)
    if get_compile_config is not None:
        compile_config = get_compile_config()
        if compile_config is not None:
            config["compile_config"] = serialize_keras_object(compile_config)


def build_config_of(obj: Any) -> dict[str, Any] | None:
    """`{"input_shape": ...}` for a built layer, as Keras writes it."""
    from lamina.layers.input_layer import InputLayer
    from lamina.layers.layer import Layer

    if not isinstance(obj, Layer) or isinstance(obj, InputLayer) or not obj.built:
        return None
    shapes = obj._build_shapes
    if shapes is None:
        return None
    return {"input_shape": _shape_to_list(shapes)}


def _shape_to_list(shapes: Any) -> Any:
    if isinstance(shapes, dict):
        return {key: _shape_to_list(value) for key, value in shapes.items()}
    if (
        isinstance(shapes, (list, tuple))
        and shapes
        and all(isinstance(item, (list, tuple)) or item is None for item in shapes)
        and any(isinstance(item, (list, tuple)) for item in shapes)
    ):
        return [_shape_to_list(item) for item in shapes]
    return list(shapes) if isinstance(shapes, (list, tuple)) else shapes


# -------------------------------------------------------------- safety scans
def check_config(config: Any, safe_mode: bool = True, what: str = "config") -> None:
    """Refuses configs nested too deep, and bytecode unless `safe_mode=False`.

    Runs without recursion, so a hostile config cannot raise `RecursionError`.

    Raises:
        LoadError: The config is nested deeper than `MAX_CONFIG_DEPTH`, or
            holds a Python lambda's bytecode while `safe_mode` is on.
    """
    safe_mode = resolve_safe_mode(safe_mode)
    stack: list[tuple[Any, int, str | None]] = [(config, 0, None)]
    while stack:
        value, depth, owner = stack.pop()
        if depth > MAX_CONFIG_DEPTH:
            raise LoadError(
                f"The {what} is nested more than {MAX_CONFIG_DEPTH} levels deep; "
                f"no real model needs that, so it is refused. Check that the "
                f"file is a model saved by Keras or lamina."
            )
        if isinstance(value, Mapping):
            owner = _owner_name(value, owner)
            if safe_mode and _holds_bytecode(value):
                raise unsafe_lambda_error(owner)
            children = value.values()
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        stack.extend((child, depth + 1, owner) for child in children)


def _owner_name(value: Mapping, owner: str | None) -> str | None:
    name = value.get("name")
    inner = value.get("config")
    if isinstance(inner, Mapping) and isinstance(inner.get("name"), str):
        name = inner["name"]
    return name if isinstance(name, str) else owner


def _holds_bytecode(value: Mapping) -> bool:
    if value.get("class_name") == "__lambda__":
        return True
    keras2_keys = ("function_type", "output_shape_type", "mask_type")
    return any(value.get(key) == "lambda" for key in keras2_keys)


def unsafe_lambda_error(owner: str | None) -> LoadError:
    """The error for Python bytecode met while `safe_mode` is on."""
    where = f"Layer '{owner}'" if owner else "The config"
    return LoadError(
        f"{where} holds the bytecode of a Python lambda; loading it would run "
        f"code from the file, so it is refused in safe mode. If you trust the "
        f"file, pass safe_mode=False (lamina.models.load_model(path, "
        f"safe_mode=False) or model_from_json(text, safe_mode=False)); better, "
        f"replace the lambda with a named function registered with "
        f"@lamina.saving.register_keras_serializable()."
    )


# -------------------------------------------------------------- deserialize
def deserialize_keras_object(
    config: Any,
    custom_objects: Mapping[str, Any] | None = None,
    safe_mode: bool = True,
    **kwargs: Any,
) -> Any:
    """Rebuilds an object from the config `serialize_keras_object` returned.

    Also reads Keras 2 configs (`{"class_name", "config"}` without
    `module`). Classes come from `custom_objects`, the open
    `custom_object_scope`, the registry of `register_keras_serializable`,
    and lamina's own public classes; nothing else is imported or run.

    Args:
        config: The config dict (or a name, list, or plain value).
        custom_objects: Dict of extra classes and functions by name.
        safe_mode: Whether to refuse Python bytecode (lambdas) in the
            config. Defaults to `True`.

    Returns:
        The object: a layer, model, loss, function, or plain value.

    Raises:
        LoadError: A class is unknown, the config is too deep or holds
            bytecode in safe mode.

    Example:
    >>> layer = deserialize_keras_object(
    ...     {"module": "keras.layers", "class_name": "Dropout",
    ...      "config": {"rate": 0.25, "name": "drop"}, "registered_name": None}
    ... )
    >>> type(layer).__name__, layer.rate
    ('Dropout', 0.25)
    """
    scoped = getattr(_SAFE_MODE, "value", None)
    safe_mode = resolve_safe_mode(safe_mode if scoped is None else scoped)
    check_config(config, safe_mode)
    previous = scoped
    _SAFE_MODE.value = safe_mode
    try:
        return _deserialize(config, dict(custom_objects or {}), safe_mode)
    finally:
        _SAFE_MODE.value = previous


def _deserialize(config: Any, custom_objects: dict[str, Any], safe_mode: bool) -> Any:
    if config is None or isinstance(config, (int, float, bool)):
        return config
    if isinstance(config, str):
        found = _custom_lookup(config, custom_objects)
        return config if found is None else found
    if isinstance(config, (list, tuple)):
        return [_deserialize(item, custom_objects, safe_mode) for item in config]
    if not isinstance(config, Mapping):
        raise LoadError(
            f"Cannot deserialize a value of type {type(config).__name__}: "
            f"configs hold only dicts, lists, strings and numbers."
        )
    if "class_name" not in config or "config" not in config:
        return {
            key: _deserialize(value, custom_objects, safe_mode)
            for key, value in config.items()
        }
    special = _deserialize_special(config, safe_mode)
    if special is not _NOT_SPECIAL:
        return special
    if str(config.get("module")).startswith(
        ("keras.src.ops.", "keras.ops", "lamina.backend")
    ):
        return operation_from_config(config)  # an op node of a functional model
    obj = resolve_object(config, custom_objects)
    if config["class_name"] == "function" or not isinstance(obj, type):
        return obj
    return instantiate(obj, config, custom_objects, safe_mode)


_NOT_SPECIAL = object()


def _deserialize_special(config: Mapping[str, Any], safe_mode: bool) -> Any:
    from lamina.layers.keras_tensor import KerasTensor

    class_name = config["class_name"]
    inner = config["config"]
    if class_name == "__keras_tensor__":
        tensor = KerasTensor(tuple(inner["shape"]), inner.get("dtype"))
        tensor._pre_serialization_history = inner.get("keras_history")
        return tensor
    if class_name in ("__numpy__", "__tensor__"):
        array = np.asarray(inner["value"], dtype=_plain_dtype(inner.get("dtype")))
        return array if class_name == "__numpy__" else torch.from_numpy(array)
    if class_name == "__bytes__":
        return str(inner["value"]).encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(inner.get("start"), inner.get("stop"), inner.get("step"))
    if class_name == "__lambda__":
        if safe_mode:
            raise unsafe_lambda_error(None)
        return load_lambda(inner)
    return _NOT_SPECIAL


def _plain_dtype(name: Any) -> np.dtype:
    dtype = np.dtype(str(name or "float32"))
    if dtype.kind not in "biuf":
        raise LoadError(
            f"A config holds an array of dtype {dtype}; only numeric arrays are "
            f"allowed in configs."
        )
    return dtype


def load_lambda(inner: Mapping[str, Any]) -> types.FunctionType:
    """Rebuilds a Keras `__lambda__` (bytecode); only called with safe_mode off."""
    code, defaults, closure = inner["value"]
    raw = base64.decodebytes(code.encode("ascii"))
    function_code = marshal.loads(raw)  # noqa: S302 -- the caller opted out of safe mode
    cells = tuple(types.CellType(value) for value in closure) if closure else None
    return types.FunctionType(
        function_code, {"__builtins__": __builtins__}, None, defaults, cells
    )


def _custom_lookup(name: Any, custom_objects: Mapping[str, Any]) -> Any:
    if not isinstance(name, str):
        return None
    if name in custom_objects:
        return custom_objects[name]
    return object_registration.get_registered_object(name)


def resolve_object(config: Mapping[str, Any], custom_objects: Mapping[str, Any]) -> Any:
    """Finds the class or function a config names, without importing anything.

    Raises:
        LoadError: Nothing of that name is registered or built in.
    """
    class_name = config["class_name"]
    if class_name == "function":
        names = [config.get("registered_name"), config.get("config")]
    else:
        names = [config.get("registered_name"), class_name]
    for name in names:
        found = _custom_lookup(name, custom_objects)
        if found is not None:
            return found
    short = names[-1]
    if isinstance(short, str):
        short = short.rsplit(">", 1)[-1]  # tf.keras wrote "Custom>Adam"
        found = _builtin_lookup(short, config.get("module"))
        if found is not None:
            return found
    raise _unknown_object_error(config, names[-1])


def _builtin_lookup(name: str, module: Any) -> Any:
    registry = builtin_objects()
    hinted = _family_hint(module)
    families = ([hinted] if hinted else []) + ["models", *FAMILIES]
    for family in families:
        if name in registry[family]:
            return registry[family][name]
    return None


def _family_hint(module: Any) -> str | None:
    if not isinstance(module, str):
        return None
    for part in module.split("."):
        if part in FAMILIES:
            return part
    return None


def _unknown_object_error(config: Mapping[str, Any], name: Any) -> LoadError:
    module = config.get("module")
    origin = f" from module {module!r}" if module else ""
    return LoadError(
        f"Unknown object {name!r}{origin}. lamina builds only its own classes "
        f"(layers, losses, metrics, optimizers, initializers, regularizers, "
        f"constraints, activations, models) and the ones you provide; it never "
        f"imports a module a file names. If {name!r} is your own class or "
        f"function, pass custom_objects={{{name!r}: {name}}} or register it "
        f"with @lamina.saving.register_keras_serializable()."
    )


# ------------------------------------------------------------- instantiate
def instantiate(
    cls: type,
    config: Mapping[str, Any],
    custom_objects: Mapping[str, Any],
    safe_mode: bool,
) -> Any:
    """Builds `cls` from a Keras config dict, then builds it for its shape."""
    inner = config.get("config")
    if inner is None:
        inner = {}
    if not isinstance(inner, Mapping):
        raise LoadError(
            f"The config of {config['class_name']!r} must be a dict of "
            f"constructor arguments, but it is {type(inner).__name__}."
        )
    inner = drop_unsupported_defaults(cls, dict(inner))
    from_config = getattr(cls, "from_config", None)
    if from_config is None:
        return cls(**inner)
    kwargs = _from_config_kwargs(from_config, custom_objects, safe_mode)
    with object_registration.CustomObjectScope(dict(custom_objects)):
        obj = from_config(inner, **kwargs)
    build_config = config.get("build_config")
    if isinstance(build_config, Mapping):
        build_from_config(obj, build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(obj, "compile_from_config"):
        obj.compile_from_config(compile_config, custom_objects=dict(custom_objects))
    return obj


def _from_config_kwargs(
    from_config: Any, custom_objects: Mapping[str, Any], safe_mode: bool
) -> dict[str, Any]:
    try:
        parameters = inspect.signature(from_config).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return {}
    kwargs: dict[str, Any] = {}
    if "custom_objects" in parameters:
        kwargs["custom_objects"] = dict(custom_objects) or None
    if "safe_mode" in parameters:
        kwargs["safe_mode"] = safe_mode
    return kwargs


def drop_unsupported_defaults(cls: type, config: dict[str, Any]) -> dict[str, Any]:
    """Removes keys newer Keras versions write with empty values.

    Keras adds constructor arguments over time (`quantization_config`,
    `ragged`, `lora_rank`); written as `None`/`False` they mean "off", so a
    lamina layer that lacks them loads the same model without them. A key
    with a real value is kept, and the class reports it.
    """
    from lamina.layers.layer import Layer

    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        return config
    accepted = _accepted_arguments(cls)
    if accepted is None:
        return config
    for key in list(config):
        if key not in accepted and config[key] in (None, False):
            del config[key]
    return config


def _accepted_arguments(cls: type) -> set[str] | None:
    from lamina.layers.layer import _BASE_KWARGS

    accepted = set(_BASE_KWARGS)
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            parameters = inspect.signature(init).parameters
        except (TypeError, ValueError):
            return None
        accepted.update(parameters)
        has_var_kwargs = any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
        )
        if not has_var_kwargs:
            return accepted
    return accepted


def build_from_config(obj: Any, build_config: Mapping[str, Any]) -> None:
    """Builds a layer or subclassed model for the `input_shape` it was saved with."""
    from lamina.layers.layer import Layer
    from lamina.models.model import Model

    shape = build_config.get("input_shape")
    if not isinstance(obj, Layer) or obj.built or shape is None:
        return
    shapes = _shape_from_list(shape)
    if isinstance(obj, Model) and not hasattr(obj, "_stack"):
        _build_subclassed_model(obj, shapes)
        return
    obj._build_once(shapes)


def _shape_from_list(shape: Any) -> Any:
    if isinstance(shape, Mapping):
        return {key: _shape_from_list(value) for key, value in shape.items()}
    if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple)):
        return [_shape_from_list(item) for item in shape]
    if isinstance(shape, (list, tuple)):
        return tuple(None if dim is None else int(dim) for dim in shape)
    return shape


def _build_subclassed_model(model: Any, shapes: Any) -> None:
    """Creates a subclassed model's weights by calling it on zeros."""

    def zeros(shape: tuple) -> torch.Tensor:
        return torch.zeros(tuple(1 if dim is None else dim for dim in shape))

    if isinstance(shapes, Mapping):
        inputs: Any = {key: zeros(shape) for key, shape in shapes.items()}
    elif isinstance(shapes, list):
        inputs = [zeros(shape) for shape in shapes]
    else:
        inputs = zeros(shapes)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model(inputs)
    model.built = True
