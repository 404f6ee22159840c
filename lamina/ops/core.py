"""Core ops: conversion, dtype and shape queries, control flow, scatter/slice.

Control flow runs eagerly in Python (`cond` calls one branch, `while_loop`
loops), which is what PyTorch code does and what `torch.compile` traces.

Example:
>>> import torch
>>> cond(torch.tensor(True), lambda: 1, lambda: 2)
1
>>> fori_loop(0, 3, lambda i, total: total + i, 0)
3
"""

import builtins
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from lamina.backend.config import dtype_name
from lamina.ops import _tree
from lamina.ops._convert import canonical_axis
from lamina.ops._convert import shape_tuple
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype

TensorLike = Any


def convert_to_tensor(
    x: TensorLike,
    dtype: Any = None,
    sparse: bool | None = None,
    ragged: bool | None = None,
) -> torch.Tensor:
    """Converts a tensor, NumPy array, list or number to a torch tensor.

    Python ints become int32 and floats floatx, as in Keras; tensors keep their
    device.
    """
    if sparse or ragged:
        raise ValueError(
            f"convert_to_tensor received sparse={sparse}, ragged={ragged}, but "
            f"lamina has only dense tensors. Pass sparse=None and ragged=None."
        )
    return to_tensor(x, dtype=dtype)


def convert_to_numpy(x: TensorLike) -> np.ndarray:
    """Converts `x` to a NumPy array (detached, on the CPU)."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        if x.dtype == torch.bfloat16:
            x = x.to(torch.float32)
        return x.numpy()
    return np.asarray(x)


def is_tensor(x: Any) -> bool:
    """Whether `x` is a torch tensor."""
    return isinstance(x, torch.Tensor)


def cast(x: TensorLike, dtype: Any) -> torch.Tensor:
    """`x` converted to `dtype` (a Keras name or torch dtype)."""
    return to_tensor(x).to(torch_dtype(dtype))


def saturate_cast(x: TensorLike, dtype: Any) -> torch.Tensor:
    """Casts to `dtype`, clipping values to its range instead of wrapping."""
    x = to_tensor(x)
    target = torch_dtype(dtype)
    if target == torch.bool or target.is_complex or x.dtype == torch.bool:
        return x.to(target)
    info = torch.finfo(target) if target.is_floating_point else torch.iinfo(target)
    low, high = _bound(info.min, x.dtype), _bound(info.max, x.dtype)
    return torch.clamp(x, low, high).to(target)


def _bound(value: float, dtype: torch.dtype) -> float:
    """The value of `dtype`'s range closest to `value`."""
    if dtype.is_floating_point:
        limit = torch.finfo(dtype)
        return builtins.max(builtins.min(float(value), limit.max), limit.min)
    limit = torch.iinfo(dtype)
    return builtins.max(builtins.min(int(value), limit.max), limit.min)


def shape(x: TensorLike) -> tuple[int, ...]:
    """The shape of `x` as a tuple of ints."""
    return tuple(to_tensor(x).shape)


def dtype(x: TensorLike) -> str:
    """The Keras name of the dtype of `x`, e.g. `"float32"`."""
    return dtype_name(to_tensor(x).dtype)


def stop_gradient(variable: TensorLike) -> torch.Tensor:
    """`variable` detached from autograd."""
    return to_tensor(variable).detach()


def cond(pred: Any, true_fn: Callable, false_fn: Callable) -> Any:
    """Calls `true_fn()` if `pred` holds, else `false_fn()`."""
    return true_fn() if bool(pred) else false_fn()


def switch(index: Any, branches: list[Callable], *operands: Any) -> Any:
    """Calls `branches[index](*operands)`, clamping `index` into range."""
    position = builtins.max(0, builtins.min(int(index), len(branches) - 1))
    return branches[position](*operands)


def while_loop(
    cond: Callable,
    body: Callable,
    loop_vars: Any,
    maximum_iterations: int | None = None,
) -> Any:
    """Applies `body` while `cond` holds (at most `maximum_iterations` times)."""
    is_single = not isinstance(loop_vars, (list, tuple))
    state = (loop_vars,) if is_single else tuple(loop_vars)
    iteration = 0
    while bool(cond(*state)):
        if maximum_iterations is not None and iteration >= maximum_iterations:
            break
        result = body(*state)
        state = (result,) if is_single else tuple(result)
        iteration += 1
    return state[0] if is_single else type(loop_vars)(state)


def fori_loop(lower: int, upper: int, body_fun: Callable, init_val: Any) -> Any:
    """`val = body_fun(i, val)` for `i` in `range(lower, upper)`."""
    value = init_val
    for index in range(int(lower), int(upper)):
        value = body_fun(index, value)
    return value


def map(f: Callable, xs: Any) -> Any:  # noqa: A001 - Keras's public name
    """Applies `f` to each slice of `xs` along axis 0 and stacks the results."""
    leaves = [to_tensor(leaf) for leaf in _tree.flatten(xs)]
    outputs = []
    for index in range(leaves[0].shape[0]):
        outputs.append(f(_tree.pack_like(xs, [leaf[index] for leaf in leaves])))
    return _tree.map_structure(lambda *ys: torch.stack(list(ys)), *outputs)


def vectorized_map(function: Callable, elements: Any) -> Any:
    """Applies `function` to each slice along axis 0 with `torch.vmap`."""
    if isinstance(elements, (list, tuple)):
        return torch.vmap(lambda *items: function(type(elements)(items)))(
            *[to_tensor(e) for e in elements]
        )
    return torch.vmap(function)(to_tensor(elements))


def scan(
    f: Callable,
    init: Any,
    xs: Any = None,
    length: int | None = None,
    reverse: bool = False,
    unroll: int | bool = 1,
) -> tuple[Any, Any]:
    """Loops `carry, y = f(carry, x)` over `xs`; returns the carry and stacked ys."""
    if xs is None and length is None:
        raise ValueError(
            "scan received xs=None and length=None. Pass xs to scan over, or "
            "length for the number of steps."
        )
    leaves = [] if xs is None else [to_tensor(leaf) for leaf in _tree.flatten(xs)]
    steps = int(length) if length is not None else leaves[0].shape[0]
    carry = _tree.map_structure(to_tensor, init)
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    ys = []
    for index in order:
        x = (
            None
            if xs is None
            else _tree.pack_like(xs, [leaf[index] for leaf in leaves])
        )
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys or ys[0] is None:
        return carry, None
    return carry, _tree.map_structure(lambda *items: torch.stack(list(items)), *ys)


def associative_scan(
    f: Callable, elems: Any, reverse: bool = False, axis: int = 0
) -> Any:
    """Inclusive prefix scan of an associative `f` along `axis`.

    Uses the Hillis-Steele doubling scheme: log2(n) batched calls of `f`.
    """
    leaves = [to_tensor(leaf) for leaf in _tree.flatten(elems)]
    axis = canonical_axis(axis, leaves[0].ndim)
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]
    length = leaves[0].shape[axis]
    offset = 1
    while offset < length:
        earlier = [leaf.narrow(axis, 0, length - offset) for leaf in leaves]
        later = [leaf.narrow(axis, offset, length - offset) for leaf in leaves]
        combined = _tree.flatten(
            f(_tree.pack_like(elems, earlier), _tree.pack_like(elems, later))
        )
        leaves = [
            torch.cat([leaf.narrow(axis, 0, offset), to_tensor(new)], dim=axis)
            for leaf, new in zip(leaves, combined, strict=True)
        ]
        offset *= 2
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]
    return _tree.pack_like(elems, leaves)


def scatter(indices: TensorLike, values: TensorLike, shape: Any) -> torch.Tensor:
    """Zeros of `shape` with `values` added at `indices` (duplicates sum)."""
    values = to_tensor(values)
    indices = to_tensor(indices, device=values.device).long()
    out = torch.zeros(shape_tuple(shape), dtype=values.dtype, device=values.device)
    key = tuple(indices[..., i] for i in range(indices.shape[-1]))
    return out.index_put(key, values, accumulate=True)


def scatter_update(
    inputs: TensorLike,
    indices: TensorLike,
    updates: TensorLike,
    reduction: str | None = None,
) -> torch.Tensor:
    """A copy of `inputs` with `updates` written (or reduced) at `indices`."""
    inputs = to_tensor(inputs)
    indices = to_tensor(indices, device=inputs.device).long()
    updates = to_tensor(updates, device=inputs.device).to(inputs.dtype)
    key = tuple(indices[..., i] for i in range(indices.shape[-1]))
    if reduction is None:
        return inputs.index_put(key, updates)
    if reduction == "add":
        return inputs.index_put(key, updates, accumulate=True)
    reductions = {"mul": "prod", "max": "amax", "min": "amin"}
    if reduction not in reductions:
        raise ValueError(
            f"scatter_update received reduction={reduction!r}. Expected None, "
            f"'add', 'mul', 'max' or 'min'."
        )
    return _scatter_reduce(inputs, key, updates, reductions[reduction])


def _scatter_reduce(
    inputs: torch.Tensor, key: tuple, updates: torch.Tensor, reduce: str
) -> torch.Tensor:
    depth = len(key)
    inner_shape = inputs.shape[depth:]
    flat_index = torch.zeros_like(key[0])
    for dim, index in enumerate(key):
        flat_index = flat_index * inputs.shape[dim] + index
    flat_inputs = inputs.reshape((-1,) + inner_shape)
    flat_updates = updates.reshape((-1,) + inner_shape)
    target = flat_index.reshape(-1).reshape((-1,) + (1,) * len(inner_shape))
    target = target.expand_as(flat_updates)
    result = flat_inputs.scatter_reduce(0, target, flat_updates, reduce=reduce)
    return result.reshape(inputs.shape)


def slice(  # noqa: A001 - Keras's public name
    inputs: TensorLike, start_indices: Any, shape: Any
) -> torch.Tensor:
    """The block of `inputs` of size `shape` starting at `start_indices`."""
    inputs = to_tensor(inputs)
    result = inputs
    for dim, (start, size) in enumerate(
        zip(shape_tuple(start_indices), shape_tuple(shape), strict=True)
    ):
        result = result.narrow(dim, start, size if size >= 0 else inputs.shape[dim])
    return result


def slice_update(
    inputs: TensorLike, start_indices: Any, updates: TensorLike
) -> torch.Tensor:
    """A copy of `inputs` with the block at `start_indices` set to `updates`."""
    inputs = to_tensor(inputs)
    updates = to_tensor(updates, device=inputs.device).to(inputs.dtype)
    region = tuple(
        builtins.slice(start, start + size)
        for start, size in zip(shape_tuple(start_indices), updates.shape, strict=True)
    )
    result = inputs.clone()
    result[region] = updates
    return result


def unstack(x: TensorLike, num: int | None = None, axis: int = 0) -> list[torch.Tensor]:
    """Splits `x` into a list of tensors along `axis`."""
    return list(torch.unbind(to_tensor(x), dim=axis))


def custom_gradient(f: Callable) -> Callable:
    """Decorates `f(*args)` returning `(output, grad_fn)` with a custom gradient.

    `grad_fn(*upstream, variables=None)` (or `grad_fn(upstream)`) returns the
    gradients with respect to `args`, as in Keras.
    """

    class _CustomGradient(torch.autograd.Function):
        @staticmethod
        def forward(ctx: Any, *args: Any) -> Any:
            with torch.enable_grad():
                detached = [
                    a.detach().requires_grad_(a.requires_grad)
                    if isinstance(a, torch.Tensor)
                    else a
                    for a in args
                ]
                output, grad_fn = f(*detached)
            ctx.grad_fn = grad_fn
            return output.detach() if isinstance(output, torch.Tensor) else output

        @staticmethod
        def backward(ctx: Any, *upstream: Any) -> Any:
            grads = ctx.grad_fn(*upstream)
            return tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)

    def wrapper(*args: Any) -> Any:
        return _CustomGradient.apply(*args)

    wrapper.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapper.__doc__ = f.__doc__
    return wrapper


def cdist(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Euclidean distances between the rows of `x` and those of `y`."""
    x = to_tensor(x)
    y = to_tensor(y, device=x.device)
    return torch.cdist(x, y)


def rearrange(tensor: TensorLike, pattern: str, **axes_lengths: int) -> torch.Tensor:
    """Einops-style rearrangement, e.g. `"b h w c -> b (h w) c"`."""
    from lamina.ops._einops import rearrange as _rearrange

    return _rearrange(to_tensor(tensor), pattern, **axes_lengths)
