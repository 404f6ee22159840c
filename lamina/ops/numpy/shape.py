"""Shape ops: reshape, transpose, join, split, pad, tile and friends.

Example:
>>> import torch
>>> tuple(expand_dims(torch.zeros(2, 3), -1).shape)
(2, 3, 1)
>>> [tuple(t.shape) for t in split(torch.zeros(4, 2), 2)]
[(2, 2), (2, 2)]
"""

from typing import Any

import torch

from lamina.ops._convert import axes
from lamina.ops._convert import canonical_axis
from lamina.ops._convert import shape_tuple
from lamina.ops._convert import tensors
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype

TensorLike = Any


def ndim(x: TensorLike) -> int:
    """Number of axes of `x`."""
    return to_tensor(x).ndim


def size(x: TensorLike) -> torch.Tensor:
    """Number of elements of `x`, as a 0-d int64 tensor."""
    return torch.tensor(to_tensor(x).numel())


def reshape(x: TensorLike, newshape: Any) -> torch.Tensor:
    """`x` with a new shape (`-1` infers one axis)."""
    return torch.reshape(to_tensor(x), shape_tuple(newshape))


def ravel(x: TensorLike) -> torch.Tensor:
    """`x` flattened to 1-D."""
    return torch.ravel(to_tensor(x))


def expand_dims(x: TensorLike, axis: int | tuple[int, ...]) -> torch.Tensor:
    """Inserts size-1 axes at `axis` (positions in the output)."""
    x = to_tensor(x)
    out_ndim = x.ndim + len(axes(axis))
    for dim in sorted(canonical_axis(a, out_ndim) for a in axes(axis)):
        x = torch.unsqueeze(x, dim)
    return x


def squeeze(x: TensorLike, axis: int | tuple[int, ...] | None = None) -> torch.Tensor:
    """Removes size-1 axes (only those in `axis` when given)."""
    x = to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    for dim in axes(axis):
        if x.shape[dim] != 1:
            raise ValueError(
                f"squeeze cannot remove axis {dim} of size {x.shape[dim]} from "
                f"shape {tuple(x.shape)}. Pass axes whose size is 1."
            )
    return torch.squeeze(x, dim=axes(axis))


def transpose(x: TensorLike, axes: tuple[int, ...] | None = None) -> torch.Tensor:
    """Permutes axes (reverses them when `axes` is `None`)."""
    x = to_tensor(x)
    if axes is None:
        axes = tuple(reversed(range(x.ndim)))
    return torch.permute(x, tuple(axes))


def swapaxes(x: TensorLike, axis1: int, axis2: int) -> torch.Tensor:
    """Swaps two axes."""
    return torch.swapaxes(to_tensor(x), axis1, axis2)


def moveaxis(x: TensorLike, source: Any, destination: Any) -> torch.Tensor:
    """Moves axes `source` to positions `destination`."""
    return torch.movedim(to_tensor(x), source, destination)


def broadcast_to(x: TensorLike, shape: Any) -> torch.Tensor:
    """Broadcasts `x` to `shape`."""
    return torch.broadcast_to(to_tensor(x), shape_tuple(shape))


def concatenate(xs: Any, axis: int | None = 0) -> torch.Tensor:
    """Joins tensors along an existing axis (flattened when `axis=None`)."""
    parts = tensors(*xs)
    if axis is None:
        parts = [p.flatten() for p in parts]
        axis = 0
    dtype = parts[0].dtype
    for part in parts[1:]:
        dtype = torch.promote_types(dtype, part.dtype)
    return torch.cat([p.to(dtype) for p in parts], dim=axis)


def append(x1: TensorLike, x2: TensorLike, axis: int | None = None) -> torch.Tensor:
    """`x2` joined after `x1` (both flattened when `axis=None`)."""
    return concatenate([x1, x2], axis=axis)


def stack(x: Any, axis: int = 0) -> torch.Tensor:
    """Joins tensors along a new axis."""
    parts = tensors(*x)
    dtype = parts[0].dtype
    for part in parts[1:]:
        dtype = torch.promote_types(dtype, part.dtype)
    return torch.stack([p.to(dtype) for p in parts], dim=axis)


def hstack(xs: Any) -> torch.Tensor:
    """Stacks horizontally (along axis 1, or 0 for 1-D inputs)."""
    return torch.hstack(tensors(*xs))


def vstack(xs: Any) -> torch.Tensor:
    """Stacks vertically (along axis 0)."""
    return torch.vstack(tensors(*xs))


def dstack(xs: Any) -> torch.Tensor:
    """Stacks depth-wise (along axis 2)."""
    return torch.dstack(tensors(*xs))


def split(x: TensorLike, indices_or_sections: Any, axis: int = 0) -> list[torch.Tensor]:
    """Splits into equal sections, or at the given indices."""
    x = to_tensor(x)
    if isinstance(indices_or_sections, int):
        if x.shape[axis] % indices_or_sections:
            raise ValueError(
                f"split cannot cut axis {axis} of size {x.shape[axis]} into "
                f"{indices_or_sections} equal sections. Pass a divisor of "
                f"{x.shape[axis]}, a list of indices, or use array_split."
            )
    return list(torch.tensor_split(x, _split_arg(indices_or_sections), dim=axis))


def _split_arg(indices_or_sections: Any) -> Any:
    if isinstance(indices_or_sections, int):
        return indices_or_sections
    return [int(i) for i in indices_or_sections]


def array_split(
    x: TensorLike, indices_or_sections: Any, axis: int = 0
) -> list[torch.Tensor]:
    """Splits into sections that may differ in size by one."""
    x = to_tensor(x)
    return list(torch.tensor_split(x, _split_arg(indices_or_sections), dim=axis))


def hsplit(x: TensorLike, indices_or_sections: Any) -> list[torch.Tensor]:
    """Splits along axis 1 (axis 0 for 1-D inputs)."""
    x = to_tensor(x)
    return split(x, indices_or_sections, axis=1 if x.ndim > 1 else 0)


def vsplit(x: TensorLike, indices_or_sections: Any) -> list[torch.Tensor]:
    """Splits along axis 0."""
    return split(x, indices_or_sections, axis=0)


def dsplit(x: TensorLike, indices_or_sections: Any) -> list[torch.Tensor]:
    """Splits along axis 2."""
    return split(x, indices_or_sections, axis=2)


def tile(x: TensorLike, repeats: Any) -> torch.Tensor:
    """Repeats the whole tensor `repeats` times along each axis."""
    return torch.tile(to_tensor(x), shape_tuple(repeats))


def repeat(x: TensorLike, repeats: Any, axis: int | None = None) -> torch.Tensor:
    """Repeats each element `repeats` times (flattened when `axis=None`)."""
    x = to_tensor(x)
    if not isinstance(repeats, int):
        repeats = to_tensor(repeats, device=x.device).long()
    return torch.repeat_interleave(x, repeats, dim=axis)


def flip(x: TensorLike, axis: int | tuple[int, ...] | None = None) -> torch.Tensor:
    """Reverses the order of elements along `axis` (all axes when `None`)."""
    x = to_tensor(x)
    dims = tuple(range(x.ndim)) if axis is None else axes(axis)
    return torch.flip(x, dims)


def fliplr(x: TensorLike) -> torch.Tensor:
    """Reverses axis 1."""
    return flip(x, 1)


def flipud(x: TensorLike) -> torch.Tensor:
    """Reverses axis 0."""
    return flip(x, 0)


def roll(x: TensorLike, shift: Any, axis: Any = None) -> torch.Tensor:
    """Rolls elements along `axis` (flattened when `None`) by `shift`."""
    x = to_tensor(x)
    if axis is None:
        return torch.roll(x.flatten(), shift).reshape(x.shape)
    return torch.roll(x, shift, dims=axis)


def rot90(
    array: TensorLike, k: int = 1, axes: tuple[int, int] = (0, 1)
) -> torch.Tensor:
    """Rotates by 90 degrees `k` times in the plane of `axes`."""
    array = to_tensor(array)
    if array.ndim < 2:
        raise ValueError(
            f"rot90 expected an input with at least 2 axes, but received shape "
            f"{tuple(array.shape)}."
        )
    return torch.rot90(array, k=k, dims=tuple(axes))


def tril(x: TensorLike, k: int = 0) -> torch.Tensor:
    """Zeros above the `k`-th diagonal."""
    return torch.tril(to_tensor(x), diagonal=k)


def triu(x: TensorLike, k: int = 0) -> torch.Tensor:
    """Zeros below the `k`-th diagonal."""
    return torch.triu(to_tensor(x), diagonal=k)


def diag(x: TensorLike, k: int = 0) -> torch.Tensor:
    """Diagonal of a matrix, or a matrix with `x` on its diagonal."""
    return torch.diag(to_tensor(x), diagonal=k)


def diagflat(x: TensorLike, k: int = 0) -> torch.Tensor:
    """A matrix with flattened `x` on its `k`-th diagonal."""
    return torch.diagflat(to_tensor(x), offset=k)


def diagonal(
    x: TensorLike, offset: int = 0, axis1: int = 0, axis2: int = 1
) -> torch.Tensor:
    """The diagonal over `axis1`, `axis2`, appended as the last axis."""
    return torch.diagonal(to_tensor(x), offset=offset, dim1=axis1, dim2=axis2)


def diff(a: TensorLike, n: int = 1, axis: int = -1) -> torch.Tensor:
    """`n`-th discrete difference along `axis`."""
    return torch.diff(to_tensor(a), n=n, dim=axis)


def pad(
    x: TensorLike,
    pad_width: Any,
    mode: str = "constant",
    constant_values: Any = None,
) -> torch.Tensor:
    """Pads each axis by `pad_width[axis] = (before, after)` values."""
    x = to_tensor(x)
    if constant_values is not None and mode != "constant":
        raise ValueError(
            f"pad accepts constant_values only with mode='constant', but "
            f"received mode={mode!r}."
        )
    widths = _pad_widths(pad_width, x.ndim)
    if mode == "constant":
        flat = [w for pair in reversed(widths) for w in pair]
        value = 0 if constant_values is None else constant_values
        return torch.nn.functional.pad(x, flat, mode="constant", value=value)
    for dim, (before, after) in enumerate(widths):
        x = _pad_axis(x, dim, before, after, mode)
    return x


def _pad_widths(pad_width: Any, rank: int) -> list[tuple[int, int]]:
    if isinstance(pad_width, int):
        return [(pad_width, pad_width)] * rank
    widths = [
        tuple(int(v) for v in ((w, w) if isinstance(w, int) else w)) for w in pad_width
    ]
    if len(widths) == 1:
        widths = widths * rank
    return widths


def _pad_axis(
    x: torch.Tensor, dim: int, before: int, after: int, mode: str
) -> torch.Tensor:
    if before == 0 and after == 0:
        return x
    length = x.shape[dim]
    if mode == "reflect":
        head = torch.flip(x.narrow(dim, 1, before), (dim,))
        tail = torch.flip(x.narrow(dim, length - 1 - after, after), (dim,))
    elif mode == "symmetric":
        head = torch.flip(x.narrow(dim, 0, before), (dim,))
        tail = torch.flip(x.narrow(dim, length - after, after), (dim,))
    elif mode == "edge":
        head = x.narrow(dim, 0, 1).repeat_interleave(before, dim)
        tail = x.narrow(dim, length - 1, 1).repeat_interleave(after, dim)
    elif mode == "wrap":
        head = x.narrow(dim, length - before, before)
        tail = x.narrow(dim, 0, after)
    else:
        raise ValueError(
            f"pad received mode={mode!r}. Expected one of 'constant', 'edge', "
            f"'reflect', 'symmetric', 'wrap'."
        )
    return torch.cat([head, x, tail], dim=dim)


def view(x: TensorLike, dtype: Any = None) -> torch.Tensor:
    """Reinterprets the bytes of `x` as `dtype`."""
    x = to_tensor(x)
    return x if dtype is None else x.view(torch_dtype(dtype))
