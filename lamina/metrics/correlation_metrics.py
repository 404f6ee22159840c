"""Correlation metrics: Pearson's and Lin's concordance coefficient."""

from typing import Any

import torch

from lamina.backend import epsilon
from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import MeanMetricWrapper

Axis = int | tuple[int, ...] | list[int]


def _as_dim(axis: Axis) -> int | tuple[int, ...]:
    return tuple(axis) if isinstance(axis, list | tuple) else axis


def _aligned(y_true: Any, y_pred: Any) -> tuple[torch.Tensor, torch.Tensor]:
    y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.float()
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true: Any, y_pred: Any, axis: Axis = -1) -> torch.Tensor:
    """Pearson correlation coefficient of labels and predictions along `axis`.

    `mean(z(y_true) * z(y_pred))`, where `z` centers and divides by the
    population standard deviation. A constant input gives `nan`.

    Args:
        y_true: Labels.
        y_pred: Predictions, same shape as `y_true`.
        axis: Axis or axes along which to correlate. Defaults to `-1`.

    Returns:
        The coefficients, with `axis` reduced away.

    Example:
    >>> y_true = [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]]
    >>> y_pred = [[0.0, 2.0, 4.0], [3.0, 2.0, 1.0]]
    >>> [round(v, 4) for v in pearson_correlation(y_true, y_pred).tolist()]
    [1.0, -1.0]
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    dim = _as_dim(axis)
    true_centered = y_true - y_true.mean(dim=dim, keepdim=True)
    pred_centered = y_pred - y_pred.mean(dim=dim, keepdim=True)
    true_scaled = true_centered / true_centered.std(dim=dim, correction=0, keepdim=True)
    pred_scaled = pred_centered / pred_centered.std(dim=dim, correction=0, keepdim=True)
    return (true_scaled * pred_scaled).mean(dim=dim)


def concordance_correlation(y_true: Any, y_pred: Any, axis: Axis = -1) -> torch.Tensor:
    """Lin's concordance correlation coefficient along `axis`.

    `2 * cov(y_true, y_pred) / (var(y_true) + var(y_pred) + (mean(y_true) -
    mean(y_pred))**2)`: 1 only when predictions equal the labels, unlike the
    Pearson coefficient, which ignores scale and offset.

    Args:
        y_true: Labels.
        y_pred: Predictions, same shape as `y_true`.
        axis: Axis or axes along which to compare. Defaults to `-1`.

    Returns:
        The coefficients, with `axis` reduced away.

    Example:
    >>> y_true = [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]]
    >>> y_pred = [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    >>> [round(v, 4) for v in concordance_correlation(y_true, y_pred).tolist()]
    [1.0, 0.25]
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    dim = _as_dim(axis)
    true_mean = y_true.mean(dim=dim, keepdim=True)
    pred_mean = y_pred.mean(dim=dim, keepdim=True)
    true_variance = y_true.var(dim=dim, correction=0, keepdim=True)
    pred_variance = y_pred.var(dim=dim, correction=0, keepdim=True)
    # Keras centers both factors on the prediction mean; the mean of the
    # product is the covariance all the same, since y_pred - pred_mean sums to 0.
    covariance_terms = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_variance + pred_variance + (true_mean - pred_mean).square()
    return (2.0 * covariance_terms / (norm + epsilon())).mean(dim=dim)


class PearsonCorrelation(MeanMetricWrapper):
    """Running mean of the Pearson correlation coefficient of each sample.

    Measures how linearly predictions follow the labels: 1 for a perfect
    increasing linear relation, -1 for a decreasing one, 0 for none.

    Args:
        name: Defaults to `"pearson_correlation"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        axis: Axis or axes along which to correlate. Defaults to `-1`.

    Example:
    >>> metric = PearsonCorrelation()
    >>> round(float(metric([[0.0, 1.0, 2.0]], [[1.0, 3.0, 5.0]])), 4)
    1.0
    """

    def __init__(
        self, name: str = "pearson_correlation", dtype: Any = None, axis: Axis = -1
    ):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class ConcordanceCorrelation(MeanMetricWrapper):
    """Running mean of the concordance correlation coefficient of each sample.

    Like the Pearson coefficient, but also penalises a scale or offset
    between predictions and labels: 1 only when they are equal.

    Args:
        name: Defaults to `"concordance_correlation"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        axis: Axis or axes along which to compare. Defaults to `-1`.

    Example:
    >>> metric = ConcordanceCorrelation()
    >>> round(float(metric([[1.0, 2.0, 3.0]], [[3.0, 4.0, 5.0]])), 4)
    0.25
    """

    def __init__(
        self,
        name: str = "concordance_correlation",
        dtype: Any = None,
        axis: Axis = -1,
    ):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
