"""`FBetaScore` and `F1Score`: harmonic means of precision and recall per class."""

from typing import Any

import torch

from lamina.backend import epsilon
from lamina.metrics.metric import Metric

_AVERAGES = (None, "micro", "macro", "weighted")
_STATES = (
    "true_positives",
    "false_positives",
    "false_negatives",
    "intermediate_weights",
)


class FBetaScore(Metric):
    """F-beta score, a weighted harmonic mean of precision and recall.

    `score = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)`.

    Args:
        average: `None` (one score per class), `"micro"` (global counts),
            `"macro"` (unweighted mean of class scores) or `"weighted"` (mean
            weighted by class support). Defaults to `None`.
        beta: Weight of recall relative to precision, a float > 0.
            Defaults to `1.0`.
        threshold: Predictions above it count as positive; `None` takes each
            row's maximum as the prediction. Defaults to `None`.
        name: Defaults to `"fbeta_score"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> metric = FBetaScore(beta=2.0, threshold=0.5)
    >>> scores = metric([[1, 0], [0, 1]], [[0.9, 0.2], [0.8, 0.6]])
    >>> [round(v, 4) for v in scores.tolist()]
    [0.8333, 1.0]
    """

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str = "fbeta_score",
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        if average not in _AVERAGES:
            raise ValueError(
                f"FBetaScore received average={average!r}, but expected one of "
                f"{list(_AVERAGES)}."
            )
        if not isinstance(beta, float) or beta <= 0.0:
            raise ValueError(
                f"FBetaScore received beta={beta!r}, but it must be a Python "
                f"float > 0, e.g. beta=2.0."
            )
        if threshold is not None and (
            not isinstance(threshold, float) or not 0.0 < threshold <= 1.0
        ):
            raise ValueError(
                f"FBetaScore received threshold={threshold!r}, but it must be a "
                f"Python float with 0 < threshold <= 1, or None."
            )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, true_shape: tuple, pred_shape: tuple) -> None:
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError(
                f"Metric '{self.name}' ({type(self).__name__}) expects 2D inputs "
                f"of shape (batch_size, num_classes), but received "
                f"y_true.shape={true_shape} and y_pred.shape={pred_shape}."
            )
        shape = () if self.average == "micro" else (pred_shape[-1],)
        for state_name in _STATES:
            self.add_variable(shape=shape, name=state_name)
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred, sample_weight = self._inputs(y_true, y_pred, sample_weight)
        y_true, y_pred = y_true.to(self._dtype), y_pred.to(self._dtype)
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        if self.threshold is None:
            row_max = y_pred.amax(dim=-1, keepdim=True)
            y_pred = (y_pred >= row_max) & (y_pred.abs() > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.to(self._dtype)
        if sample_weight is not None:
            sample_weight = sample_weight.to(self._dtype)[:, None]

        def weighted_sum(values: torch.Tensor) -> torch.Tensor:
            if sample_weight is not None:
                values = values * sample_weight
            return values.sum() if self.axis is None else values.sum(dim=self.axis)

        self.true_positives = self.true_positives + weighted_sum(y_pred * y_true)
        self.false_positives = self.false_positives + weighted_sum(
            y_pred * (1 - y_true)
        )
        self.false_negatives = self.false_negatives + weighted_sum(
            (1 - y_pred) * y_true
        )
        self.intermediate_weights = self.intermediate_weights + weighted_sum(y_true)

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self._dtype)
        fuzz = epsilon()
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + fuzz)
        recall = tp / (tp + self.false_negatives + fuzz)
        beta_squared = self.beta**2
        score = precision * recall / (beta_squared * precision + recall + fuzz)
        score = score * (1 + beta_squared)
        if self.average == "weighted":
            support = self.intermediate_weights
            return (score * support / (support.sum() + fuzz)).sum()
        if self.average is not None:
            return score.mean()
        return score

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    def get_config(self) -> dict[str, Any]:
        config = {
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }
        return {**super().get_config(), **config}


class F1Score(FBetaScore):
    """F1 score: the harmonic mean of precision and recall.

    Args:
        average: `None`, `"micro"`, `"macro"` or `"weighted"`; see
            `FBetaScore`. Defaults to `None`.
        threshold: Predictions above it count as positive; `None` takes each
            row's maximum. Defaults to `None`.
        name: Defaults to `"f1_score"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> metric = F1Score(average="micro", threshold=0.5)
    >>> round(float(metric([[1, 0], [0, 1]], [[0.9, 0.2], [0.8, 0.6]])), 4)
    0.8
    """

    def __init__(
        self,
        average: str | None = None,
        threshold: float | None = None,
        name: str = "f1_score",
        dtype: Any = None,
    ):
        super().__init__(
            average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype
        )

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["beta"]
        return config
