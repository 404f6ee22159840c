"""`Lambda`: wraps any Python callable as a layer."""

import base64
import binascii
import builtins
import inspect
import marshal
import sys
import types
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from lamina.layers.layer import Layer
from lamina.utils import tree

_LAMBDA = "__lambda__"
# Keras 2 wrote the module of each function beside it; lamina never imports it.
_KERAS2_MODULE_KEYS = {
    "function": "module",
    "output_shape": "output_shape_module",
    "mask": "mask_module",
}


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

        Reads Keras 3's config (`{"class_name": "__lambda__", "config":
        {"code", "defaults", "closure"}}` for a lambda, a `"function"`
        config for a named function) and Keras 2's (`function_type`,
        `output_shape_type` and `mask_type` of `"lambda"`, `"function"` or
        `"raw"`, with the lambda as `[code, defaults, closure]`).

        Args:
            config: The dict `get_config()` returned (or Keras wrote).
            custom_objects: Dict of named functions the config may refer to;
                a lambda loaded with `safe_mode=False` also sees them as
                globals (e.g. `{"K": ...}` for a Keras 2 lambda using `K`).
            safe_mode: When `True` (the default), a config holding a Python
                lambda's bytecode is refused instead of executed.
        """
        config = dict(config)
        name = config.get("name", "lambda")
        loader = _FunctionLoader(name, custom_objects, safe_mode)
        for key in ("function", "output_shape", "mask"):
            function_type = config.pop(f"{key}_type", None)
            config.pop(_KERAS2_MODULE_KEYS[key], None)  # never imported
            value = config.get(key)
            if function_type is not None:
                config[key] = loader.load_keras2(value, function_type, key)
            elif _is_function_config(value):
                config[key] = loader.load(value)
        if isinstance(config.get("mask"), dict):  # a fixed mask tensor
            config["mask"] = _deserialize_value(config["mask"])
        config["arguments"] = _deserialize_arguments(config.get("arguments"))
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
    from lamina.saving import object_registration

    # Keras 3 writes "builtins" as the module of any function here; the name
    # (a registered "package>name" when there is one) is what loads it.
    return {
        "module": "builtins",
        "class_name": "function",
        "config": object_registration.get_registered_name(function),
        "registered_name": "function",
    }


def _is_function_config(value: Any) -> bool:
    return isinstance(value, dict) and value.get("class_name") in (_LAMBDA, "function")


class _FunctionLoader:
    """Turns a Lambda's function configs back into callables, safely."""

    def __init__(
        self, layer_name: str, custom_objects: dict[str, Any] | None, safe_mode: bool
    ) -> None:
        from lamina.saving.serialization_lib import resolve_safe_mode

        self.layer_name = layer_name
        self.custom_objects = dict(custom_objects or {})
        self.safe_mode = resolve_safe_mode(safe_mode)

    def load(self, config: dict[str, Any]) -> Callable[..., Any]:
        """Keras 3: a `__lambda__` (bytecode) or a `function` (a name)."""
        if config["class_name"] == _LAMBDA:
            inner = config.get("config") or {}
            if "value" in inner:  # serialize_keras_object's form of a lambda
                return self.bytecode(inner["value"])
            return self.bytecode(
                [inner.get("code"), inner.get("defaults"), inner.get("closure")]
            )
        return self.lookup(config.get("config"))

    def load_keras2(self, value: Any, function_type: str, key: str) -> Any:
        """Keras 2: `value` is bytecode, a function name, or a raw value."""
        if function_type == "lambda":
            return self.bytecode(value)
        if function_type == "function":
            if isinstance(value, dict):  # a function config, not a bare name
                return self.load(value) if _is_function_config(value) else value
            return self.lookup(value)
        if function_type == "raw":
            return value
        raise ValueError(
            f"Layer '{self.layer_name}' (Lambda) has {key}_type="
            f"{function_type!r}; Keras writes 'lambda', 'function' or 'raw'. "
            f"Check that the file was saved by Keras or lamina."
        )

    def bytecode(self, dumped: Any) -> Callable[..., Any]:
        """Rebuilds a lambda from `[code, defaults, closure]` or bare `code`."""
        if self.safe_mode:
            raise ValueError(
                f"Layer '{self.layer_name}' (Lambda) holds the bytecode of a "
                f"Python lambda; loading it would execute code from the file, "
                f"so it is refused in safe mode. If you trust the file, pass "
                f"safe_mode=False: lamina.models.load_model(..., "
                f"safe_mode=False) or Lambda.from_config(config, "
                f"safe_mode=False)."
            )
        code, defaults, closure = dumped, None, None
        if isinstance(dumped, (list, tuple)) and len(dumped) == 3:
            code, defaults, closure = dumped
        function_code = self._unmarshal(code)
        cells = None
        if closure is not None:
            cells = tuple(types.CellType(value) for value in closure)
        namespace = {"__builtins__": builtins, "torch": torch, **self.custom_objects}
        try:
            return types.FunctionType(
                function_code,
                namespace,
                function_code.co_name,
                tuple(defaults) if defaults is not None else None,
                cells,
            )
        except (TypeError, ValueError) as err:
            reason = f"its closure does not fit the code ({err})"
            raise self._unreadable(reason) from err

    def _unmarshal(self, code: Any) -> types.CodeType:
        if not isinstance(code, str):
            raise self._unreadable(f"the code is a {type(code).__name__}, not text")
        try:
            raw = base64.decodebytes(code.encode("ascii"))
        except (UnicodeEncodeError, binascii.Error):  # Keras 1's raw form
            raw = code.encode("raw_unicode_escape")
        try:
            function_code = marshal.loads(raw)  # noqa: S302 -- safe_mode is off
        except (ValueError, EOFError, TypeError) as err:
            raise self._unreadable(f"marshal failed: {err}") from err
        if not isinstance(function_code, types.CodeType):
            raise self._unreadable("the data is not a code object")
        return function_code

    def _unreadable(self, reason: str) -> ValueError:
        return ValueError(
            f"Layer '{self.layer_name}' (Lambda) holds lambda bytecode that this "
            f"Python ({sys.version.split()[0]}) cannot read: {reason}. Bytecode "
            f"only loads in the Python version that saved it; rebuild the "
            f"Lambda in code and load the weights instead."
        )

    def lookup(self, name: Any) -> Callable[..., Any]:
        from lamina import activations

        if isinstance(name, str):
            if name in self.custom_objects:
                return self.custom_objects[name]
            if name in activations.ALL_OBJECTS:
                return activations.ALL_OBJECTS[name]
            from lamina.saving import object_registration

            registered = object_registration.get_registered_object(name)
            if callable(registered):
                return registered
        raise ValueError(
            f"Layer '{self.layer_name}' (Lambda) calls a function named {name!r} "
            f"that lamina does not know. Pass it when loading: custom_objects="
            f"{{{name!r}: {name}}}. Known functions: "
            f"{', '.join(sorted(activations.ALL_OBJECTS))}."
        )


def _deserialize_value(value: Any) -> Any:
    from lamina.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(value)


def _deserialize_arguments(arguments: Any) -> dict[str, Any]:
    """Keras 3 writes arrays as `__numpy__` configs, Keras 2 as `ndarray` dicts."""
    if not isinstance(arguments, dict):
        return {}
    restored = {}
    for key, value in arguments.items():
        if isinstance(value, dict) and value.get("type") == "ndarray":
            value = np.array(value.get("value"))
        elif isinstance(value, dict) and "class_name" in value:
            value = _deserialize_value(value)
        restored[key] = value
    return restored
