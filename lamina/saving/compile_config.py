"""The `compile()` arguments of a model, saved and restored (Keras 3's form)."""

from collections.abc import Mapping
from typing import Any

from lamina.saving.errors import LoadError


def get_compile_config(model: Any) -> dict[str, Any] | None:
    """Keras 3's `compile_config` of a compiled model; `None` if not compiled."""
    from lamina.saving.serialization_lib import serialize_keras_object

    arguments = getattr(model, "_compile_arguments", None)
    if not getattr(model, "compiled", False) or arguments is None:
        return None
    return {
        "optimizer": serialize_keras_object(model.optimizer),
        "loss": serialize_keras_object(arguments["loss"]),
        "loss_weights": serialize_keras_object(arguments["loss_weights"]),
        "metrics": serialize_keras_object(arguments["metrics"]),
        "weighted_metrics": serialize_keras_object(arguments["weighted_metrics"]),
        "run_eagerly": bool(arguments["run_eagerly"]),
        "steps_per_execution": int(arguments["steps_per_execution"]),
        "jit_compile": arguments["jit_compile"] is True,
    }


def compile_from_config(
    model: Any, config: Mapping[str, Any], custom_objects: Any = None
) -> None:
    """Compiles `model` from a Keras 3 `compile_config` or Keras 2 `training_config`.

    Raises:
        LoadError: The config names an unknown optimizer, loss or metric, or
            `compile()` rejects it. Load with `compile=False` to skip it.
    """
    from lamina.saving.serialization_lib import deserialize_keras_object

    if not isinstance(config, Mapping):
        raise LoadError("The saved compile config is not a dict.")
    optimizer = config.get("optimizer", config.get("optimizer_config"))
    if isinstance(optimizer, Mapping):
        optimizer = deserialize_keras_object(
            _with_module(optimizer, "keras.optimizers"), custom_objects
        )
    try:
        model.compile(
            optimizer=optimizer or "rmsprop",
            loss=_revive(config.get("loss"), "keras.losses", custom_objects),
            loss_weights=config.get("loss_weights"),
            metrics=_revive(config.get("metrics"), "keras.metrics", custom_objects),
            weighted_metrics=_revive(
                config.get("weighted_metrics"), "keras.metrics", custom_objects
            ),
            steps_per_execution=int(config.get("steps_per_execution") or 1),
            jit_compile=config.get("jit_compile") is True,
        )
    except (TypeError, ValueError, KeyError) as err:
        raise LoadError(
            f"Could not compile the loaded model from its saved compile "
            f"arguments: {err}. Load it with compile=False and call "
            f"model.compile(...) yourself."
        ) from err


def _with_module(config: Mapping[str, Any], module: str) -> dict[str, Any]:
    config = dict(config)
    config.setdefault("config", {})
    if not config.get("module"):
        config["module"] = module
    return config


def _revive(value: Any, module: str, custom_objects: Any) -> Any:
    """Rebuilds losses/metrics, keeping names as strings (compile resolves them)."""
    from lamina.saving.serialization_lib import deserialize_keras_object

    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_revive(item, module, custom_objects) for item in value]
    if isinstance(value, Mapping) and "class_name" in value:
        return deserialize_keras_object(_with_module(value, module), custom_objects)
    if isinstance(value, Mapping):
        return {
            key: _revive(item, module, custom_objects) for key, item in value.items()
        }
    raise LoadError(f"Cannot read the saved loss or metric {value!r}.")
