"""Regression metrics: error means, cosine similarity, log-cosh, RMSE, R2."""

from typing import Any

import torch

from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.losses.regression import l2_normalize
from lamina.losses.regression import log_cosh
from lamina.losses.regression import mean_absolute_error
from lamina.losses.regression import mean_absolute_percentage_error
from lamina.losses.regression import mean_squared_error
from lamina.losses.regression import mean_squared_logarithmic_error
from lamina.metrics.reduction_metrics import Mean
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> torch.Tensor:
    """Cosine similarity along `axis` (1 means aligned); the metric's sign.

    Example:
    >>> cosine_similarity([[0.0, 1.0]], [[0.0, 2.0]]).tolist()
    [1.0]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return (l2_normalize(y_true, axis) * l2_normalize(y_pred, axis)).sum(dim=axis)


class MeanSquaredError(MeanMetricWrapper):
    """Running mean of squared errors.

    Args:
        name: Defaults to `"mean_squared_error"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """Running mean of absolute errors.

    Args:
        name: Defaults to `"mean_absolute_error"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(MeanAbsoluteError()([[0.0, 1.0]], [[1.0, 3.0]]))
    1.5
    """

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Running mean absolute percentage error.

    Args:
        name: Defaults to `"mean_absolute_percentage_error"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 4.0]]))
    25.0
    """

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None):
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Running mean squared logarithmic error.

    Args:
        name: Defaults to `"mean_squared_logarithmic_error"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> round(float(MeanSquaredLogarithmicError()([[0.0]], [[1.0]])), 4)
    0.4805
    """

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None):
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """Running mean of the logarithm of the hyperbolic cosine of the error.

    Args:
        name: Defaults to `"logcosh"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> round(float(LogCoshError()([[0.0]], [[1.0]])), 4)
    0.4338
    """

    def __init__(self, name: str = "logcosh", dtype: Any = None):
        super().__init__(log_cosh, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Running mean of the cosine similarity between labels and predictions.

    Args:
        name: Defaults to `"cosine_similarity"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        axis: See `cosine_similarity`. Defaults to `-1`.

    Example:
    >>> float(CosineSimilarity()([[0.0, 1.0]], [[0.0, 2.0]]))
    1.0
    """

    def __init__(
        self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1
    ):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class RootMeanSquaredError(Mean):
    """Square root of the running mean of squared errors.

    Args:
        name: Defaults to `"root_mean_squared_error"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(RootMeanSquaredError()([[0.0, 1.0]], [[2.0, 1.0]]))
    1.4142135381698608
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred, sample_weight = self._inputs(y_true, y_pred, sample_weight)
        y_true, y_pred = squeeze_or_expand_to_same_rank(
            y_true.to(self._dtype), y_pred.to(self._dtype)
        )
        self._accumulate((y_pred - y_true).square(), sample_weight)

    def result(self) -> torch.Tensor:
        return torch.sqrt(super().result())
