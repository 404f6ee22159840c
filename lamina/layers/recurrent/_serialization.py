"""Keras config dicts for the layers that wrap other layers (cells, wrappers).

`RNN(cell)`, `Bidirectional(layer)`, `TimeDistributed(layer)` and
`StackedRNNCells(cells)` store the inner layer as Keras does:
`{"module": "keras.layers", "class_name": ..., "config": ..., ...}`. Loading
looks the class up among `custom_objects` and lamina's own layers only; a
module named in a config is never imported (DESIGN.md, promise 5).
"""

from collections.abc import Mapping
from typing import Any

from lamina.layers.layer import Layer


def serialize_layer(layer: Layer) -> dict[str, Any]:
    """Returns Keras 3's config dict of a layer nested in another one."""
    import lamina.layers

    cls = type(layer)
    is_builtin = getattr(lamina.layers, cls.__name__, None) is cls
    config: dict[str, Any] = {
        "module": "keras.layers" if is_builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": layer.get_config(),
        "registered_name": None if is_builtin else cls.__name__,
    }
    shapes = getattr(layer, "_build_shapes", None)
    if getattr(layer, "built", False) and shapes is not None:
        config["build_config"] = {"input_shape": _as_lists(shapes)}
    return config


def deserialize_layer(
    config: Any, custom_objects: Mapping[str, Any] | None = None
) -> Layer:
    """Rebuilds a layer from `serialize_layer`'s dict (or returns a layer as is)."""
    import lamina.layers

    if isinstance(config, Layer):
        return config
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise TypeError(
            f"Expected a layer config dict with 'class_name' and 'config', but "
            f"received {config!r}. Pass a layer or the dict serialize gives."
        )
    name = config["class_name"]
    custom_objects = custom_objects or {}
    cls = custom_objects.get(config.get("registered_name") or name)
    cls = cls or custom_objects.get(name) or getattr(lamina.layers, name, None)
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise ValueError(
            f"Unknown layer class_name={name!r} in a nested layer config. "
            f"Pass custom_objects={{'{name}': YourLayerClass}} to load it."
        )
    inner = dict(config["config"])
    if _takes_custom_objects(cls):
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)


def _takes_custom_objects(cls: type) -> bool:
    import inspect

    return "custom_objects" in inspect.signature(cls.from_config).parameters


def _as_lists(shapes: Any) -> Any:
    if isinstance(shapes, (list, tuple)):
        return [_as_lists(item) for item in shapes]
    return shapes
