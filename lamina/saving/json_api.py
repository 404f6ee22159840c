"""`model_from_json`, and the Keras 2 YAML functions that explain their removal."""

from collections.abc import Mapping
from typing import Any

from lamina.saving.errors import LoadError

YAML_REMOVED = (
    "Method `model.to_yaml()` has been removed due to security risk of "
    "arbitrary code execution. Please use `model.to_json()` instead."
)


def model_to_json(model: Any, **kwargs: Any) -> str:
    """The model's architecture as Keras 3 JSON (no weights)."""
    import json

    from lamina.saving.serialization_lib import serialize_keras_object

    return json.dumps(serialize_keras_object(model), **kwargs)


def model_from_json(
    json_string: str | bytes,
    custom_objects: Mapping[str, Any] | None = None,
    safe_mode: bool = True,
) -> Any:
    """Builds a model (without weights, uncompiled) from `model.to_json()` text.

    Reads JSON written by Keras 3, Keras 2 or lamina.

    Args:
        json_string: The JSON text.
        custom_objects: Dict of your own classes and functions by name.
        safe_mode: Whether to refuse Python bytecode (lambdas). Defaults to
            `True`.

    Raises:
        LoadError: The text is not JSON, or does not describe a model lamina
            can build.

    Example:
    >>> import lamina
    >>> model = lamina.Sequential([lamina.layers.Dense(2, input_shape=(3,))])
    >>> model_from_json(model.to_json()).output_shape
    (None, 2)
    """
    from lamina.layers.layer import Layer
    from lamina.saving.object_registration import CustomObjectScope
    from lamina.saving.saving_lib import parse_json
    from lamina.saving.serialization_lib import check_config
    from lamina.saving.serialization_lib import deserialize_keras_object

    config = parse_json(json_string, "JSON model config")
    if isinstance(config, dict):
        config.pop("compile_config", None)
    check_config(config, safe_mode, what="JSON model config")
    try:
        with CustomObjectScope(dict(custom_objects or {})):
            model = deserialize_keras_object(config, custom_objects, safe_mode)
    except LoadError:
        raise
    except Exception as err:  # the text is untrusted: any failure is a config error
        raise LoadError(f"Cannot build a model from the JSON config: {err}") from err
    if not isinstance(model, Layer):
        raise LoadError(
            f"The JSON describes a {type(model).__name__}, not a model. Pass the "
            f"text of model.to_json()."
        )
    return model


def model_from_yaml(*args: Any, **kwargs: Any) -> Any:
    """Removed in Keras for security; raises `RuntimeError` saying so."""
    raise RuntimeError(
        "Method `model_from_yaml()` has been removed due to security risk of "
        "arbitrary code execution. Please use `model_from_json()` instead."
    )
