"""Tensor creation: filled tensors, ranges, grids and window functions.

New tensors go on `lamina.backend.get_device()`; the `*_like` functions follow
their input's device.

Example:
>>> arange(3).tolist()
[0, 1, 2]
>>> zeros((2,)).dtype
torch.float32
"""

import math
from typing import Any

import torch

from lamina.backend.config import floatx
from lamina.backend.device import get_device
from lamina.ops._convert import result_type
from lamina.ops._convert import shape_tuple
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype

TensorLike = Any


def _dtype(dtype: Any) -> torch.dtype:
    return torch_dtype(dtype or floatx())


def _key(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.dtype
    return getattr(value, "dtype", type(value))


def zeros(shape: Any, dtype: Any = None) -> torch.Tensor:
    """A tensor of zeros (floatx by default)."""
    return torch.zeros(shape_tuple(shape), dtype=_dtype(dtype), device=get_device())


def ones(shape: Any, dtype: Any = None) -> torch.Tensor:
    """A tensor of ones (floatx by default)."""
    return torch.ones(shape_tuple(shape), dtype=_dtype(dtype), device=get_device())


def empty(shape: Any, dtype: Any = None) -> torch.Tensor:
    """An uninitialised tensor (floatx by default)."""
    return torch.empty(shape_tuple(shape), dtype=_dtype(dtype), device=get_device())


def full(shape: Any, fill_value: TensorLike, dtype: Any = None) -> torch.Tensor:
    """A tensor filled with `fill_value` (broadcast when it is an array)."""
    value = to_tensor(fill_value, dtype=_dtype(dtype))
    return torch.broadcast_to(value, shape_tuple(shape)).clone()


def zeros_like(x: TensorLike, dtype: Any = None) -> torch.Tensor:
    """Zeros with the shape (and dtype, unless given) of `x`."""
    return torch.zeros_like(to_tensor(x), dtype=torch_dtype(dtype))


def ones_like(x: TensorLike, dtype: Any = None) -> torch.Tensor:
    """Ones with the shape (and dtype, unless given) of `x`."""
    return torch.ones_like(to_tensor(x), dtype=torch_dtype(dtype))


def empty_like(x: TensorLike, dtype: Any = None) -> torch.Tensor:
    """Uninitialised tensor with the shape (and dtype) of `x`."""
    return torch.empty_like(to_tensor(x), dtype=torch_dtype(dtype))


def full_like(x: TensorLike, fill_value: TensorLike, dtype: Any = None) -> torch.Tensor:
    """`fill_value` broadcast to the shape (and dtype) of `x`."""
    x = to_tensor(x)
    value = to_tensor(fill_value, dtype=dtype or x.dtype, device=x.device)
    return torch.broadcast_to(value, x.shape).clone()


def array(x: TensorLike, dtype: Any = None) -> torch.Tensor:
    """Converts `x` to a tensor (alias of `convert_to_tensor`)."""
    return to_tensor(x, dtype=dtype)


def copy(x: TensorLike) -> torch.Tensor:
    """A copy of `x` that does not share memory."""
    return to_tensor(x).clone()


def arange(
    start: TensorLike,
    stop: TensorLike | None = None,
    step: TensorLike | None = None,
    dtype: Any = None,
) -> torch.Tensor:
    """Evenly spaced values in `[start, stop)`."""
    if dtype is None:
        keys = [_key(v) for v in (start, stop, step) if v is not None]
        dtype = result_type(*keys)
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    return torch.arange(
        start, stop, step, dtype=torch_dtype(dtype), device=get_device()
    )


def linspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: Any = None,
    axis: int = 0,
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    """`num` evenly spaced values from `start` to `stop`."""
    if dtype is None:
        dtype = result_type(_key(start), _key(stop), float)
    dtype = torch_dtype(dtype)
    start_t = to_tensor(start).to(torch.float64)
    stop_t = to_tensor(stop, device=start_t.device).to(torch.float64)
    divisor = (num - 1) if endpoint else num
    step = (
        (stop_t - start_t) / divisor
        if divisor > 0
        else torch.full_like(start_t, math.nan)
    )
    fractions = torch.arange(num, dtype=torch.float64, device=start_t.device)
    fractions = fractions.reshape((num,) + (1,) * start_t.ndim)
    values = start_t[None] + fractions * step[None]
    if endpoint and num > 1:
        values[-1] = stop_t
    values = torch.movedim(values, 0, axis).to(dtype)
    if retstep:
        return values, step.to(dtype)
    return values


def logspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    base: float = 10,
    dtype: Any = None,
    axis: int = 0,
) -> torch.Tensor:
    """`base ** linspace(start, stop)`."""
    if dtype is None:
        dtype = result_type(_key(start), _key(stop), float)
    exponents = linspace(start, stop, num, endpoint, dtype="float64", axis=axis)
    return torch.pow(torch.as_tensor(float(base), dtype=torch.float64), exponents).to(
        torch_dtype(dtype)
    )


def geomspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    dtype: Any = None,
    axis: int = 0,
) -> torch.Tensor:
    """Values spaced evenly on a log scale from `start` to `stop`."""
    if dtype is None:
        dtype = result_type(_key(start), _key(stop), float)
    start_t = to_tensor(start).to(torch.float64)
    stop_t = to_tensor(stop, device=start_t.device).to(torch.float64)
    sign = torch.sign(start_t)
    exponents = linspace(
        torch.log10(torch.abs(start_t)),
        torch.log10(torch.abs(stop_t)),
        num,
        endpoint,
        dtype="float64",
        axis=axis,
    )
    values = sign * torch.pow(10.0, exponents)
    if num > 0:
        first = [slice(None)] * values.ndim
        first[axis] = 0
        values[tuple(first)] = start_t
    if endpoint and num > 1:
        last = [slice(None)] * values.ndim
        last[axis] = -1
        values[tuple(last)] = stop_t
    return values.to(torch_dtype(dtype))


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> torch.Tensor:  # noqa: N803
    """A 2-D tensor with ones on the `k`-th diagonal."""
    M = N if M is None else M  # noqa: N806
    ones_ = torch.ones((N, M), dtype=_dtype(dtype), device=get_device())
    return torch.triu(torch.tril(ones_, diagonal=k), diagonal=k)


def identity(n: int, dtype: Any = None) -> torch.Tensor:
    """The `n x n` identity matrix."""
    return eye(n, dtype=dtype)


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> torch.Tensor:  # noqa: N803
    """Ones at and below the `k`-th diagonal, zeros above."""
    M = N if M is None else M  # noqa: N806
    return torch.tril(
        torch.ones((N, M), dtype=_dtype(dtype), device=get_device()), diagonal=k
    )


def meshgrid(*x: TensorLike, indexing: str = "xy") -> list[torch.Tensor]:
    """Coordinate grids from 1-D coordinate vectors."""
    return list(torch.meshgrid(*[to_tensor(v) for v in x], indexing=indexing))


def _window(builder: Any, x: int) -> torch.Tensor:
    return builder(int(x), sym=True, device=get_device())


def bartlett(x: int) -> torch.Tensor:
    """The Bartlett (triangular) window of `x` points."""
    return _window(torch.signal.windows.bartlett, x)


def blackman(x: int) -> torch.Tensor:
    """The Blackman window of `x` points."""
    return _window(torch.signal.windows.blackman, x)


def hamming(x: int) -> torch.Tensor:
    """The Hamming window of `x` points."""
    return _window(torch.signal.windows.hamming, x)


def hanning(x: int) -> torch.Tensor:
    """The Hann window of `x` points."""
    return _window(torch.signal.windows.hann, x)


def kaiser(x: int, beta: float) -> torch.Tensor:
    """The Kaiser window of `x` points with shape parameter `beta`."""
    return torch.signal.windows.kaiser(
        int(x), beta=float(beta), sym=True, device=get_device()
    )
