"""Indexing, selection, sorting, searching and counting.

Example:
>>> import torch
>>> take(torch.tensor([10, 20, 30]), torch.tensor([2, 0])).tolist()
[30, 10]
>>> where(torch.tensor([True, False]), 1, 2).tolist()
[1, 2]
"""

from typing import Any

import numpy as np
import torch

from lamina.ops._convert import canonical_axis
from lamina.ops._convert import result_type
from lamina.ops._convert import tensors
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype

TensorLike = Any


def get_item(x: TensorLike, key: Any) -> torch.Tensor:
    """`x[key]`, for any NumPy-style key.

    A list holding slices, `...` or `None` is a multi-axis key, as a saved
    model stores the tuple `x[:, 1:3]` was written with. Slices may step
    backwards (`x[:, ::-1]`), which torch indexing alone refuses.

    Example:
    >>> get_item(torch.arange(5), slice(None, None, -2)).tolist()
    [4, 2, 0]
    """
    if isinstance(key, list) and any(
        item is None or item is Ellipsis or isinstance(item, slice) for item in key
    ):
        key = tuple(key)
    x = to_tensor(x)
    parts = key if isinstance(key, tuple) else (key,)
    if any(isinstance(part, slice) and (part.step or 1) < 0 for part in parts):
        x, key = _forward_slices(x, parts)
    return x[key]


def _forward_slices(x: torch.Tensor, parts: tuple) -> tuple[torch.Tensor, tuple]:
    """Rewrites backward-stepping slices as a flip and a forward slice."""
    consumed = sum(part is not None and part is not Ellipsis for part in parts)
    axis, flips, key = 0, [], []
    for part in parts:
        if part is Ellipsis:
            axis += x.ndim - consumed
        elif isinstance(part, slice) and (part.step or 1) < 0:
            size = x.shape[axis]
            picked = range(size)[part]  # indices in the order the slice takes
            flips.append(axis)
            if len(picked) == 0:
                part = slice(0, 0)
            else:  # positions in the flipped axis, going forward
                part = slice(size - 1 - picked[0], size - picked[-1], -part.step)
        if part is not None:
            axis += 0 if part is Ellipsis else 1
        key.append(part)
    return x.flip(flips), tuple(key)


def _wrap_negative(indices: torch.Tensor, length: int) -> torch.Tensor:
    return torch.where(indices < 0, indices + length, indices)


def take(x: TensorLike, indices: TensorLike, axis: int | None = None) -> torch.Tensor:
    """Elements of `x` at `indices` along `axis` (flattened when `None`)."""
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = canonical_axis(axis, x.ndim)
    indices = to_tensor(indices, device=x.device).long()
    indices = _wrap_negative(indices, x.shape[axis])
    picked = torch.index_select(x, axis, indices.reshape(-1))
    shape = x.shape[:axis] + indices.shape + x.shape[axis + 1 :]
    return picked.reshape(shape)


def take_along_axis(
    x: TensorLike, indices: TensorLike, axis: int | None = None
) -> torch.Tensor:
    """Picks values along `axis` with an index tensor that broadcasts with `x`."""
    x = to_tensor(x)
    indices = to_tensor(indices, device=x.device).long()
    if axis is None:
        x, axis = x.reshape(-1), 0
    indices = _wrap_negative(indices, x.shape[axis])
    return torch.take_along_dim(x, indices, dim=axis)


def where(
    condition: TensorLike, x1: TensorLike = None, x2: TensorLike = None
) -> torch.Tensor:
    """`x1` where `condition` holds, else `x2`; indices of true when alone."""
    if x1 is None and x2 is None:
        condition = to_tensor(condition).bool()
        return torch.stack(torch.where(condition), dim=0)
    if x1 is None or x2 is None:
        raise ValueError(
            "where expected both x1 and x2, or neither, but received only one. "
            "Pass both branches."
        )
    condition, x1, x2 = tensors(condition, x1, x2)
    return torch.where(condition.bool(), x1, x2)


def select(condlist: Any, choicelist: Any, default: TensorLike = 0) -> torch.Tensor:
    """Picks from `choicelist` where the matching `condlist` entry first holds."""
    conditions = [to_tensor(c).bool() for c in condlist]
    choices = tensors(*choicelist)
    out = to_tensor(default, device=choices[0].device)
    for condition, choice in reversed(list(zip(conditions, choices, strict=True))):
        out = torch.where(condition, choice, out)
    return out


def nonzero(x: TensorLike) -> torch.Tensor:
    """Indices of non-zero elements, one row per axis, as int32."""
    return torch.nonzero(to_tensor(x)).T.to(torch.int32)


def sort(x: TensorLike, axis: int | None = -1) -> torch.Tensor:
    """Sorted copy of `x` along `axis` (flattened when `None`)."""
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.sort(x, dim=axis, stable=True).values


def argsort(x: TensorLike, axis: int | None = -1) -> torch.Tensor:
    """Indices that sort `x` along `axis` (stable), as int32."""
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def argpartition(x: TensorLike, kth: int, axis: int = -1) -> torch.Tensor:
    """Indices that put the `kth` smallest element in its sorted place."""
    x = to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    # A full stable sort is a valid partition and keeps ties in order.
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def searchsorted(
    sorted_sequence: TensorLike, values: TensorLike, side: str = "left"
) -> torch.Tensor:
    """Insertion points of `values` into the 1-D `sorted_sequence`."""
    sorted_sequence, values = tensors(sorted_sequence, values)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            f"searchsorted expected a 1-D sorted_sequence, but received shape "
            f"{tuple(sorted_sequence.shape)}. Use vectorized_map for N-D input."
        )
    values = values.to(torch.promote_types(values.dtype, sorted_sequence.dtype))
    sorted_sequence = sorted_sequence.to(values.dtype)
    return torch.searchsorted(sorted_sequence, values, side=side, out_int32=True)


def digitize(x: TensorLike, bins: TensorLike) -> torch.Tensor:
    """Index of the bin each value of `x` falls in, as int32."""
    x, bins = tensors(x, bins)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.bucketize(x, bins.to(x.dtype), right=True).to(torch.int32)


def isin(
    x1: TensorLike, x2: TensorLike, assume_unique: bool = False, invert: bool = False
) -> torch.Tensor:
    """Whether each element of `x1` occurs in `x2`."""
    x1, x2 = tensors(x1, x2)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def bincount(
    x: TensorLike,
    weights: TensorLike | None = None,
    minlength: int = 0,
    sparse: bool = False,
) -> torch.Tensor:
    """Counts (or sums `weights`) per non-negative integer value."""
    if sparse:
        raise ValueError(
            "bincount received sparse=True; lamina has no sparse "
            "tensors. Pass sparse=False."
        )
    x = to_tensor(x)
    if weights is None:
        return _bincount_rows(x, None, minlength).to(torch.int32)
    weights = to_tensor(weights, device=x.device)
    dtype = torch_dtype(result_type(x.dtype, weights.dtype))
    return _bincount_rows(x, weights.to(dtype), minlength).to(dtype)


def _bincount_rows(x: torch.Tensor, weights: Any, minlength: int) -> torch.Tensor:
    if x.ndim == 1:
        return torch.bincount(x, weights, minlength)
    length = max(minlength, int(x.max()) + 1)
    rows = [
        torch.bincount(row, None if weights is None else w, length)
        for row, w in zip(x, weights if weights is not None else x, strict=True)
    ]
    return torch.stack(rows)


def histogram(
    x: TensorLike,
    bins: int = 10,
    range: tuple[float, float] | None = None,  # noqa: A002
) -> tuple[torch.Tensor, torch.Tensor]:
    """Counts (as floats) of `x` in `bins` equal bins, and the bin edges."""
    x = to_tensor(x)
    low, high = range if range is not None else (float(x.min()), float(x.max()))
    counts = torch.histc(x.float(), bins=bins, min=low, max=high)
    edges = torch.linspace(low, high, bins + 1, device=x.device, dtype=x.dtype)
    return counts.to(x.dtype), edges


def unique(
    x: TensorLike,
    sorted: bool = True,  # noqa: A002 - Keras's argument name
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
    size: int | None = None,
    fill_value: Any = None,
) -> torch.Tensor | tuple[torch.Tensor, ...]:
    """Sorted unique values, optionally with indices, inverse and counts."""
    x = to_tensor(x)
    values, inverse, counts = torch.unique(
        x, sorted=True, return_inverse=True, return_counts=True, dim=axis
    )
    dim = 0 if axis is None else canonical_axis(axis, x.ndim)
    first = _first_indices(inverse, values.shape[dim])
    if size is not None:
        values, counts, first = _resize_unique(
            values, counts, first, dim, size, fill_value
        )
    outputs = [values]
    if return_index:
        outputs.append(first)
    if return_inverse:
        outputs.append(inverse)
    if return_counts:
        outputs.append(counts)
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def _first_indices(inverse: torch.Tensor, count: int) -> torch.Tensor:
    flat = inverse.reshape(-1)
    positions = torch.arange(flat.numel(), device=flat.device)
    first = torch.full((count,), flat.numel(), dtype=torch.long, device=flat.device)
    return first.scatter_reduce(0, flat, positions, reduce="amin")


def _resize_unique(values, counts, first, dim, size, fill_value):  # noqa: ANN001, ANN202
    extra = size - values.shape[dim]
    if extra <= 0:
        return values.narrow(dim, 0, size), counts[:size], first[:size]
    pad_shape = list(values.shape)
    pad_shape[dim] = extra
    fill = values.new_full(pad_shape, 0 if fill_value is None else fill_value)
    return (
        torch.cat([values, fill], dim=dim),
        torch.cat([counts, counts.new_zeros(extra)]),
        torch.cat([first, first.new_zeros(extra)]),
    )


def unravel_index(indices: TensorLike, shape: Any) -> tuple[torch.Tensor, ...]:
    """Converts flat indices into a tuple of coordinate tensors."""
    indices = to_tensor(indices)
    coords = torch.unravel_index(indices, tuple(int(s) for s in shape))
    return tuple(c.to(torch.int32) for c in coords)


def vectorize(pyfunc: Any, *, excluded: Any = None, signature: Any = None) -> Any:
    """Turns a function of scalars into one applied element-wise over tensors.

    Without `signature` the call is batched with `torch.vmap` (autograd and
    device preserved); with a gufunc `signature` it runs through NumPy.
    """
    if signature is not None or excluded:
        vectorized = np.vectorize(
            pyfunc, excluded=excluded or set(), signature=signature
        )

        def call_numpy(*args: Any, **kwargs: Any) -> torch.Tensor:
            arrays = [to_tensor(a).detach().cpu().numpy() for a in args]
            return torch.as_tensor(vectorized(*arrays, **kwargs))

        return call_numpy

    def call(*args: Any, **kwargs: Any) -> torch.Tensor:
        batched = tensors(*args)
        shape = torch.broadcast_shapes(*(b.shape for b in batched))
        flat = [torch.broadcast_to(b, shape).reshape(-1) for b in batched]
        mapped = torch.vmap(lambda *items: pyfunc(*items, **kwargs))
        return mapped(*flat).reshape(shape)

    return call
