"""`get`, `serialize` and `deserialize` for optimizers (Keras 3 dict form)."""

from typing import Any

from lamina.optimizers.adadelta import Adadelta
from lamina.optimizers.adafactor import Adafactor
from lamina.optimizers.adagrad import Adagrad
from lamina.optimizers.adam import Adam
from lamina.optimizers.adamax import Adamax
from lamina.optimizers.adamw import AdamW
from lamina.optimizers.ftrl import Ftrl
from lamina.optimizers.lamb import Lamb
from lamina.optimizers.lion import Lion
from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer
from lamina.optimizers.multi_optimizer import MultiOptimizer
from lamina.optimizers.muon import Muon
from lamina.optimizers.nadam import Nadam
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.optimizer_map import OptimizerMap
from lamina.optimizers.rmsprop import RMSprop
from lamina.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from lamina.optimizers.sgd import SGD

_MODULE = "keras.optimizers"
# OptimizerMap is no optimizer, but Keras deserializes it here too.
_BUILTINS: dict[str, type] = {
    cls.__name__.lower(): cls
    for cls in (
        Adadelta,
        Adafactor,
        Adagrad,
        Adam,
        Adamax,
        AdamW,
        Ftrl,
        Lamb,
        Lion,
        LossScaleOptimizer,
        MultiOptimizer,
        Muon,
        Nadam,
        OptimizerMap,
        RMSprop,
        ScheduleFreeAdamW,
        SGD,
    )
}


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """Returns the Keras 3 config dict of an optimizer.

    Example:
    >>> config = serialize(Adam(name="adam_doc"))
    >>> config["module"], config["class_name"], config["config"]["beta_1"]
    ('keras.optimizers', 'Adam', 0.9)
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizers.serialize expected an Optimizer, but received "
            f"{optimizer!r} of type {type(optimizer).__name__}."
        )
    cls = type(optimizer)
    builtin = _BUILTINS.get(cls.__name__.lower()) is cls
    return {
        "module": _MODULE if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": optimizer.get_config(),
        "registered_name": None if builtin else cls.__name__,
    }


def deserialize(
    config: dict[str, Any], custom_objects: dict[str, Any] | None = None
) -> Optimizer:
    """Rebuilds an optimizer from a Keras 3 or Keras 2 config dict.

    The class is looked up in `custom_objects`, then among the built-in
    optimizers by case-insensitive name; no module named in the config is
    ever imported.

    Example:
    >>> optimizer = deserialize({"class_name": "SGD", "config": {"lr": 0.5}})
    >>> type(optimizer).__name__, float(optimizer.learning_rate)
    ('SGD', 0.5)
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"optimizers.deserialize expected a dict with keys 'class_name' and "
            f"'config', but received {config!r}."
        )
    cls = _lookup(config, custom_objects or {})
    inner_config = dict(config.get("config") or {})
    return cls.from_config(inner_config, custom_objects=custom_objects)


def _lookup(config: dict[str, Any], custom_objects: dict[str, Any]) -> type:
    class_name = config["class_name"]
    for name in (config.get("registered_name"), class_name):
        if name in custom_objects:
            return custom_objects[name]
    # tf.keras 2 wrote registered built-ins as "Custom>Adam".
    short_name = class_name.rsplit(">", 1)[-1].lower()
    if short_name in _BUILTINS:
        return _BUILTINS[short_name]
    raise ValueError(
        f"Unknown optimizer {class_name!r}. Available optimizers: "
        f"{_available()}. Pass custom_objects={{{class_name!r}: YourOptimizer}} "
        f"for your own class."
    )


def _available() -> str:
    wrappers = ("lossscaleoptimizer", "multioptimizer", "optimizermap")
    return ", ".join(sorted(name for name in _BUILTINS if name not in wrappers))


def get(identifier: Any) -> Optimizer | None:
    """Returns an optimizer from a name, a config dict or an instance.

    Args:
        identifier: `None`, a name such as `"adam"` (any case), a config
            dict, or an `Optimizer` (returned as is).

    Example:
    >>> type(get("rmsprop")).__name__
    'RMSprop'
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise ValueError(
        f"Could not interpret optimizer identifier {identifier!r} of type "
        f"{type(identifier).__name__}. Pass an optimizer name ({_available()}), "
        f"a config dict or an Optimizer instance."
    )
