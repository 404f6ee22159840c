"""`serialize`/`deserialize` for learning-rate schedules (Keras 3 dict form)."""

from typing import Any

from lamina.optimizers.schedules.cosine_decay import CosineDecay
from lamina.optimizers.schedules.cosine_decay_restarts import CosineDecayRestarts
from lamina.optimizers.schedules.exponential_decay import ExponentialDecay
from lamina.optimizers.schedules.inverse_time_decay import InverseTimeDecay
from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay
from lamina.optimizers.schedules.polynomial_decay import PolynomialDecay

_MODULE = "keras.optimizers.schedules"
_BUILTINS: dict[str, type[LearningRateSchedule]] = {
    cls.__name__: cls
    for cls in (
        CosineDecay,
        CosineDecayRestarts,
        ExponentialDecay,
        InverseTimeDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
    )
}


def serialize(schedule: LearningRateSchedule) -> dict[str, Any]:
    """Returns the Keras 3 config dict of a learning-rate schedule.

    Example:
    >>> serialize(ExponentialDecay(0.1, 10, 0.9))["class_name"]
    'ExponentialDecay'
    """
    if not isinstance(schedule, LearningRateSchedule):
        raise TypeError(
            f"schedules.serialize expected a LearningRateSchedule, but received "
            f"{schedule!r} of type {type(schedule).__name__}."
        )
    cls = type(schedule)
    builtin = _BUILTINS.get(cls.__name__) is cls
    return {
        "module": _MODULE if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": schedule.get_config(),
        "registered_name": None if builtin else cls.__name__,
    }


def deserialize(
    config: dict[str, Any], custom_objects: dict[str, Any] | None = None
) -> LearningRateSchedule:
    """Rebuilds a schedule from a Keras 3 or Keras 2 config dict.

    The class is looked up in `custom_objects`, then among the built-in
    schedules; no module named in the config is ever imported.

    Example:
    >>> config = {"class_name": "InverseTimeDecay", "config": {
    ...     "initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 1.0}}
    >>> round(float(deserialize(config)(1)), 6)
    0.05
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"schedules.deserialize expected a dict with keys 'class_name' and "
            f"'config', but received {config!r}."
        )
    custom_objects = custom_objects or {}
    names = (config.get("registered_name"), config["class_name"])
    for name in names:
        if name in custom_objects:
            return custom_objects[name].from_config(dict(config.get("config", {})))
    cls = _BUILTINS.get(config["class_name"])
    if cls is None:
        available = ", ".join(sorted(_BUILTINS))
        raise ValueError(
            f"Unknown learning rate schedule {config['class_name']!r}. "
            f"Available schedules: {available}. Pass custom_objects="
            f"{{{config['class_name']!r}: YourSchedule}} for your own class."
        )
    return cls.from_config(dict(config.get("config", {})))
