"""Activation functions on torch tensors, with Keras's names and arguments.

Each function accepts a tensor, NumPy array or number and returns a tensor.
They call `torch.nn.functional` kernels wherever one computes the same thing.
"""

from typing import Any

import torch
import torch.nn.functional as F

Axis = int | tuple[int, ...] | None


def _tensor(x: Any) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else torch.as_tensor(x)


def _attach_logits(
    output: torch.Tensor, logits: torch.Tensor, activation: str, axis: int = -1
) -> torch.Tensor:
    """Keeps the logits beside probabilities so cross-entropy can stay stable.

    Losses read `output._lamina_logits` (see docs/internals.md), as tf.keras
    read `_keras_logits`, and check `_lamina_activation`/`_lamina_axis` to
    be sure the probabilities came from the activation they invert.
    """
    output._lamina_logits = logits
    output._lamina_activation = activation
    output._lamina_axis = axis
    return output


def relu(
    x: Any,
    negative_slope: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
) -> torch.Tensor:
    """Rectified linear unit, optionally leaky, capped and thresholded.

    Returns `x` for `threshold < x < max_value`, `max_value` above it, and
    `negative_slope * (x - threshold)` below `threshold`.

    Args:
        x: Input tensor.
        negative_slope: Slope below the threshold. Defaults to `0.0`.
        max_value: Upper cap, or `None` for none. Defaults to `None`.
        threshold: Values below it are damped or zeroed. Defaults to `0.0`.

    Example:
    >>> relu(torch.tensor([-2.0, 1.0, 8.0]), negative_slope=0.5, max_value=6.0)
    tensor([-1.,  1.,  6.])
    """
    x = _tensor(x)
    if negative_slope == 0.0 and threshold == 0.0:
        if max_value is None:
            return F.relu(x)
        if max_value == 6:
            return F.relu6(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0.0:
        return F.leaky_relu(x, negative_slope)
    positive = torch.where(x > threshold, x, torch.zeros_like(x))
    if max_value is not None:
        positive = torch.clamp(positive, 0.0, max_value)
    if negative_slope == 0.0:
        return positive
    return positive - negative_slope * F.relu(threshold - x)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> torch.Tensor:
    """Leaky ReLU: `x` if `x >= 0`, else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: Slope for negative inputs. Defaults to `0.2`.

    Example:
    >>> leaky_relu(torch.tensor([-1.0, 2.0]))
    tensor([-0.2000,  2.0000])
    """
    return F.leaky_relu(_tensor(x), negative_slope)


def relu6(x: Any) -> torch.Tensor:
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Example:
    >>> relu6(torch.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return F.relu6(_tensor(x))


def _softmax_axes(x: torch.Tensor, axis: Axis) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(x.ndim))
    return tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)


def softmax(x: Any, axis: Axis = -1) -> torch.Tensor:
    """Softmax: `exp(x) / sum(exp(x))` along `axis`; the result sums to 1.

    The input is attached to the output as `_lamina_logits`, so that
    cross-entropy losses can compute from the logits.

    Args:
        x: Input tensor (logits).
        axis: Axis, tuple of axes, or `None` for all axes. Defaults to `-1`.

    Example:
    >>> softmax(torch.tensor([0.0, 0.0]))
    tensor([0.5000, 0.5000])
    """
    x = _tensor(x)
    axes = _softmax_axes(x, axis)
    if len(axes) == 1:
        return _attach_logits(F.softmax(x, dim=axes[0]), x, "softmax", axes[0])
    return torch.exp(x - torch.logsumexp(x, dim=axes, keepdim=True))


def log_softmax(x: Any, axis: Axis = -1) -> torch.Tensor:
    """Logarithm of the softmax, computed stably: `x - logsumexp(x)`.

    Args:
        x: Input tensor.
        axis: Axis, tuple of axes, or `None` for all axes. Defaults to `-1`.

    Example:
    >>> log_softmax(torch.tensor([0.0, 0.0]))
    tensor([-0.6931, -0.6931])
    """
    x = _tensor(x)
    axes = _softmax_axes(x, axis)
    if len(axes) == 1:
        return F.log_softmax(x, dim=axes[0])
    return x - torch.logsumexp(x, dim=axes, keepdim=True)


def elu(x: Any, alpha: float = 1.0) -> torch.Tensor:
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part. Defaults to `1.0`.

    Example:
    >>> elu(torch.tensor([0.0, 1.0]))
    tensor([0., 1.])
    """
    return F.elu(_tensor(x), alpha)


def selu(x: Any) -> torch.Tensor:
    """Scaled ELU with the self-normalising constants of Klambauer et al., 2017.

    Example:
    >>> selu(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.selu(_tensor(x))


def celu(x: Any, alpha: float = 1.0) -> torch.Tensor:
    """Continuously differentiable ELU.

    `celu(x) = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part. Defaults to `1.0`.

    Example:
    >>> celu(torch.tensor([0.0, 2.0]))
    tensor([0., 2.])
    """
    return F.celu(_tensor(x), alpha)


def softplus(x: Any) -> torch.Tensor:
    """Softplus: `log(exp(x) + 1)`.

    Example:
    >>> softplus(torch.tensor([0.0]))
    tensor([0.6931])
    """
    return F.softplus(_tensor(x))


def softsign(x: Any) -> torch.Tensor:
    """Softsign: `x / (abs(x) + 1)`.

    Example:
    >>> softsign(torch.tensor([1.0]))
    tensor([0.5000])
    """
    return F.softsign(_tensor(x))


def soft_shrink(x: Any, threshold: float = 0.5) -> torch.Tensor:
    """Moves values toward zero by `threshold`, zeroing those within it.

    Args:
        x: Input tensor.
        threshold: Half-width of the zeroed band. Defaults to `0.5`.

    Example:
    >>> soft_shrink(torch.tensor([-1.0, 0.2, 1.0]))
    tensor([-0.5000,  0.0000,  0.5000])
    """
    return F.softshrink(_tensor(x), threshold)


def hard_shrink(x: Any, threshold: float = 0.5) -> torch.Tensor:
    """Zeroes values with `abs(x) <= threshold`, keeps the others.

    Args:
        x: Input tensor.
        threshold: Half-width of the zeroed band. Defaults to `0.5`.

    Example:
    >>> hard_shrink(torch.tensor([-1.0, 0.2, 1.0]))
    tensor([-1.,  0.,  1.])
    """
    return F.hardshrink(_tensor(x), threshold)


def sparse_plus(x: Any) -> torch.Tensor:
    """SparsePlus: `0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, else `x`.

    Example:
    >>> sparse_plus(torch.tensor([-2.0, 0.0, 2.0]))
    tensor([0.0000, 0.2500, 2.0000])
    """
    x = _tensor(x)
    quadratic = 0.25 * (x + 1) ** 2
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, quadratic, x))


def silu(x: Any) -> torch.Tensor:
    """SiLU, also called Swish: `x * sigmoid(x)`.

    Example:
    >>> silu(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.silu(_tensor(x))


swish = silu


def squareplus(x: Any, b: float = 4) -> torch.Tensor:
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`.

    Args:
        x: Input tensor.
        b: Smoothness near zero. Defaults to `4`.

    Example:
    >>> squareplus(torch.tensor([0.0]))
    tensor([1.])
    """
    x = _tensor(x)
    return (x + torch.sqrt(x * x + b)) / 2


def gelu(x: Any, approximate: bool = False) -> torch.Tensor:
    """Gaussian error linear unit: `x * P(X <= x)` for `X ~ N(0, 1)`.

    Args:
        x: Input tensor.
        approximate: Use the tanh approximation. Defaults to `False`.

    Example:
    >>> gelu(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.gelu(_tensor(x), approximate="tanh" if approximate else "none")


def glu(x: Any, axis: int = -1) -> torch.Tensor:
    """Gated linear unit: splits `x` in halves `a, b` along `axis`; `a * sigmoid(b)`.

    Args:
        x: Input tensor; the size along `axis` must be even.
        axis: Axis to split. Defaults to `-1`.

    Example:
    >>> glu(torch.tensor([2.0, 0.0]))
    tensor([1.])
    """
    x = _tensor(x)
    if x.shape[axis] % 2:
        raise ValueError(
            f"glu splits axis={axis} in two halves, but received an input of "
            f"shape {tuple(x.shape)} whose size there is odd. Pass an even size."
        )
    return F.glu(x, dim=axis)


def tanh(x: Any) -> torch.Tensor:
    """Hyperbolic tangent.

    Example:
    >>> tanh(torch.tensor([0.0]))
    tensor([0.])
    """
    return torch.tanh(_tensor(x))


def tanh_shrink(x: Any) -> torch.Tensor:
    """Tanh shrink: `x - tanh(x)`.

    Example:
    >>> tanh_shrink(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.tanhshrink(_tensor(x))


def hard_tanh(x: Any) -> torch.Tensor:
    """Hard tanh: `x` clipped to `[-1, 1]`.

    Example:
    >>> hard_tanh(torch.tensor([-3.0, 0.5, 3.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    return F.hardtanh(_tensor(x), -1.0, 1.0)


def threshold(x: Any, threshold: float, default_value: float) -> torch.Tensor:
    """Keeps `x` where `x > threshold`, elsewhere puts `default_value`.

    Args:
        x: Input tensor.
        threshold: Values at or below it are replaced.
        default_value: The replacement.

    Example:
    >>> threshold(torch.tensor([-1.0, 2.0]), 0.0, 5.0)
    tensor([5., 2.])
    """
    return F.threshold(_tensor(x), threshold, default_value)


def sigmoid(x: Any) -> torch.Tensor:
    """Sigmoid: `1 / (1 + exp(-x))`.

    The input is attached to the output as `_lamina_logits`, so that
    binary cross-entropy can compute from the logits.

    Example:
    >>> sigmoid(torch.tensor([0.0]))
    tensor([0.5000])
    """
    x = _tensor(x)
    return _attach_logits(torch.sigmoid(x), x, "sigmoid")


def sparse_sigmoid(x: Any) -> torch.Tensor:
    """Sparse sigmoid: `0` for `x <= -1`, `(x + 1) / 2` between, `1` for `x >= 1`.

    Example:
    >>> sparse_sigmoid(torch.tensor([-2.0, 0.0, 2.0]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    x = _tensor(x)
    return torch.clamp(0.5 * (x + 1), 0.0, 1.0)


def exponential(x: Any) -> torch.Tensor:
    """Exponential: `exp(x)`.

    Example:
    >>> exponential(torch.tensor([0.0]))
    tensor([1.])
    """
    return torch.exp(_tensor(x))


def hard_sigmoid(x: Any) -> torch.Tensor:
    """Piecewise-linear sigmoid (Keras 3): `relu6(x + 3) / 6`.

    Example:
    >>> hard_sigmoid(torch.tensor([-4.0, 0.0, 4.0]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    return F.hardsigmoid(_tensor(x))


def hard_silu(x: Any) -> torch.Tensor:
    """Hard SiLU, also called hard Swish: `x * relu6(x + 3) / 6`.

    Example:
    >>> hard_silu(torch.tensor([-4.0, 0.0, 4.0]))
    tensor([-0., 0., 4.])
    """
    return F.hardswish(_tensor(x))


hard_swish = hard_silu


def log_sigmoid(x: Any) -> torch.Tensor:
    """Logarithm of the sigmoid, computed stably: `-softplus(-x)`.

    Example:
    >>> log_sigmoid(torch.tensor([0.0]))
    tensor([-0.6931])
    """
    return F.logsigmoid(_tensor(x))


def linear(x: Any) -> Any:
    """The identity: returns the input unchanged.

    Example:
    >>> linear(torch.tensor([-1.0]))
    tensor([-1.])
    """
    return x


def mish(x: Any) -> torch.Tensor:
    """Mish: `x * tanh(softplus(x))` (Misra, 2019).

    Example:
    >>> mish(torch.tensor([0.0]))
    tensor([0.])
    """
    return F.mish(_tensor(x))


def sparsemax(x: Any, axis: int = -1) -> torch.Tensor:
    """Sparsemax: the Euclidean projection of `x` on the probability simplex.

    Like softmax, the result sums to 1 along `axis`, but small entries are
    exactly zero (Martins & Astudillo, 2016). Keras 3.15 sums cumulative sums
    where the paper sums the supported values, so its output need not sum to
    1 when two or more entries are non-zero; lamina follows the paper.

    Args:
        x: Input tensor.
        axis: Axis to normalise. Defaults to `-1`.

    Example:
    >>> sparsemax(torch.tensor([2.0, 0.0, -1.0]))
    tensor([1., 0., 0.])
    """
    x = _tensor(x)
    ordered = torch.sort(x, dim=axis, descending=True).values
    cumulative = torch.cumsum(ordered, dim=axis)
    rank_shape = [1] * x.ndim
    rank_shape[axis] = -1
    rank = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device)
    rank = rank.view(rank_shape)  # broadcast along `axis`
    in_support = ordered - (cumulative - 1) / rank > 0
    support_size = in_support.sum(dim=axis, keepdim=True)
    support_sum = torch.where(in_support, ordered, 0.0).sum(dim=axis, keepdim=True)
    tau = (support_sum - 1) / support_size
    return torch.clamp(x - tau, min=0.0)
