"""`serialize` and `deserialize`: a layer to and from its Keras 3 config dict."""

from collections.abc import Mapping
from typing import Any

from lamina.layers.layer import Layer


def serialize(layer: Layer) -> dict[str, Any]:
    """Returns the config dict of a layer, as `keras.layers.serialize` does.

    The dict is `{"module", "class_name", "config", "registered_name"}`,
    plus `build_config` for a built layer; it is JSON-ready and Keras reads
    it.

    Args:
        layer: The layer to describe.

    Returns:
        The layer's config dict.

    Example:
    >>> from lamina.layers import Dense
    >>> config = serialize(Dense(3, name="out"))
    >>> config["class_name"], config["config"]["units"]
    ('Dense', 3)
    """
    from lamina.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize(
    config: Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None
) -> Layer:
    """Builds a layer from its config dict, as `keras.layers.deserialize` does.

    Reads the dicts `serialize` (or Keras) writes, including Keras 2's
    `{"class_name", "config"}`. Classes are looked up among lamina's layers,
    registered classes and `custom_objects`; no module named in the config
    is imported.

    Args:
        config: The layer's config dict.
        custom_objects: Dict of extra classes and functions by name.

    Returns:
        The new layer.

    Raises:
        ValueError: The config describes something that is not a layer.

    Example:
    >>> from lamina.layers import Dense
    >>> layer = deserialize(serialize(Dense(3, name="out")))
    >>> type(layer).__name__, layer.units
    ('Dense', 3)
    """
    from lamina.saving.serialization_lib import deserialize_keras_object

    obj = deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(obj, Layer):
        raise ValueError(
            f"lamina.layers.deserialize expected the config of a layer, but it "
            f"describes {type(obj).__name__} ({config!r}). Use "
            f"lamina.saving.deserialize_keras_object for other objects."
        )
    return obj
