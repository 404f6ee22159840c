"""Products and contractions: `dot`, `matmul`, `einsum`, `tensordot`, ...

Integer operands are multiplied in floating point and cast back, so the result
dtype follows Keras's promotion while the compute runs on every device.

Example:
>>> import torch
>>> matmul(torch.ones(2, 3), torch.ones(3, 4)).shape
torch.Size([2, 4])
>>> dot(torch.tensor([1, 2]), torch.tensor([3, 4])).item()
11
"""

from typing import Any

import torch

from lamina.ops._convert import is_int
from lamina.ops._convert import result_type
from lamina.ops._convert import tensors
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype

TensorLike = Any


def _operands(
    x1: TensorLike, x2: TensorLike
) -> tuple[torch.Tensor, torch.Tensor, torch.dtype]:
    """Both operands in a float compute dtype, plus the result dtype."""
    a, b = tensors(x1, x2)
    out = torch_dtype(result_type(a.dtype, b.dtype))
    if a.dtype == torch.int8 and b.dtype == torch.int8:
        out = torch.int32
    compute = out if not is_int(torch.empty((), dtype=out)) else torch.float64
    return a.to(compute), b.to(compute), out


def _integral_result(result: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    if is_int(torch.empty((), dtype=dtype)) and dtype != torch.bool:
        result = torch.round(result)
    return result.to(dtype)


def matmul(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Matrix product with NumPy broadcasting rules."""
    a, b, out = _operands(x1, x2)
    return _integral_result(torch.matmul(a, b), out)


def dot(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """NumPy `dot`: inner product, matrix product, or scaling for scalars."""
    a, b, out = _operands(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return _integral_result(a * b, out)
    if b.ndim > 2:
        return _integral_result(torch.tensordot(a, b, dims=([-1], [-2])), out)
    return _integral_result(torch.matmul(a, b), out)


def vdot(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Dot product of the flattened inputs (conjugating `x1`)."""
    a, b, out = _operands(x1, x2)
    return _integral_result(torch.vdot(a.flatten(), b.flatten()), out)


def inner(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Inner product over the last axes."""
    a, b, out = _operands(x1, x2)
    return _integral_result(torch.inner(a, b), out)


def outer(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Outer product of the flattened inputs."""
    a, b = tensors(x1, x2)
    return torch.outer(a.flatten(), b.flatten())


def kron(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Kronecker product."""
    return torch.kron(*tensors(x1, x2))


def tensordot(x1: TensorLike, x2: TensorLike, axes: Any = 2) -> torch.Tensor:
    """Sums products over the given axes of `x1` and `x2`."""
    a, b, out = _operands(x1, x2)
    if isinstance(axes, (list, tuple)):
        first, second = axes
        first = tuple(first) if isinstance(first, (list, tuple)) else (first,)
        second = tuple(second) if isinstance(second, (list, tuple)) else (second,)
        axes = (first, second)
    return _integral_result(torch.tensordot(a, b, dims=axes), out)


def einsum(subscripts: str, *operands: TensorLike, **kwargs: Any) -> torch.Tensor:
    """Einstein summation over the operands."""
    parts = tensors(*operands)
    out = parts[0].dtype
    for part in parts[1:]:
        out = torch.promote_types(out, part.dtype)
    if all(p.dtype == torch.int8 for p in parts):
        out = torch.int32
    if is_int(torch.empty((), dtype=out)):
        result = torch.einsum(subscripts, *[p.to(torch.float64) for p in parts])
        return _integral_result(result, out)
    return torch.einsum(subscripts, *[p.to(out) for p in parts])


def cross(
    x1: TensorLike,
    x2: TensorLike,
    axisa: int = -1,
    axisb: int = -1,
    axisc: int = -1,
    axis: int | None = None,
) -> torch.Tensor:
    """Cross product of 3-vectors (2-vectors are padded with a zero)."""
    a, b = tensors(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1)
    dtype = torch_dtype(result_type(a.dtype, b.dtype))
    a, b = _as_3d(a.to(dtype)), _as_3d(b.to(dtype))
    result = torch.linalg.cross(*torch.broadcast_tensors(a, b), dim=-1)
    if to_tensor(x1).shape[-1] == 2 and to_tensor(x2).shape[-1] == 2:
        return result[..., 2]  # 2-D vectors give the scalar z component
    return torch.movedim(result, -1, axisc)


def _as_3d(x: torch.Tensor) -> torch.Tensor:
    if x.shape[-1] == 3:
        return x
    return torch.nn.functional.pad(x, (0, 1))


def trapezoid(
    y: TensorLike, x: TensorLike | None = None, dx: float = 1.0, axis: int = -1
) -> torch.Tensor:
    """Integral of `y` along `axis` by the trapezoidal rule."""
    y = to_tensor(y)
    if is_int(y):
        y = y.to(torch_dtype(result_type(y.dtype, float)))
    if x is not None:
        return torch.trapezoid(y, to_tensor(x, device=y.device).to(y.dtype), dim=axis)
    return torch.trapezoid(y, dx=dx, dim=axis)


def vander(
    x: TensorLike, N: int | None = None, increasing: bool = False
) -> torch.Tensor:  # noqa: N803
    """Vandermonde matrix: columns are powers of `x`."""
    x = to_tensor(x)
    return torch.vander(x, N=N, increasing=increasing)


def correlate(x1: TensorLike, x2: TensorLike, mode: str = "valid") -> torch.Tensor:
    """Cross-correlation of two 1-D sequences (`"valid"`, `"same"`, `"full"`)."""
    a, b = tensors(x1, x2)
    dtype = torch_dtype(result_type(a.dtype, b.dtype))
    if dtype not in (torch.bfloat16, torch.float16, torch.float64):
        dtype = torch.float32
    a, b = a.to(dtype), b.to(dtype)
    full = torch.nn.functional.conv1d(
        a.reshape(1, 1, -1), b.reshape(1, 1, -1), padding=b.shape[-1] - 1
    ).reshape(-1)
    if mode == "full":
        return full
    length = max(a.shape[-1], b.shape[-1]) - min(a.shape[-1], b.shape[-1]) + 1
    if mode == "same":
        length = a.shape[-1]
    start = (full.shape[-1] - length) // 2
    return full[start : start + length]


def corrcoef(x: TensorLike) -> torch.Tensor:
    """Pearson correlation coefficients between the rows of `x`."""
    x = to_tensor(x)
    if is_int(x):
        x = x.to(torch_dtype(result_type(x.dtype, float)))
    return torch.corrcoef(x)


def slogdet(x: TensorLike) -> tuple[torch.Tensor, torch.Tensor]:
    """Sign and natural log of the absolute determinant."""
    sign, logabsdet = torch.linalg.slogdet(to_tensor(x))
    return sign, logabsdet
