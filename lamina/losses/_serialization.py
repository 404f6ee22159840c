"""Keras-compatible names and config dicts for losses and metrics.

Shared by `lamina.losses` and `lamina.metrics`. Names are looked up in a dict
of lamina's own objects plus the caller's `custom_objects`; a module named in a
config is never imported.
"""

import collections
import re
from collections.abc import Mapping
from typing import Any

_NAME_UIDS: collections.defaultdict[str, int] = collections.defaultdict(int)


def to_snake_case(name: str) -> str:
    """Turns a class name into Keras's snake-case name.

    Example:
    >>> to_snake_case("BinaryCrossentropy")
    'binary_crossentropy'
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(class_name: str) -> str:
    """Returns a fresh name from a class name: `mean`, `mean_1`, `mean_2`, ...

    Example:
    >>> auto_name("DocTestThing")
    'doc_test_thing'
    >>> auto_name("DocTestThing")
    'doc_test_thing_1'
    """
    prefix = to_snake_case(class_name)
    count = _NAME_UIDS[prefix]
    _NAME_UIDS[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def serialize_object(obj: Any, family: str, known: Mapping[str, Any]) -> Any:
    """Returns Keras 3's config form of a loss or metric.

    A function becomes its name; an object with `get_config()` becomes
    `{"module", "class_name", "config", "registered_name"}`.

    Args:
        obj: The function or object, or `None`.
        family: `"losses"` or `"metrics"`.
        known: lamina's own objects of the family, by name.

    Example:
    >>> def hinge(y_true, y_pred):
    ...     return y_pred
    >>> serialize_object(hinge, "losses", {"hinge": hinge})
    'hinge'
    """
    if obj is None or isinstance(obj, str):
        return obj
    if not hasattr(obj, "get_config"):
        if callable(obj) and hasattr(obj, "__name__"):
            return obj.__name__
        raise TypeError(
            f"Cannot serialize {obj!r} of type {type(obj).__name__} as one of "
            f"the {family}: it is neither a function nor an object with "
            f"get_config(). Give it get_config() and from_config()."
        )
    cls = type(obj)
    is_builtin = known.get(cls.__name__) is cls
    return {
        "module": f"keras.{family}" if is_builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": None if is_builtin else cls.__name__,
    }


def lookup(
    name: str,
    family: str,
    known: Mapping[str, Any],
    custom_objects: Mapping[str, Any] | None = None,
) -> Any:
    """Returns the object called `name` in `custom_objects` or `known`.

    Example:
    >>> lookup("mse", "losses", {"mse": 1})
    1
    """
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in known:
        return known[name]
    available = ", ".join(sorted(known))
    raise ValueError(
        f"Unknown name {name!r} among the {family}. Available {family}: "
        f"{available}. For a custom object, pass custom_objects={{{name!r}: ...}}."
    )


def deserialize_object(
    config: Any,
    family: str,
    known: Mapping[str, Any],
    custom_objects: Mapping[str, Any] | None = None,
) -> Any:
    """Rebuilds a loss or metric from a name or a Keras 2 / Keras 3 config.

    Classes are instantiated with `from_config`; names of functions give the
    function itself.

    Example:
    >>> deserialize_object("f", "losses", {"f": len})
    <built-in function len>
    """
    if isinstance(config, str):
        return lookup(config, family, known, custom_objects)
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise TypeError(
            f"Cannot deserialize {config!r} as one of the {family}: expected a "
            f"name or a dict with 'class_name' and 'config'."
        )
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "function":  # Keras 3's form of a plain function
        return lookup(inner, family, known, custom_objects)
    name = config.get("registered_name") or class_name
    if custom_objects and name not in custom_objects:
        name = class_name
    target = lookup(name, family, known, custom_objects)
    if not isinstance(target, type):
        return target
    return target.from_config(dict(inner or {}))
