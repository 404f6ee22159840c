"""Normalisation ops: `moments`, `batch_normalization`, layer/RMS norm, `normalize`.

Example:
>>> import torch
>>> mean, variance = moments(torch.tensor([1.0, 3.0]), axes=[0])
>>> mean.item(), variance.item()
(2.0, 1.0)
"""

from typing import Any

import torch

from lamina.backend.config import epsilon as default_epsilon
from lamina.ops._convert import axes as to_axes
from lamina.ops._convert import canonical_axis
from lamina.ops._convert import to_float
from lamina.ops._convert import to_tensor

TensorLike = Any


def moments(
    x: TensorLike, axes: Any, keepdims: bool = False, synchronized: bool = False
) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and (biased) variance of `x` over `axes`."""
    if synchronized:
        raise NotImplementedError(
            "moments(synchronized=True) needs a distributed all-reduce; compute "
            "it with torch.distributed, or pass synchronized=False."
        )
    x = to_float(to_tensor(x))
    compute = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
    dims = to_axes(axes)
    mean = torch.mean(compute, dim=dims, keepdim=True)
    variance = torch.mean(torch.square(compute - mean), dim=dims, keepdim=True)
    if not keepdims:
        mean, variance = mean.squeeze(dims), variance.squeeze(dims)
    return mean.to(x.dtype), variance.to(x.dtype)


def _broadcastable(value: TensorLike, x: torch.Tensor, axis: int) -> torch.Tensor:
    value = to_tensor(value, device=x.device)
    shape = [1] * x.ndim
    shape[axis] = -1
    return value.reshape(shape) if value.ndim == 1 else value


def batch_normalization(
    x: TensorLike,
    mean: TensorLike,
    variance: TensorLike,
    axis: int,
    offset: TensorLike | None = None,
    scale: TensorLike | None = None,
    epsilon: float = 1e-3,
) -> torch.Tensor:
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset` along `axis`."""
    x = to_float(to_tensor(x))
    mean = _broadcastable(mean, x, axis)
    inverse = torch.rsqrt(_broadcastable(variance, x, axis) + epsilon)
    if scale is not None:
        inverse = inverse * _broadcastable(scale, x, axis)
    result = (x - mean) * inverse
    if offset is not None:
        result = result + _broadcastable(offset, x, axis)
    return result


def layer_normalization(
    x: TensorLike,
    gamma: TensorLike | None = None,
    beta: TensorLike | None = None,
    axis: int = -1,
    epsilon: float | None = None,
    **kwargs: Any,
) -> torch.Tensor:
    """Normalises over `axis` to zero mean and unit variance, then scales."""
    kwargs.pop("rms_scaling", None)
    x = to_float(to_tensor(x))
    epsilon = default_epsilon() if epsilon is None else epsilon
    dims = tuple(canonical_axis(a, x.ndim) for a in to_axes(axis))
    mean, variance = moments(x, dims, keepdims=True)
    result = (x - mean) * torch.rsqrt(variance + epsilon)
    if gamma is not None:
        result = result * _broadcast_weight(gamma, x, dims)
    if beta is not None:
        result = result + _broadcast_weight(beta, x, dims)
    return result


def _broadcast_weight(weight: TensorLike, x: torch.Tensor, dims: tuple) -> torch.Tensor:
    weight = to_tensor(weight, device=x.device)
    if len(dims) == 1 and weight.ndim == 1:
        shape = [1] * x.ndim
        shape[dims[0]] = -1
        return weight.reshape(shape)
    return weight


def rms_normalization(
    x: TensorLike,
    scale: TensorLike | None = None,
    axis: int = -1,
    epsilon: float | None = None,
) -> torch.Tensor:
    """`x / sqrt(mean(x**2) + epsilon) * scale` over `axis`."""
    x = to_float(to_tensor(x))
    epsilon = default_epsilon() if epsilon is None else epsilon
    dims = tuple(canonical_axis(a, x.ndim) for a in to_axes(axis))
    result = x * torch.rsqrt(
        torch.mean(torch.square(x), dim=dims, keepdim=True) + epsilon
    )
    if scale is not None:
        result = result * _broadcast_weight(scale, x, dims)
    return result


def normalize(
    x: TensorLike, axis: int = -1, order: int = 2, epsilon: float | None = None
) -> torch.Tensor:
    """Scales `x` to unit `order`-norm along `axis`."""
    x = to_float(to_tensor(x))
    epsilon = default_epsilon() if epsilon is None else epsilon
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)
