"""`R2Score`: the coefficient of determination of a regression."""

import warnings
from typing import Any

import torch

from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.metrics.metric import Metric

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")
_STATES = ("squared_sum", "sum", "total_mse", "count")


class R2Score(Metric):
    """R2 score: `1 - sum((y_true - y_pred)**2) / sum((y_true - mean(y_true))**2)`.

    Args:
        class_aggregation: How to combine the scores of several outputs:
            `"uniform_average"`, `"variance_weighted_average"` or `None`
            (one score per output). Defaults to `"uniform_average"`.
        num_regressors: Number of independent regressors, for the adjusted
            R2 score; `0` gives the plain score. Defaults to `0`.
        name: Defaults to `"r2_score"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> round(float(R2Score()([[1.0], [2.0], [3.0]], [[1.0], [2.0], [4.0]])), 4)
    0.5
    """

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"R2Score received class_aggregation={class_aggregation!r}, but "
                f"expected one of {list(_AGGREGATIONS)}."
            )
        if num_regressors < 0:
            raise ValueError(
                f"R2Score received num_regressors={num_regressors}, but it must "
                f"be >= 0."
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.add_variable(shape=(), name="num_samples")
        self._built = False

    def _build(self, true_shape: tuple, pred_shape: tuple) -> None:
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError(
                f"R2Score expects 2D inputs of shape (batch_size, output_dim), "
                f"but received y_true.shape={true_shape} and "
                f"y_pred.shape={pred_shape}. Reshape them, e.g. y.reshape(-1, 1)."
            )
        for state_name in _STATES:
            self.add_variable(shape=(pred_shape[-1],), name=state_name)
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred, sample_weight = self._inputs(y_true, y_pred, sample_weight)
        y_true, y_pred = squeeze_or_expand_to_same_rank(
            y_true.to(self._dtype), y_pred.to(self._dtype)
        )
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        if sample_weight is None:
            sample_weight = torch.ones((), dtype=self._dtype, device=y_true.device)
        sample_weight = sample_weight.to(self._dtype)
        if sample_weight.dim() == 1:
            sample_weight = sample_weight[:, None]
        sample_weight = torch.broadcast_to(sample_weight, y_true.shape)
        weighted_y_true = y_true * sample_weight
        self.sum = self.sum + weighted_y_true.sum(dim=0)
        self.squared_sum = self.squared_sum + (y_true * weighted_y_true).sum(dim=0)
        self.total_mse = self.total_mse + (
            (y_true - y_pred).square() * sample_weight
        ).sum(dim=0)
        self.count = self.count + sample_weight.sum(dim=0)
        self.num_samples = self.num_samples + y_true.numel()

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self._dtype)
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw_scores = 1 - self.total_mse / total
        raw_scores = torch.where(torch.isinf(raw_scores), 0.0, raw_scores)
        if self.class_aggregation == "uniform_average":
            score = raw_scores.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw_scores).sum() / total.sum()
        else:
            score = raw_scores
        if self.num_regressors == 0:
            return score
        return self._adjusted(score)

    def _adjusted(self, score: torch.Tensor) -> torch.Tensor:
        num_samples = float(self.num_samples)  # result() may sync; update_state never
        if self.num_regressors >= num_samples - 1:
            warnings.warn(
                f"R2Score has num_regressors={self.num_regressors} but only "
                f"{num_samples:.0f} samples, too few for the adjusted score; "
                f"returning the plain R2 score.",
                stacklevel=3,
            )
            return score
        return 1 - (1 - score) * (num_samples - 1) / (
            num_samples - self.num_regressors - 1
        )

    def get_config(self) -> dict[str, Any]:
        config = {
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
        return {**super().get_config(), **config}
