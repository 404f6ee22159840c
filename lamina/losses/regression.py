"""Regression losses: squared, absolute, percentage, logarithmic, Huber, log-cosh."""

import math
from typing import Any

import torch
import torch.nn.functional as F

from lamina.backend import epsilon
from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.losses.loss_function_wrapper import LossFunctionWrapper


def _pair(y_true: Any, y_pred: Any) -> tuple[torch.Tensor, torch.Tensor]:
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_squared_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean of `(y_true - y_pred) ** 2` over the last axis.

    Example:
    >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).tolist()
    [0.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return (y_true - y_pred).square().mean(dim=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean of `abs(y_true - y_pred)` over the last axis.

    Example:
    >>> mean_absolute_error([[0.0, 1.0]], [[1.0, 3.0]]).tolist()
    [1.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return (y_true - y_pred).abs().mean(dim=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`100 * mean(abs((y_true - y_pred) / y_true))` over the last axis.

    Example:
    >>> mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 4.0]]).tolist()
    [25.0]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    diff = (y_true - y_pred).abs() / y_true.abs().clamp_min(epsilon())
    return 100.0 * diff.mean(dim=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean of `(log(y_pred + 1) - log(y_true + 1)) ** 2` over the last axis.

    Example:
    >>> [round(v, 4) for v in mean_squared_logarithmic_error([[0.0]], [[1.0]]).tolist()]
    [0.4805]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    fuzz = epsilon()
    first_log = torch.log1p(y_pred.clamp_min(fuzz))
    second_log = torch.log1p(y_true.clamp_min(fuzz))
    return (first_log - second_log).square().mean(dim=-1)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> torch.Tensor:
    """Negative cosine similarity along `axis` (-1 means aligned).

    Example:
    >>> cosine_similarity([[0.0, 1.0]], [[0.0, 2.0]]).tolist()
    [-1.0]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return -(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis)).sum(dim=axis)


def l2_normalize(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Scales `x` to unit L2 norm along `axis` (norms below epsilon are kept).

    Example:
    >>> l2_normalize(torch.tensor([3.0, 4.0])).tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    inverse_norm = torch.rsqrt(x.square().sum(dim=axis, keepdim=True))
    return x * inverse_norm.clamp_max(1.0 / epsilon())


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> torch.Tensor:
    """Huber loss: quadratic for errors up to `delta`, linear beyond.

    Example:
    >>> huber([[0.0, 0.0]], [[0.5, 3.0]]).tolist()
    [1.3125]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return F.huber_loss(y_pred, y_true, reduction="none", delta=delta).mean(dim=-1)


def log_cosh(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean of `log(cosh(y_pred - y_true))` over the last axis, computed stably.

    Example:
    >>> [round(v, 4) for v in log_cosh([[0.0]], [[1.0]]).tolist()]
    [0.4338]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    return (error + F.softplus(-2.0 * error) - math.log(2.0)).mean(dim=-1)


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors between labels and predictions.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"mean_squared_error"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> float(MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors between labels and predictions.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"mean_absolute_error"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> float(MeanAbsoluteError()([[0.0, 1.0]], [[1.0, 3.0]]))
    1.5
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error: `100 * mean(abs((y_true - y_pred) / y_true))`.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"mean_absolute_percentage_error"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> float(MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 4.0]]))
    25.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_percentage_error,
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean of `(log(y_pred + 1) - log(y_true + 1)) ** 2`.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"mean_squared_logarithmic_error"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(MeanSquaredLogarithmicError()([[0.0]], [[1.0]])), 4)
    0.4805
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_logarithmic_error,
            name=name,
            reduction=reduction,
            dtype=dtype,
        )


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between labels and predictions.

    Args:
        axis: Axis along which the similarity is computed. Defaults to `-1`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"cosine_similarity"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> float(CosineSimilarity()([[0.0, 1.0]], [[0.0, 2.0]]))
    -1.0
    """

    def __init__(
        self,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ):
        super().__init__(
            cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis
        )
        self.axis = axis


class Huber(LossFunctionWrapper):
    """Huber loss: `0.5 * x**2` for `|x| <= delta`, else `delta * (|x| - delta / 2)`.

    Args:
        delta: Where the loss turns from quadratic to linear. Defaults to `1.0`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"huber_loss"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> float(Huber()([[0.0, 0.0]], [[0.5, 3.0]]))
    1.3125
    """

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ):
        super().__init__(
            huber, name=name, reduction=reduction, dtype=dtype, delta=delta
        )
        self.delta = delta


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the prediction error.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"log_cosh"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(LogCosh()([[0.0]], [[1.0]])), 4)
    0.4338
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "log_cosh",
        dtype: Any = None,
    ):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)
