"""Keras-compatible config dicts for the families resolved by name.

Shared by `initializers`, `activations`, `regularizers` and `constraints`.
Names are looked up in a dict of lamina's own objects plus the caller's
`custom_objects`; a module named in a config is never imported.
"""

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any


def serialize_object(obj: Any, family: str, known: Mapping[str, Any]) -> Any:
    """Returns Keras 3's config dict for an object of `family`.

    Args:
        obj: An instance with `get_config()`, or `None`.
        family: The family name, e.g. `"initializers"`.
        known: lamina's own objects of the family, by name.

    Returns:
        `{"module", "class_name", "config", "registered_name"}`, or `None`.

    Example:
    >>> class Ones:
    ...     def get_config(self):
    ...         return {}
    >>> serialize_object(Ones(), "initializers", {"Ones": Ones})["module"]
    'keras.initializers'
    """
    if obj is None:
        return None
    cls = type(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r} of type {cls.__name__} as one of the "
            f"{family}: it has no get_config() method. Give it get_config() "
            f"and from_config(), or pass one of lamina's {family}."
        )
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
    custom_objects: Mapping[str, Any] | None,
) -> Any:
    """Returns the object called `name` in `custom_objects` or `known`.

    Example:
    >>> lookup("zeros", "initializers", {"zeros": 0}, None)
    0
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
    """Rebuilds an object from a name or a Keras 2 / Keras 3 config dict.

    Args:
        config: A name, or a dict with `class_name` and `config` keys.
        family: The family name, used in error messages.
        known: lamina's own objects of the family, by name.
        custom_objects: Extra objects by name, checked first.

    Returns:
        A new instance (classes are built with `from_config`), or the
        function that the name refers to.

    Example:
    >>> deserialize_object({"class_name": "dict", "config": {}}, "x", {"dict": dict})
    {}
    """
    if config is None:
        return None
    if isinstance(config, str):
        return _instantiate(lookup(config, family, known, custom_objects), {})
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise TypeError(
            f"Cannot deserialize {config!r} as one of the {family}: expected a "
            f"name or a dict with 'class_name' and 'config' keys."
        )
    class_name = config["class_name"]
    inner = config.get("config") or {}
    if class_name == "function":  # Keras 3 writes plain functions this way
        return lookup(inner, family, known, custom_objects)
    registered = config.get("registered_name")
    if custom_objects and registered in custom_objects:
        class_name = registered
    return _instantiate(lookup(class_name, family, known, custom_objects), inner)


def _instantiate(obj: Any, config: Mapping[str, Any]) -> Any:
    """Builds `obj` from `config` when it is a class; returns functions as is."""
    if not isinstance(obj, type):
        return obj
    from_config: Callable[..., Any] | None = getattr(obj, "from_config", None)
    if from_config is not None:
        return from_config(dict(config))
    return obj(**config)
