"""`get`, `serialize` and `deserialize` for dtype policies (Keras 3 dict form)."""

from collections.abc import Mapping
from typing import Any

import numpy as np

from lamina.backend.config import dtype_name
from lamina.backend.config import dtype_policy
from lamina.backend.config import standardize_dtype
from lamina.dtype_policies.dtype_policy import DTypePolicy
from lamina.dtype_policies.dtype_policy import FloatDTypePolicy

_BUILTINS: dict[str, type] = {
    "DTypePolicy": DTypePolicy,
    "FloatDTypePolicy": FloatDTypePolicy,
    "Policy": DTypePolicy,  # tf.keras 2's mixed_precision.Policy
}
# Keras's quantized policies: their configs name these classes, and their
# names start with the quantization mode ("int8_from_float32").
_QUANTIZED_CLASSES = (
    "AWQDTypePolicy",
    "DTypePolicyMap",
    "GPTQDTypePolicy",
    "Int4DTypePolicy",
    "QuantizedDTypePolicy",
    "QuantizedFloat8DTypePolicy",
)
_QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


def serialize(dtype_policy: DTypePolicy) -> dict[str, Any]:
    """Returns the Keras 3 config dict of a dtype policy.

    Example:
    >>> serialize(DTypePolicy("mixed_float16"))["config"]
    {'name': 'mixed_float16'}
    """
    if not isinstance(dtype_policy, DTypePolicy):
        raise TypeError(
            f"dtype_policies.serialize expected a DTypePolicy, but received "
            f"{dtype_policy!r} of type {type(dtype_policy).__name__}. Pass "
            f"layer.dtype_policy, or build one with DTypePolicy(name)."
        )
    cls = type(dtype_policy)
    builtin = _BUILTINS.get(cls.__name__) is cls
    if builtin:
        module, registered_name = "keras", None
    else:
        from lamina.saving.object_registration import get_registered_name

        module, registered_name = cls.__module__, get_registered_name(cls)
    return {
        "module": module,
        "class_name": cls.__name__,
        "config": dtype_policy.get_config(),
        "registered_name": registered_name,
    }


def deserialize(
    config: Mapping[str, Any] | str, custom_objects: dict[str, Any] | None = None
) -> DTypePolicy:
    """Rebuilds a dtype policy from its Keras 3 (or tf.keras 2) config dict.

    The class is looked up in `custom_objects`, the registered objects,
    then lamina's policies; no module a config names is imported.

    Example:
    >>> deserialize({"class_name": "DTypePolicy", "config": {"name": "float16"}})
    <DTypePolicy "float16">
    """
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise ValueError(
            f"dtype_policies.deserialize expected a dict with 'class_name' and "
            f"'config' keys (what serialize() returns), but received "
            f"{config!r}."
        )
    cls = _policy_class(config, custom_objects or {})
    inner = dict(config.get("config") or {})
    if cls is DTypePolicy and config["class_name"] == "Policy":
        inner = {"name": inner.get("name")}  # tf.keras 2 also wrote loss_scale
    return cls.from_config(inner)


def get(identifier: Any) -> DTypePolicy:
    """Returns a `DTypePolicy` from a name, a config dict, a dtype or a policy.

    `None` gives the global policy (`lamina.config.dtype_policy()`).

    Example:
    >>> get("mixed_bfloat16").compute_dtype
    'bfloat16'
    >>> get(None) == get("float32")
    True
    """
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, Mapping):
        return deserialize(identifier)
    if isinstance(identifier, str):
        _reject_quantized_name(identifier)
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(_dtype_name(identifier))
    except (TypeError, ValueError):
        raise ValueError(
            f"Cannot interpret dtype={identifier!r} as a dtype policy. Pass a "
            f"policy name ('mixed_float16', 'float32', ...), a DTypePolicy, "
            f"its config dict, or a dtype such as torch.float16."
        ) from None


def _dtype_name(dtype: Any) -> str:
    """Keras's name of a torch or NumPy dtype (or NumPy scalar type)."""
    try:
        return dtype_name(standardize_dtype(dtype))
    except ValueError:
        return np.dtype(dtype).name


def _policy_class(config: Mapping[str, Any], custom_objects: dict[str, Any]) -> type:
    from lamina.saving.object_registration import get_registered_object

    class_name = config["class_name"]
    for name in (config.get("registered_name"), class_name):
        if name is None:
            continue
        found = get_registered_object(name, custom_objects)
        if found is not None:
            return found
    if class_name in _BUILTINS:
        return _BUILTINS[class_name]
    if class_name in _QUANTIZED_CLASSES:
        raise ValueError(
            f"The config holds a {class_name}, a quantized dtype policy, but "
            f"lamina has no quantized layers. Load the float model instead "
            f"(saved before quantize())."
        )
    raise ValueError(
        f"Unknown dtype policy class {class_name!r}. Available: "
        f"{sorted(_BUILTINS)}. For your own policy class, pass "
        f"custom_objects={{{class_name!r}: {class_name}}} or register it with "
        f"@lamina.saving.register_keras_serializable()."
    )


def _reject_quantized_name(name: str) -> None:
    if name.startswith(_QUANTIZATION_MODES) and "_from_" in name:
        raise ValueError(
            f"dtype={name!r} names a quantized dtype policy, but lamina has no "
            f"quantized layers. Pass the float policy instead, e.g. "
            f"{name.split('_from_', 1)[1]!r}."
        )
