"""`Lambda`: wraps any Python callable as a layer."""

import base64
import inspect
import marshal
import types
from collections.abc import Callable
from typing import Any

import torch

from lamina.layers.layer import Layer
from lamina.utils import tree

_LAMBDA = "__lambda__"


class Lambda(Layer):
    """Runs `function(inputs, **arguments)` as a layer.

    Handy for quick expressions in `Sequential` and functional models. A
    Python `lambda` is saved as bytecode, as Keras does; loading such a
    config executes that bytecode, so it is refused unless the caller passes
    `safe_mode=False`. Named functions are saved by name and looked up in
    `custom_objects` and `lamina.activations` on load. Prefer a `Layer`
    subclass for anything you need to save and share.

    Args:
        function: Callable taking the input tensor(s) first. If it accepts
            `mask` or `training` arguments, the layer passes them on.
        output_shape: Output shape without the batch axis (a tuple), or a
            function from the full input shape to the full output shape.
            Defaults to `None`: inferred by running `function`.
        mask: `None` (no output mask), a callable `mask(inputs, mask)` giving
            the output mask, or a fixed mask tensor. Defaults to `None`.
        arguments: Dict of extra keyword arguments for `function`. Defaults
            to `None`.

    Input shape:
        Whatever `function` takes.

    Output shape:
        Whatever `function` returns.

    Example:
    >>> Lambda(lambda x: x ** 2)(torch.tensor([1.0, 2.0, 3.0])).tolist()
    [1.0, 4.0, 9.0]
    """

    def __init__(
        self,
        function: Callable[..., Any],
        output_shape: Any = None,
        mask: Any = None,
        arguments: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if not callable(function):
            raise TypeError(
                f"Lambda expected function to be callable, but received "
                f"{type(function).__name__}: {function!r}. Pass a function or "
                f"lambda, e.g. Lambda(lambda x: x * 2)."
            )
        super().__init__(**kwargs)
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = _as_shape(output_shape)
        parameters = _parameter_names(function)
        self._passes_mask = "mask" in parameters
        self._passes_training = "training" in parameters

    def call(self, inputs: Any, mask: Any = None, training: bool | None = None) -> Any:
        kwargs = dict(self.arguments)
        if self._passes_mask:
            kwargs["mask"] = mask
        if self._passes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch_size = tree.flatten(input_shape)[0]
        return (batch_size, *self._output_shape)

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"function": _serialize_function(self.function)}
        if self._output_shape is not None:
            output_shape = self._output_shape
            if callable(output_shape):
                output_shape = _serialize_function(output_shape)
            config["output_shape"] = output_shape
        if self.mask is not None:
            config["mask"] = _serialize_mask(self.mask)
        config["arguments"] = self.arguments
        return {**super().get_config(), **config}

    @classmethod
    def from_config(
        cls,
        config: dict[str, Any],
        custom_objects: dict[str, Any] | None = None,
        safe_mode: bool = True,
    ) -> "Lambda":
        """Rebuilds a `Lambda`; bytecode loads only with `safe_mode=False`.

        Args:
            config: The dict `get_config()` returned (or Keras wrote).
            custom_objects: Dict of named functions the config may refer to.
            safe_mode: When `True` (the default), a config holding a Python
                lambda's bytecode is refused instead of executed.
        """
        config = dict(config)
        name = config.get("name", "lambda")
        for key in ("function", "output_shape", "mask"):
            value = config.get(key)
            if _is_function_config(value):
                config[key] = _load_function(value, name, custom_objects, safe_mode)
        return cls(**config)


def _parameter_names(function: Callable[..., Any]) -> set[str]:
    try:
        return set(inspect.signature(function).parameters)
    except (TypeError, ValueError):  # some builtins have no signature
        return set()


def _as_shape(output_shape: Any) -> Any:
    if output_shape is None or callable(output_shape):
        return output_shape
    return tuple(output_shape)


def _serialize_mask(mask: Any) -> Any:
    if callable(mask):
        return _serialize_function(mask)
    if isinstance(mask, torch.Tensor):
        return mask.tolist()
    return mask


def _serialize_function(function: Callable[..., Any]) -> dict[str, Any]:
    """Keras 3's form: bytecode for a `lambda`, the name for a named function."""
    if isinstance(function, types.LambdaType) and function.__name__ == "<lambda>":
        code = base64.encodebytes(marshal.dumps(function.__code__)).decode("ascii")
        closure = None
        if function.__closure__:
            closure = tuple(cell.cell_contents for cell in function.__closure__)
        return {
            "class_name": _LAMBDA,
            "config": {
                "code": code,
                "defaults": function.__defaults__,
                "closure": closure,
            },
        }
    return {
        "module": getattr(function, "__module__", None) or "builtins",
        "class_name": "function",
        "config": getattr(function, "__name__", type(function).__name__),
        "registered_name": "function",
    }


def _is_function_config(value: Any) -> bool:
    return isinstance(value, dict) and value.get("class_name") in (_LAMBDA, "function")


def _load_function(
    config: dict[str, Any],
    layer_name: str,
    custom_objects: dict[str, Any] | None,
    safe_mode: bool,
) -> Callable[..., Any]:
    if config["class_name"] == _LAMBDA:
        if safe_mode:
            raise ValueError(
                f"Layer '{layer_name}' (Lambda) holds the bytecode of a Python "
                f"lambda; loading it would execute code from the file, so it is "
                f"refused in safe mode. If you trust the file, pass "
                f"safe_mode=False: lamina.models.load_model(..., "
                f"safe_mode=False) or Lambda.from_config(config, "
                f"safe_mode=False)."
            )
        return _load_lambda(config["config"])
    return _lookup_function(config["config"], layer_name, custom_objects)


def _load_lambda(config: dict[str, Any]) -> Callable[..., Any]:
    code = marshal.loads(base64.decodebytes(config["code"].encode("ascii")))
    defaults = config.get("defaults")
    closure = config.get("closure")
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    return types.FunctionType(
        code,
        {"__builtins__": __builtins__, "torch": torch},
        code.co_name,
        tuple(defaults) if defaults is not None else None,
        closure,
    )


def _lookup_function(
    name: str, layer_name: str, custom_objects: dict[str, Any] | None
) -> Callable[..., Any]:
    from lamina import activations

    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in activations.ALL_OBJECTS:
        return activations.ALL_OBJECTS[name]
    raise ValueError(
        f"Layer '{layer_name}' (Lambda) calls a function named {name!r} that "
        f"lamina does not know. Pass it when loading: custom_objects="
        f"{{{name!r}: {name}}}. Known functions: "
        f"{', '.join(sorted(activations.ALL_OBJECTS))}."
    )
