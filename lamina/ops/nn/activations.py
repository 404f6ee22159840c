"""Activation functions as ops: `relu`, `gelu`, `softmax`, ...

Example:
>>> import torch
>>> relu(torch.tensor([-1.0, 2.0])).tolist()
[0.0, 2.0]
>>> round(float(softmax(torch.tensor([0.0, 0.0]))[0]), 2)
0.5
"""

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.ops._convert import axes
from lamina.ops._convert import tensors
from lamina.ops._convert import to_float
from lamina.ops._convert import to_tensor

TensorLike = Any


def _floats(x: TensorLike) -> torch.Tensor:
    return to_float(to_tensor(x))


def relu(x: TensorLike) -> torch.Tensor:
    """`max(x, 0)`."""
    return F.relu(to_tensor(x))


def relu6(x: TensorLike) -> torch.Tensor:
    """`min(max(x, 0), 6)`."""
    return F.relu6(to_tensor(x))


def sigmoid(x: TensorLike) -> torch.Tensor:
    """`1 / (1 + exp(-x))`."""
    return torch.sigmoid(_floats(x))


def sparse_sigmoid(x: TensorLike) -> torch.Tensor:
    """Piecewise-linear sigmoid: 0 below -1, 1 above 1, `(x + 1) / 2` between."""
    x = _floats(x)
    return torch.clamp(0.5 * (x + 1.0), 0.0, 1.0)


def tanh(x: TensorLike) -> torch.Tensor:
    """Hyperbolic tangent."""
    return torch.tanh(_floats(x))


def tanh_shrink(x: TensorLike) -> torch.Tensor:
    """`x - tanh(x)`."""
    return F.tanhshrink(_floats(x))


def softplus(x: TensorLike) -> torch.Tensor:
    """`log(1 + exp(x))`."""
    return F.softplus(_floats(x))


def softsign(x: TensorLike) -> torch.Tensor:
    """`x / (1 + |x|)`."""
    return F.softsign(_floats(x))


def soft_shrink(x: TensorLike, threshold: float = 0.5) -> torch.Tensor:
    """Shrinks values toward zero by `threshold`, zeroing the band around it."""
    return F.softshrink(_floats(x), lambd=threshold)


def hard_shrink(x: TensorLike, threshold: float = 0.5) -> torch.Tensor:
    """Zeros values whose magnitude is at most `threshold`."""
    return F.hardshrink(_floats(x), lambd=threshold)


def sparse_plus(x: TensorLike) -> torch.Tensor:
    """0 below -1, `x` above 1, `(x + 1)**2 / 4` between."""
    x = _floats(x)
    middle = 0.25 * torch.square(x + 1.0)
    return torch.where(x <= -1.0, torch.zeros_like(x), torch.where(x >= 1.0, x, middle))


def silu(x: TensorLike) -> torch.Tensor:
    """`x * sigmoid(x)` (also called swish)."""
    return F.silu(_floats(x))


def swish(x: TensorLike) -> torch.Tensor:
    """`x * sigmoid(x)` (alias of `silu`)."""
    return silu(x)


def squareplus(x: TensorLike, b: float = 4) -> torch.Tensor:
    """`(x + sqrt(x**2 + b)) / 2`."""
    x = _floats(x)
    return 0.5 * (x + torch.sqrt(torch.square(x) + b))


def log_sigmoid(x: TensorLike) -> torch.Tensor:
    """`log(sigmoid(x))`, computed stably."""
    return F.logsigmoid(_floats(x))


def leaky_relu(x: TensorLike, negative_slope: float = 0.2) -> torch.Tensor:
    """`x` above zero, `negative_slope * x` below."""
    return F.leaky_relu(_floats(x), negative_slope=negative_slope)


def hard_sigmoid(x: TensorLike) -> torch.Tensor:
    """`relu6(x + 3) / 6`."""
    return F.hardsigmoid(_floats(x))


def hard_silu(x: TensorLike) -> torch.Tensor:
    """`x * relu6(x + 3) / 6`."""
    return F.hardswish(_floats(x))


def hard_swish(x: TensorLike) -> torch.Tensor:
    """`x * relu6(x + 3) / 6` (alias of `hard_silu`)."""
    return hard_silu(x)


def hard_tanh(x: TensorLike) -> torch.Tensor:
    """`x` clipped to [-1, 1]."""
    return F.hardtanh(_floats(x))


def elu(x: TensorLike, alpha: float = 1.0) -> torch.Tensor:
    """`x` above zero, `alpha * (exp(x) - 1)` below."""
    return F.elu(_floats(x), alpha=alpha)


def selu(x: TensorLike) -> torch.Tensor:
    """Scaled ELU with the self-normalising constants."""
    return F.selu(_floats(x))


def celu(x: TensorLike, alpha: float = 1.0) -> torch.Tensor:
    """`max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))`."""
    return F.celu(_floats(x), alpha=alpha)


def gelu(x: TensorLike, approximate: bool = True) -> torch.Tensor:
    """Gaussian error linear unit (tanh approximation by default)."""
    return F.gelu(_floats(x), approximate="tanh" if approximate else "none")


def glu(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Gated linear unit: first half times sigmoid of the second half."""
    return F.glu(_floats(x), dim=axis)


def threshold(x: TensorLike, threshold: float, default_value: float) -> torch.Tensor:
    """`x` where `x > threshold`, else `default_value`."""
    return F.threshold(_floats(x), threshold, default_value)


def _softmax_input(x: TensorLike, axis: Any) -> tuple[torch.Tensor, Any]:
    x = _floats(x)
    if axis is None or isinstance(axis, int):
        return x, axis
    dims = axes(axis)
    return x, tuple(d % x.ndim for d in dims)


def softmax(x: TensorLike, axis: int | tuple[int, ...] | None = -1) -> torch.Tensor:
    """Exponentials normalised to sum to one along `axis`."""
    x, axis = _softmax_input(x, axis)
    if axis is None or isinstance(axis, tuple):
        return torch.exp(log_softmax(x, axis))
    return F.softmax(x, dim=axis)


def log_softmax(x: TensorLike, axis: int | tuple[int, ...] | None = -1) -> torch.Tensor:
    """`log(softmax(x))`, computed stably."""
    x, axis = _softmax_input(x, axis)
    if axis is None or isinstance(axis, tuple):
        dims = tuple(range(x.ndim)) if axis is None else axis
        return x - torch.logsumexp(x, dim=dims, keepdim=True)
    return F.log_softmax(x, dim=axis)


def sparsemax(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Euclidean projection onto the simplex: a softmax with exact zeros."""
    x = _floats(x)
    moved = torch.movedim(x, axis, -1)
    sorted_x = torch.sort(moved, dim=-1, descending=True).values
    ranks = torch.arange(1, moved.shape[-1] + 1, dtype=x.dtype, device=x.device)
    cumulative = torch.cumsum(sorted_x, dim=-1)
    support = (1 + ranks * sorted_x) > cumulative
    count = support.sum(dim=-1, keepdim=True).to(x.dtype)
    total = torch.sum(
        torch.where(support, sorted_x, torch.zeros_like(sorted_x)), dim=-1, keepdim=True
    )
    tau = (total - 1) / count
    return torch.movedim(torch.clamp(moved - tau, min=0.0), -1, axis)


def polar(abs_: TensorLike, angle: TensorLike) -> torch.Tensor:
    """Complex numbers `abs_ * exp(1j * angle)`."""
    magnitude, phase = tensors(abs_, angle)
    return torch.polar(
        to_float(magnitude), to_float(phase).to(to_float(magnitude).dtype)
    )
