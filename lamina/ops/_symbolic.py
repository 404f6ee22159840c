"""Ops on symbolic tensors: `ops.mean(Input((3,)))` records a graph node.

Every public op in `lamina.ops` accepts `KerasTensor`s, as `keras.ops`
does: the call becomes an `OperationCall` layer in the functional graph and
the op runs on real tensors when the model runs. Saved models name such a
node the way Keras 3 does (`{"module": "keras.src.ops.numpy", "class_name":
"Mean", "config": {"axis": -1, ...}}`), so files move both ways.
"""

import functools
import inspect
import types
from collections.abc import Callable
from typing import Any

import torch

from lamina.backend.config import dtype_name
from lamina.ops import _tree as tree

# Parameters that carry tensors: a call passes them to the node, not the
# config. Every other parameter is a constructor argument of Keras's
# operation class (checked against Keras in tests/reference/).
_DATA_PARAMETERS = frozenset(
    "a abs_ angle array b bias branches choicelist condition condlist "
    "coordinates data default depthwise_kernel elems elements end_points f "
    "false_fn fill_value fun image1 image2 images index indices init init_val "
    "inputs kernel key loop_vars mask operands output output_length "
    "pointwise_kernel pred predictions primals q query scale segment_ids "
    "sequence_lengths sorted_sequence start start_indices start_points step "
    "stop tangents target target_length targets transform translation "
    "true_fn updates value values variable volumes weights x x1 x2 xs y".split()
)

# Ops whose Keras class splits its arguments otherwise: parameter -> whether
# it is a constructor (config) argument.
_CONFIG_EXCEPTIONS = {
    "batch_normalization": {"mean": False, "variance": False, "offset": False},
    "bincount": {"weights": True},
    "digitize": {"bins": False},
    "isclose": {"rtol": False, "atol": False},
    "layer_normalization": {"gamma": False, "beta": False},
    "pad": {"constant_values": False},
    "rearrange": {"tensor": False, "pattern": False},
    "squareplus": {"b": True},
    "trapezoid": {"x": True},
    "unique": {"fill_value": True},
    "affine_transform": {"fill_value": True},
    "elastic_transform": {"fill_value": True},
    "map_coordinates": {"fill_value": True},
    "perspective_transform": {"fill_value": True},
    "resize": {"fill_value": True},
    "scale_and_translate": {"output_shape": False},
}

# Keras class names that are not the op's name in CamelCase.
_CLASS_NAMES = {
    "abs": "Absolute",
    "allclose": "AllClose",
    "batch_normalization": "BatchNorm",
    "cdist": "CDist",
    "conj": "Conjugate",
    "ctc_decode": "CTCDecode",
    "ctc_loss": "CTCLoss",
    "fft": "FFT",
    "fft2": "FFT2",
    "hard_swish": "HardSilu",
    "hsv_to_rgb": "HSVToRGB",
    "ifft2": "IFFT2",
    "irfft": "IRFFT",
    "isin": "IsIn",
    "istft": "ISTFT",
    "jvp": "JVP",
    "layer_normalization": "LayerNorm",
    "psnr": "PSNR",
    "rfft": "RFFT",
    "rgb_to_grayscale": "RGBToGrayscale",
    "rgb_to_hsv": "RGBToHSV",
    "rms_normalization": "RMSNorm",
    "searchsorted": "SearchSorted",
    "ssim": "SSIM",
    "stft": "STFT",
    "svd": "SVD",
    "swish": "Silu",
}

# Ops whose Keras class lives in another module than lamina's op.
_MODULES = {"cdist": "math", "rearrange": "einops"}

# Ops that Keras answers from a KerasTensor's shape and dtype instead of
# recording a node: their result is not a tensor.
_SPEC_ANSWERS: dict[str, Callable[[Any], Any]] = {
    "lamina.ops.core.dtype": lambda x: x.dtype,
    "lamina.ops.core.is_tensor": lambda x: False,
    "lamina.ops.core.shape": lambda x: x.shape,
    "lamina.ops.numpy.shape.ndim": lambda x: x.ndim,
}


def symbolic_aware(function: Callable) -> Callable:
    """Wraps op `function` so that it also takes `KerasTensor`s.

    Example:
    >>> import lamina
    >>> from lamina import ops
    >>> ops.mean(lamina.Input((3,)), axis=-1).shape
    (None,)
    """
    if getattr(function, "_lamina_op", None) is not None:
        return function

    @functools.wraps(function)
    def op(*args: Any, **kwargs: Any) -> Any:
        if not (is_symbolic(args) or is_symbolic(kwargs.values())):
            return function(*args, **kwargs)
        answer = _SPEC_ANSWERS.get(f"{function.__module__}.{function.__name__}")
        if answer is not None:
            return answer(*args, **kwargs)
        return record_call(function, args, kwargs)

    op._lamina_op = function
    return op


def make_namespace_symbolic(namespace: dict[str, Any]) -> None:
    """Replaces each public op function in a module's `namespace` by its
    `symbolic_aware` form (the defining modules keep the plain one)."""
    for name, value in list(namespace.items()):
        if (
            not name.startswith("_")
            and isinstance(value, types.FunctionType)
            and value.__module__.startswith("lamina.ops.")
            and value.__module__ != __name__
        ):
            namespace[name] = symbolic_aware(value)


def is_symbolic(values: Any) -> bool:
    """Whether any of `values` (or their nested leaves) is a `KerasTensor`."""
    from lamina.layers.keras_tensor import KerasTensor

    for value in values:
        if isinstance(value, KerasTensor):
            return True
        if isinstance(value, (list, tuple, dict)) and any(
            isinstance(leaf, KerasTensor) for leaf in tree.flatten(value)
        ):
            return True
    return False


@functools.cache
def _signature(function: Callable) -> inspect.Signature:
    """`inspect.signature`, computed once per op: nodes replay on every
    forward pass, and the signature costs several microseconds."""
    return inspect.signature(function)


def _is_config_parameter(op_name: str, parameter: inspect.Parameter) -> bool:
    if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
        return False
    exceptions = _CONFIG_EXCEPTIONS.get(op_name, {})
    if parameter.name in exceptions:
        return exceptions[parameter.name]
    return parameter.name not in _DATA_PARAMETERS


def keras_module(function: Callable) -> str:
    if function.__module__.startswith("lamina.backend"):
        return "lamina.backend"  # a Keras 2 `K` function: lamina's own form
    parts = function.__module__.split(".")  # lamina.ops.<namespace>[.<file>]
    namespace = _MODULES.get(function.__name__, parts[2].lstrip("_"))
    return f"keras.src.ops.{namespace}"


def keras_class_name(op_name: str) -> str:
    default = "".join(part[:1].upper() + part[1:] for part in op_name.split("_"))
    return _CLASS_NAMES.get(op_name, default)


def record_call(function: Callable, args: tuple, kwargs: dict) -> Any:
    """Adds `function(*args, **kwargs)` on symbolic tensors to the graph.

    Non-tensor arguments that Keras's operation class takes in its
    constructor become the layer's config; the rest are the node's inputs.
    """
    from lamina.layers.core.operation_call import OperationCall

    signature = _signature(function)
    bound = signature.bind(*args, **kwargs)
    config, data, data_kwargs = {}, [], {}
    skipped = False  # a parameter was left out: later data go by name
    for name, parameter in signature.parameters.items():
        is_config = _is_config_parameter(function.__name__, parameter)
        if name not in bound.arguments:
            skipped = True
            if is_config and parameter.default is not parameter.empty:
                config[name] = parameter.default  # Keras writes defaults too
            continue
        value = bound.arguments[name]
        if parameter.kind is parameter.VAR_POSITIONAL:
            data.extend(value)
        elif parameter.kind is parameter.VAR_KEYWORD:
            data_kwargs.update(value)
        elif is_config and not is_symbolic([value]):
            config[name] = _config_value(value)
        elif skipped or parameter.kind is parameter.KEYWORD_ONLY:
            data_kwargs[name] = value
        else:
            data.append(value)
    return OperationCall(function, config)(*data, **data_kwargs)


_GET_ITEM = "lamina.ops.numpy.indexing.get_item"


def node_function(function: Callable) -> Callable:
    """What a recorded node of op `function` runs: `function` itself, but for
    `get_item`, which reads a list key as a tuple, as Keras's `GetItem` does
    (saved files store the key of `x[0, 1]` as the list `[0, 1]`).

    Example:
    >>> import torch
    >>> from lamina import ops
    >>> node_function(ops.get_item._lamina_op)(torch.eye(3), [0, 1]).item()
    0.0
    """
    if f"{function.__module__}.{function.__name__}" != _GET_ITEM:
        return function

    @functools.wraps(function)
    def get_item(x: Any, key: Any) -> Any:
        return function(x, tuple(key) if isinstance(key, list) else key)

    return get_item


def _config_value(value: Any) -> Any:
    # Keras saves dtypes by name (`ops.cast(x, torch.int32)` -> "int32").
    return dtype_name(value) if isinstance(value, torch.dtype) else value


def positional_arguments(
    function: Callable, data: list[Any], named: dict[str, Any]
) -> list[Any]:
    """Lays out a node's data and the named arguments in signature order,
    taking from `named` what goes by position."""
    positional: list[Any] = []
    for name, parameter in _signature(function).parameters.items():
        if not data:
            break
        if parameter.kind is parameter.VAR_POSITIONAL:
            positional.extend(data)
            data = []
        elif parameter.kind not in (
            parameter.POSITIONAL_ONLY,
            parameter.POSITIONAL_OR_KEYWORD,
        ):
            break
        elif name in named:
            positional.append(named.pop(name))
        else:
            positional.append(data.pop(0))
    if data:
        raise TypeError(
            f"Op '{function.__name__}' received {len(positional) + len(data)} "
            f"positional inputs, more than its signature "
            f"{_signature(function)} takes."
        )
    return positional


def operation_from_config(config: dict[str, Any]) -> Any:
    """Rebuilds the layer of a saved op node (Keras 3's or lamina's form).

    Only ops of `lamina.ops` can be named; nothing is imported.

    Raises:
        LoadError: The op is unknown or its config has unknown arguments.
    """
    from lamina.layers.core.operation_call import OperationCall
    from lamina.saving.errors import LoadError

    module, class_name = str(config.get("module")), str(config.get("class_name"))
    function = _find_op(module.rsplit(".", 1)[-1], class_name)
    if function is None:
        raise LoadError(
            f"The model uses the operation {class_name!r} of {module!r}, which "
            f"lamina.ops does not have."
        )
    arguments = dict(config.get("config") or {})
    name = arguments.pop("name", None)
    if "dtype" not in _parameters(function):
        arguments.pop("dtype", None)  # Keras records it on every operation
    unknown = sorted(set(arguments) - set(_parameters(function)))
    if unknown and not _takes_any_keyword(function):
        raise LoadError(
            f"The operation {class_name!r} has config keys {unknown} that "
            f"lamina.ops.{function.__name__} does not take; it takes "
            f"{sorted(_parameters(function))}."
        )
    return OperationCall(function, arguments, name=name)


def _parameters(function: Callable) -> list[str]:
    return list(_signature(function).parameters)


def _takes_any_keyword(function: Callable) -> bool:
    # such as layer_normalization, which takes Keras's deprecated rms_scaling
    parameters = _signature(function).parameters.values()
    return any(parameter.kind is parameter.VAR_KEYWORD for parameter in parameters)


def _find_op(namespace: str, class_name: str) -> Callable | None:
    import lamina.backend
    import lamina.ops

    wanted = class_name.replace("_", "").lower()
    candidates = [lamina.ops]
    if namespace in ("numpy", "nn", "linalg", "image"):
        candidates.insert(0, getattr(lamina.ops, namespace))
    if namespace == "backend":
        candidates = [lamina.backend]
    for candidate in candidates:
        for name, value in vars(candidate).items():
            if name.startswith("_") or getattr(value, "_lamina_op", None) is None:
                continue
            op = value._lamina_op
            if wanted in (name.replace("_", ""), keras_class_name(op.__name__).lower()):
                return op
    return None
