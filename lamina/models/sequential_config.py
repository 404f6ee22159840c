"""Keras 3's config of a `Sequential` model, both ways.

Writes `{"name", "trainable", "dtype", "layers", "build_input_shape"}` with
an `InputLayer` first, as Keras 3 does; reads that, Keras 2's form (the
input shape as `batch_input_shape` on the first layer) and the oldest
Keras 2 form (a bare list of layer configs).
"""

from collections.abc import Mapping
from typing import Any

from lamina.saving.errors import LoadError


def sequential_config(model: Any) -> dict[str, Any]:
    """Returns a `Sequential` model's config dict, as Keras 3 writes it.

    Example:
    >>> import lamina
    >>> model = lamina.Sequential(
    ...     [lamina.layers.Dense(2, input_shape=(3,))], name="doc_seq"
    ... )
    >>> config = sequential_config(model)
    >>> [layer["class_name"] for layer in config["layers"]]
    ['InputLayer', 'Dense']
    >>> config["build_input_shape"]
    [None, 3]
    """
    from lamina.layers.layer import Layer
    from lamina.saving.serialization_lib import serialize_keras_object

    config = Layer.get_config(model)
    layer_configs = []
    if model._input_spec is not None:
        input_layer = model._input_spec._keras_history[0]
        layer_configs.append(serialize_keras_object(input_layer))
    for layer in model.layers:
        layer_configs.append(serialize_keras_object(layer))
    config["layers"] = layer_configs
    if model._input_spec is not None:
        config["build_input_shape"] = list(model._input_spec.shape)
    return config


def sequential_from_config(
    cls: type,
    config: Any,
    custom_objects: Mapping[str, Any] | None = None,
    safe_mode: bool = True,
) -> Any:
    """Rebuilds a `Sequential` model from a Keras 3 or Keras 2 config.

    Raises:
        LoadError: The config is not a Sequential model's.
    """
    from lamina.saving.serialization_lib import deserialize_keras_object

    if isinstance(config, list):  # Keras 2.0-2.2: the config is the layer list
        config = {"layers": config}
    if not isinstance(config, Mapping) or not isinstance(config.get("layers"), list):
        raise LoadError(
            "A Sequential model's config must be a dict with a 'layers' list "
            "(or, from old Keras 2, the list of layer configs itself)."
        )
    model = cls(name=config.get("name"), trainable=config.get("trainable", True))
    for layer_config in config["layers"]:
        layer = deserialize_keras_object(layer_config, custom_objects, safe_mode)
        model.add(layer, rebuild=False)
    model._rebuild()
    build_shape = config.get("build_input_shape")
    if not model.built and isinstance(build_shape, list) and model.layers:
        model.build(tuple(build_shape))
    return model
