"""Reductions and statistics: sums, means, extrema, quantiles, NaN variants.

Example:
>>> import torch
>>> mean(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=-1).tolist()
[1.5, 3.5]
>>> sum(torch.tensor([True, True])).item()
2
"""

import math
from typing import Any

import torch

from lamina.ops._convert import axes
from lamina.ops._convert import canonical_axis
from lamina.ops._convert import is_int
from lamina.ops._convert import result_type
from lamina.ops._convert import to_float
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype

TensorLike = Any
Axis = int | tuple[int, ...] | list[int] | None

_SMALL_INTS = (torch.bool, torch.uint8, torch.int8, torch.int16)


def _input(x: TensorLike) -> torch.Tensor:
    if isinstance(x, (list, tuple)) and any(isinstance(i, torch.Tensor) for i in x):
        return torch.stack([to_tensor(i) for i in x])
    return to_tensor(x)


def _dims(x: torch.Tensor, axis: Axis) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(x.ndim))
    return tuple(canonical_axis(a, x.ndim) for a in axes(axis))


def _keep(result: torch.Tensor, x: torch.Tensor, axis: Axis) -> torch.Tensor:
    """Re-inserts reduced axes as size 1 (for reductions lacking `keepdim`)."""
    for dim in sorted(_dims(x, axis)):
        result = result.unsqueeze(dim)
    return result


def sum(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """Sum over `axis` (all axes when `None`); small ints sum as int32."""
    x = _input(x)
    if axis in ((), []):
        return x
    dtype = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    return torch.sum(x, dim=axes(axis), keepdim=keepdims).to(dtype)


def prod(
    x: TensorLike, axis: Axis = None, keepdims: bool = False, dtype: Any = None
) -> torch.Tensor:
    """Product over `axis`; small ints multiply as int32."""
    x = to_tensor(x)
    if dtype is None:
        dtype = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    dtype = torch_dtype(dtype)
    result = x.to(dtype)
    for dim in sorted(_dims(x, axis), reverse=True):
        result = torch.prod(result, dim=dim, keepdim=keepdims, dtype=dtype)
    return result


def mean(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Arithmetic mean over `axis`; integers give floats."""
    x = _input(x)
    if axis in ((), []):
        return x
    return torch.mean(to_float(x), dim=axes(axis), keepdim=keepdims)


def var(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Population variance (no Bessel correction) over `axis`."""
    x = to_float(to_tensor(x))
    if axis in ((), []):
        return torch.zeros_like(x)
    return torch.var(x, dim=axes(axis), keepdim=keepdims, correction=0)


def std(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Population standard deviation (no Bessel correction) over `axis`."""
    x = to_float(to_tensor(x))
    return torch.std(x, dim=axes(axis), keepdim=keepdims, correction=0)


def average(
    x: TensorLike, axis: Axis = None, weights: TensorLike | None = None
) -> torch.Tensor:
    """Weighted mean over `axis` (plain mean without `weights`)."""
    x = to_tensor(x)
    keys = [x.dtype, float]
    if weights is not None:
        weights = to_tensor(weights, device=x.device)
        keys.append(weights.dtype)
    dtype = torch_dtype(result_type(*keys))
    x = x.to(dtype)
    if weights is None:
        return torch.mean(x, dim=axes(axis))
    weights = weights.to(dtype)
    if weights.ndim == 1 and x.ndim > 1 and axis is not None:
        shape = [1] * x.ndim
        shape[canonical_axis(axis, x.ndim)] = -1
        weights = weights.reshape(shape)
    total = torch.sum(x * weights, dim=axes(axis))
    return total / torch.sum(weights.expand_as(x), dim=axes(axis))


def _extreme(reduce: Any, x: torch.Tensor, axis: Axis, keepdims: bool) -> torch.Tensor:
    if x.numel() == 0:
        raise ValueError(
            f"Cannot reduce an empty tensor of shape {tuple(x.shape)}. Pass "
            f"initial= to give the result for empty inputs."
        )
    return reduce(x, dim=axes(axis), keepdim=keepdims)


def max(  # noqa: A001 - Keras's public name
    x: TensorLike, axis: Axis = None, keepdims: bool = False, initial: Any = None
) -> torch.Tensor:
    """Largest value over `axis`, at least `initial` when given."""
    x = to_tensor(x)
    if x.numel() == 0 and initial is not None:
        shape = [1] * x.ndim if keepdims else []
        return torch.full(shape, initial, dtype=x.dtype, device=x.device)
    result = _extreme(torch.amax, x, axis, keepdims)
    if initial is None:
        return result
    return torch.clamp(result, min=initial)


def min(  # noqa: A001 - Keras's public name
    x: TensorLike, axis: Axis = None, keepdims: bool = False, initial: Any = None
) -> torch.Tensor:
    """Smallest value over `axis`, at most `initial` when given."""
    x = to_tensor(x)
    if x.numel() == 0 and initial is not None:
        shape = [1] * x.ndim if keepdims else []
        return torch.full(shape, initial, dtype=x.dtype, device=x.device)
    result = _extreme(torch.amin, x, axis, keepdims)
    if initial is None:
        return result
    return torch.clamp(result, max=initial)


def amax(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Largest value over `axis`."""
    return max(x, axis=axis, keepdims=keepdims)


def amin(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Smallest value over `axis`."""
    return min(x, axis=axis, keepdims=keepdims)


def ptp(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Peak to peak: `max - min` over `axis`."""
    x = to_tensor(x)
    return amax(x, axis, keepdims) - amin(x, axis, keepdims)


def all(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """Whether every element along `axis` is true."""
    x = to_tensor(x).bool()
    if axis is None:
        return _keep(torch.all(x), x, None) if keepdims else torch.all(x)
    return torch.all(x, dim=axes(axis), keepdim=keepdims)


def any(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """Whether any element along `axis` is true."""
    x = to_tensor(x).bool()
    if axis is None:
        return _keep(torch.any(x), x, None) if keepdims else torch.any(x)
    return torch.any(x, dim=axes(axis), keepdim=keepdims)


def count_nonzero(x: TensorLike, axis: Axis = None) -> torch.Tensor:
    """Number of non-zero elements along `axis`, as int32."""
    x = to_tensor(x)
    if axis in ((), []):
        return torch.ne(x, 0).to(torch.int32)
    return torch.count_nonzero(x, dim=axes(axis)).to(torch.int32)


def _arg(reduce: Any, x: TensorLike, axis: int | None, keepdims: bool) -> torch.Tensor:
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None and keepdims:
        return _keep(reduce(x), x, None).to(torch.int32)
    return reduce(x, dim=axis, keepdim=keepdims).to(torch.int32)


def argmax(
    x: TensorLike, axis: int | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Index of the largest value along `axis` (flattened when `None`), int32."""
    return _arg(torch.argmax, x, axis, keepdims)


def argmin(
    x: TensorLike, axis: int | None = None, keepdims: bool = False
) -> torch.Tensor:
    """Index of the smallest value along `axis` (flattened when `None`), int32."""
    return _arg(torch.argmin, x, axis, keepdims)


def nanargmax(
    x: TensorLike, axis: int | None = None, keepdims: bool = False
) -> torch.Tensor:
    """`argmax` ignoring NaN."""
    x = to_tensor(x)
    if not is_int(x):
        x = torch.where(torch.isnan(x), torch.full_like(x, -math.inf), x)
    return argmax(x, axis, keepdims)


def nanargmin(
    x: TensorLike, axis: int | None = None, keepdims: bool = False
) -> torch.Tensor:
    """`argmin` ignoring NaN."""
    x = to_tensor(x)
    if not is_int(x):
        x = torch.where(torch.isnan(x), torch.full_like(x, math.inf), x)
    return argmin(x, axis, keepdims)


def _cumulative(op: Any, x: TensorLike, axis: int | None, dtype: Any) -> torch.Tensor:
    x = to_tensor(x)
    if axis is None:
        x, axis = x.flatten(), 0
    dtype = torch_dtype(dtype) or x.dtype
    if dtype == torch.bool:
        dtype = torch.int32
    return op(x, dim=axis, dtype=dtype)


def cumsum(x: TensorLike, axis: int | None = None, dtype: Any = None) -> torch.Tensor:
    """Cumulative sum along `axis` (flattened when `None`)."""
    return _cumulative(torch.cumsum, x, axis, dtype)


def cumprod(x: TensorLike, axis: int | None = None, dtype: Any = None) -> torch.Tensor:
    """Cumulative product along `axis` (flattened when `None`)."""
    return _cumulative(torch.cumprod, x, axis, dtype)


def _nan_filled(x: TensorLike, value: float) -> torch.Tensor:
    x = to_tensor(x)
    if is_int(x):
        return x
    return torch.where(torch.isnan(x), torch.full_like(x, value), x)


def nancumsum(
    x: TensorLike, axis: int | None = None, dtype: Any = None
) -> torch.Tensor:
    """`cumsum` treating NaN as zero."""
    return cumsum(_nan_filled(x, 0.0), axis, dtype)


def nancumprod(
    x: TensorLike, axis: int | None = None, dtype: Any = None
) -> torch.Tensor:
    """`cumprod` treating NaN as one."""
    return cumprod(_nan_filled(x, 1.0), axis, dtype)


def nansum(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """`sum` ignoring NaN."""
    return sum(_nan_filled(x, 0.0), axis, keepdims)


def nanprod(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """`prod` ignoring NaN."""
    return prod(_nan_filled(x, 1.0), axis, keepdims)


def nanmax(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """`max` ignoring NaN (NaN where a slice is all NaN)."""
    x = to_tensor(x)
    if is_int(x):
        return amax(x, axis, keepdims)
    result = amax(_nan_filled(x, -math.inf), axis, keepdims)
    all_nan = all(torch.isnan(x), axis, keepdims)
    return torch.where(all_nan, torch.full_like(result, math.nan), result)


def nanmin(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """`min` ignoring NaN (NaN where a slice is all NaN)."""
    x = to_tensor(x)
    if is_int(x):
        return amin(x, axis, keepdims)
    result = amin(_nan_filled(x, math.inf), axis, keepdims)
    all_nan = all(torch.isnan(x), axis, keepdims)
    return torch.where(all_nan, torch.full_like(result, math.nan), result)


def nanmean(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """`mean` ignoring NaN."""
    x = to_tensor(x)
    if axis in ((), []):
        return x
    return torch.nanmean(to_float(x), dim=axes(axis), keepdim=keepdims)


def nanvar(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Population variance ignoring NaN."""
    x = to_float(to_tensor(x))
    center = nanmean(x, axis, keepdims=True)
    return nanmean(torch.square(x - center), axis, keepdims)


def nanstd(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Population standard deviation ignoring NaN."""
    return torch.sqrt(nanvar(x, axis, keepdims))


def _quantile(
    reduce: Any, x: TensorLike, q: TensorLike, axis: Axis, method: str, keepdims: bool
) -> torch.Tensor:
    x = to_float(to_tensor(x))
    q = to_tensor(q, device=x.device).to(x.dtype)
    dims = _dims(x, axis)
    others = [d for d in range(x.ndim) if d not in dims]
    flat = x.permute(others + list(dims)).reshape(
        [x.shape[d] for d in others] + [math.prod(x.shape[d] for d in dims)]
    )
    result = reduce(flat, q, dim=-1, interpolation=method)
    if keepdims:
        offset = 1 if q.ndim > 0 else 0
        for dim in sorted(dims):
            result = result.unsqueeze(dim + offset)
    return result


def quantile(
    x: TensorLike,
    q: TensorLike,
    axis: Axis = None,
    method: str = "linear",
    keepdims: bool = False,
) -> torch.Tensor:
    """The `q`-th quantiles (`q` in [0, 1]) over `axis`."""
    return _quantile(torch.quantile, x, q, axis, method, keepdims)


def nanquantile(
    x: TensorLike,
    q: TensorLike,
    axis: Axis = None,
    method: str = "linear",
    keepdims: bool = False,
) -> torch.Tensor:
    """`quantile` ignoring NaN."""
    return _quantile(torch.nanquantile, x, q, axis, method, keepdims)


def percentile(
    x: TensorLike,
    q: TensorLike,
    axis: Axis = None,
    method: str = "linear",
    keepdims: bool = False,
) -> torch.Tensor:
    """The `q`-th percentiles (`q` in [0, 100]) over `axis`."""
    return quantile(x, to_tensor(q) / 100.0, axis, method, keepdims)


def nanpercentile(
    x: TensorLike,
    q: TensorLike,
    axis: Axis = None,
    method: str = "linear",
    keepdims: bool = False,
) -> torch.Tensor:
    """`percentile` ignoring NaN."""
    return nanquantile(x, to_tensor(q) / 100.0, axis, method, keepdims)


def median(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Median over `axis` (averaging the two middle values)."""
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def nanmedian(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Median ignoring NaN."""
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def trace(
    x: TensorLike, offset: int = 0, axis1: int = 0, axis2: int = 1
) -> torch.Tensor:
    """Sum along a diagonal; small ints sum as int32."""
    x = to_tensor(x)
    diagonal = torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2)
    return sum(diagonal, axis=-1)
