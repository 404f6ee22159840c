"""`OptimizerMap`: which optimizer trains which weight, by weight path."""

import re
from collections.abc import Iterator
from collections.abc import MutableMapping
from typing import Any

from lamina.optimizers._paths import variable_path
from lamina.optimizers.optimizer import Optimizer


class OptimizerMap(MutableMapping):
    """A mapping from weight paths (or regular expressions) to optimizers.

    `optimizer_map[path]` returns the optimizer of an exact key, else of the
    one key that matches the whole path as a regular expression (`re.fullmatch`),
    else `default_optimizer`. A path matched by several patterns is an error.
    `MultiOptimizer` uses it to route each weight; calling the map on a
    weight looks up the weight's `path`.

    Args:
        default_optimizer: The `Optimizer` of weights no key matches.
        optimizer_map: Dict from path or pattern to `Optimizer`. Defaults to
            `None` (empty).

    Example:
    >>> from lamina.optimizers import SGD, Adam
    >>> optimizer_map = OptimizerMap(SGD(name="sgd_doc"))
    >>> optimizer_map["encoder/.*"] = Adam(name="adam_doc")
    >>> optimizer_map["encoder/dense/kernel"].name
    'adam_doc'
    >>> optimizer_map["decoder/dense/kernel"].name
    'sgd_doc'
    """

    def __init__(
        self,
        default_optimizer: Optimizer,
        optimizer_map: dict[str, Optimizer] | None = None,
    ):
        _check_optimizer(default_optimizer, "default_optimizer")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(
                f"OptimizerMap expected optimizer_map to be a dict from weight "
                f"path (or pattern) to Optimizer, but received {optimizer_map!r} "
                f"of type {type(optimizer_map).__name__}."
            )
        self._default_optimizer = default_optimizer
        self._optimizer_map: dict[str, Optimizer] = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self) -> Optimizer:
        """The optimizer of weights that no key matches."""
        return self._default_optimizer

    def __getitem__(self, key: str) -> Optimizer:
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [
            pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)
        ]
        if len(matches) > 1:
            raise ValueError(
                f"OptimizerMap has several patterns that match the weight path "
                f"{key!r}: {matches}. Make the patterns exclusive, or add the "
                f"exact path {key!r} as a key."
            )
        if matches:
            return self._optimizer_map[matches[0]]
        return self._default_optimizer

    def __setitem__(self, key: str, optimizer: Optimizer) -> None:
        if not isinstance(key, str):
            raise TypeError(
                f"OptimizerMap keys are weight paths or regular expressions "
                f"(strings), but received the key {key!r} of type "
                f"{type(key).__name__}."
            )
        if key in self._optimizer_map:
            raise ValueError(
                f"OptimizerMap already maps {key!r} to optimizer "
                f"'{self._optimizer_map[key].name}'. Delete the key first "
                f"(del optimizer_map[{key!r}]) to replace it."
            )
        try:
            re.compile(key)
        except re.error as err:
            raise ValueError(
                f"OptimizerMap key {key!r} is not a valid regular expression: "
                f"{err}. Escape special characters with re.escape()."
            ) from err
        _check_optimizer(optimizer, f"the optimizer for {key!r}")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key: str) -> None:
        del self._optimizer_map[key]

    def __len__(self) -> int:
        return len(self._optimizer_map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._optimizer_map)

    def __call__(self, variable: Any) -> Optimizer:
        """The optimizer of a weight, looked up by the weight's `path`."""
        return self[variable_path(variable)]

    def get_config(self) -> dict[str, Any]:
        """The default optimizer and the map, as Keras configs."""
        # Imported here: lamina.saving imports the optimizers (a cycle).
        from lamina.saving.serialization_lib import serialize_keras_object

        return {
            "default_optimizer": serialize_keras_object(self._default_optimizer),
            "optimizer_map": serialize_keras_object(self._optimizer_map),
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> "OptimizerMap":
        """Rebuilds the map and its optimizers from `get_config()` output."""
        # Imported here: lamina.saving imports the optimizers (a cycle).
        from lamina.saving.serialization_lib import deserialize_keras_object

        missing = {"default_optimizer", "optimizer_map"} - set(config)
        if missing:
            raise ValueError(
                f"OptimizerMap.from_config() needs the keys 'default_optimizer' "
                f"and 'optimizer_map', but the config lacks {sorted(missing)}."
            )
        default = deserialize_keras_object(
            config["default_optimizer"], custom_objects=custom_objects
        )
        optimizer_map = deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(default, optimizer_map)


def _check_optimizer(optimizer: Any, what: str) -> None:
    """Rejects anything but a plain optimizer (no loss scaling, no nesting)."""
    # Imported here: multi_optimizer imports this module (a cycle).
    from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer
    from lamina.optimizers.multi_optimizer import MultiOptimizer

    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"OptimizerMap expected {what} to be a lamina Optimizer, but "
            f"received {optimizer!r} of type {type(optimizer).__name__}."
        )
    if isinstance(optimizer, LossScaleOptimizer | MultiOptimizer):
        raise ValueError(
            f"OptimizerMap received a {type(optimizer).__name__} as {what}; "
            f"only plain optimizers can be mapped. Pass the optimizer itself "
            f"(for a LossScaleOptimizer, its inner_optimizer)."
        )
