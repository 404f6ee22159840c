"""Private helpers shared by every op: conversion, promotion and axes."""

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from lamina.backend.config import dtype_name
from lamina.backend.config import floatx
from lamina.backend.config import standardize_dtype
from lamina.backend.device import get_device

_INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
_FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")

# Keras's promotion lattice (JAX-like): each type maps to the types just above.
_LATTICE = {
    "bool": ["int"],
    "uint8": ["int16", "uint16"],
    "uint16": ["int32", "uint32"],
    "uint32": ["int64", "uint64"],
    "uint64": ["float"],
    "int": ["uint8", "int8", "complex64"],
    "int8": ["int16"],
    "int16": ["int32"],
    "int32": ["int64"],
    "int64": ["float"],
    "float": ["bfloat16", "float16"],
    "bfloat16": ["float32"],
    "float16": ["float32"],
    "float32": ["float64", "complex64"],
    "float64": ["complex128"],
    "complex64": ["complex128"],
    "complex128": [],
}
# On torch Keras narrows 64-bit promotion results to 32 bits (JAX's x64 off).
_NARROW_64 = {
    "int64": "int32",
    "uint64": "uint32",
    "float64": "float32",
    "complex128": "complex64",
}


def _upper_bounds() -> dict[str, set[str]]:
    bounds = {node: {node} for node in _LATTICE}
    for node in _LATTICE:
        while True:
            grown = set().union(*(_LATTICE[b] for b in bounds[node]))
            if grown <= bounds[node]:
                break
            bounds[node] |= grown
    return bounds


_BOUNDS = _upper_bounds()


@functools.lru_cache(512)
def _least_upper_bound(*nodes: str) -> str:
    common = set.intersection(*(_BOUNDS[n] for n in nodes))
    least = (common & set(nodes)) or {c for c in common if common <= _BOUNDS[c]}
    if len(least) != 1:
        raise ValueError(
            f"Dtypes {nodes} have no implicit promotion path. Cast the inputs "
            f"to one dtype explicitly."
        )
    return least.pop()


def _weak(name: str) -> str:
    if name == "bool":
        return name
    return "float" if "float" in name else "int" if "int" in name else "complex64"


def _dtype_key(value: Any) -> tuple[str, bool]:
    if value is int or value is float:
        return ("int32" if value is int else floatx()), True
    if value is bool:
        return "bool", False
    if value is None:
        return floatx(), False
    if isinstance(value, str):
        return value, False
    return dtype_name(standardize_dtype(value)), False


def result_type(*dtypes: Any) -> str:
    """Keras's promotion rule: Python `int`/`float` are weak types."""
    if not dtypes:
        return floatx()
    names, weak = zip(*(_dtype_key(d) for d in dtypes), strict=True)
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(*set(names)), True
    else:
        nodes = {_weak(n) if w else n for n, w in zip(names, weak, strict=True)}
        out = _least_upper_bound(*nodes)
        out_weak = out in ("int", "float")
    if out_weak and out != "bool":
        bits = floatx()[-2:]
        if out == "bfloat16":
            out = f"float{bits}"
        else:
            prefix = {"b": "bool", "i": "int", "u": "uint"}.get(out[0], "float")
            out = "bool" if prefix == "bool" else f"{prefix}{bits}"
    return _NARROW_64.get(out, out)


def torch_dtype(dtype: Any) -> torch.dtype | None:
    """Turns a Keras dtype name (or `None`) into a torch dtype (or `None`)."""
    if dtype is None:
        return None
    if dtype is int:
        return torch.int32
    if dtype is float:
        return standardize_dtype(floatx())
    if dtype is bool:
        return torch.bool
    return standardize_dtype(dtype)


def _scalar_dtype(x: bool | int | float | complex) -> torch.dtype:
    if isinstance(x, bool):
        return torch.bool
    if isinstance(x, int):
        return torch.int32 if -(2**31) <= x < 2**31 else torch.int64
    if isinstance(x, float):
        return standardize_dtype(floatx())
    return torch.complex64


def to_tensor(x: Any, dtype: Any = None, device: Any = None) -> torch.Tensor:
    """Converts `x` to a tensor the way Keras's torch backend does.

    Tensors keep their device and dtype (unless `dtype` is given); Python ints
    become int32, floats floatx; NumPy arrays keep their dtype.
    """
    dtype = torch_dtype(dtype)
    if isinstance(x, torch.Tensor):
        return x if dtype is None else x.to(dtype)
    if device is None:
        device = get_device()
    if isinstance(x, (bool, int, float, complex)):
        return torch.tensor(x, dtype=dtype or _scalar_dtype(x), device=device)
    if isinstance(x, (list, tuple)) and any(
        isinstance(item, torch.Tensor) for item in x
    ):
        return torch.stack([to_tensor(item, dtype, device) for item in x])
    array = np.asarray(x)
    if array.dtype == np.uint32:
        array = array.astype(np.int64)
    if (
        dtype is None
        and array.dtype == np.float64
        and not isinstance(x, np.ndarray | np.generic)
    ):
        dtype = standardize_dtype(floatx())  # Python float lists -> floatx
    if (
        dtype is None
        and array.dtype == np.int64
        and not isinstance(x, np.ndarray | np.generic)
    ):
        dtype = torch.int32  # Python int lists -> int32, as Keras
    return torch.as_tensor(array, dtype=dtype, device=device)


def device_of(*values: Any) -> torch.device:
    """The device of the first tensor among `values`, else the default one."""
    for value in values:
        if isinstance(value, torch.Tensor):
            return value.device
    return get_device()


def tensors(*values: Any) -> list[torch.Tensor]:
    """Converts several values, putting non-tensors on the tensors' device."""
    device = device_of(*values)
    return [to_tensor(value, device=device) for value in values]


def is_int(x: torch.Tensor) -> bool:
    """Whether `x` holds integers or booleans."""
    return not (x.is_floating_point() or x.is_complex())


def to_float(x: torch.Tensor) -> torch.Tensor:
    """Casts integer and boolean tensors to floatx; leaves floats alone."""
    if is_int(x):
        return x.to(standardize_dtype(result_type(dtype_name(x.dtype), float)))
    return x


def axes(axis: int | Sequence[int] | None) -> tuple[int, ...] | None:
    """Normalises `axis` to a tuple (or `None`)."""
    if axis is None:
        return None
    if isinstance(axis, int):
        return (axis,)
    return tuple(int(a) for a in axis)


def canonical_axis(axis: int, ndim: int) -> int:
    """Maps a negative axis to its positive index."""
    return axis + ndim if axis < 0 else axis


def shape_tuple(shape: Any) -> tuple[int, ...]:
    """Turns an int, tuple or tensor of sizes into a tuple of ints."""
    if isinstance(shape, int):
        return (shape,)
    if isinstance(shape, torch.Tensor):
        return tuple(int(s) for s in shape.tolist())
    return tuple(int(s) for s in shape)
