"""Threshold metrics: confusion-matrix counts, precision, recall, and the
"X at fixed Y" metrics."""

from typing import Any

import torch

from lamina.metrics._confusion_matrix import NEG_INF
from lamina.metrics._confusion_matrix import confusion_counts
from lamina.metrics._confusion_matrix import is_evenly_distributed
from lamina.metrics._confusion_matrix import parse_thresholds
from lamina.metrics.metric import Metric


def _divide_no_nan(numerator: torch.Tensor, denominator: torch.Tensor) -> torch.Tensor:
    return torch.where(denominator == 0, 0.0, numerator / denominator)


class _ThresholdMetric(Metric):
    """Accumulates some of the counts `tp`, `fp`, `tn`, `fn` per threshold."""

    _conditions: dict[str, str] = {}  # count -> state name

    def _init_counts(self, thresholds: list[float]) -> None:
        self.thresholds = thresholds
        self._evenly = is_evenly_distributed(thresholds)
        for state_name in self._conditions.values():
            self.add_variable(shape=(len(thresholds),), name=state_name)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred, sample_weight = self._inputs(y_true, y_pred, sample_weight)
        counts = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            self._dtype,
            top_k=getattr(self, "top_k", None),
            class_id=getattr(self, "class_id", None),
            sample_weight=sample_weight,
            evenly_distributed=self._evenly,
        )
        for condition, state_name in self._conditions.items():
            setattr(self, state_name, getattr(self, state_name) + counts[condition])

    def _single(self, values: torch.Tensor) -> torch.Tensor:
        return values[0] if len(self.thresholds) == 1 else values


class _ConfusionMatrixConditionCount(_ThresholdMetric):
    def __init__(
        self,
        thresholds: float | list[float] | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self._init_counts(parse_thresholds(thresholds))

    def result(self) -> torch.Tensor:
        return self._single(self.accumulator.clone())

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """Weighted count of true positives (at each threshold).

    Args:
        thresholds: A float or list of floats in [0, 1]; predictions above a
            threshold count as positive. Defaults to `0.5`.
        name: Defaults to `"true_positives"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(TruePositives()([0, 1, 1, 1], [1, 0, 1, 1]))
    2.0
    """

    _conditions = {"tp": "accumulator"}


class FalsePositives(_ConfusionMatrixConditionCount):
    """Weighted count of false positives (at each threshold).

    Args:
        thresholds: A float or list of floats in [0, 1]. Defaults to `0.5`.
        name: Defaults to `"false_positives"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(FalsePositives()([0, 1, 0, 0], [0, 0, 1, 1]))
    2.0
    """

    _conditions = {"fp": "accumulator"}


class TrueNegatives(_ConfusionMatrixConditionCount):
    """Weighted count of true negatives (at each threshold).

    Args:
        thresholds: A float or list of floats in [0, 1]. Defaults to `0.5`.
        name: Defaults to `"true_negatives"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(TrueNegatives()([0, 1, 0, 0], [1, 1, 0, 0]))
    2.0
    """

    _conditions = {"tn": "accumulator"}


class FalseNegatives(_ConfusionMatrixConditionCount):
    """Weighted count of false negatives (at each threshold).

    Args:
        thresholds: A float or list of floats in [0, 1]. Defaults to `0.5`.
        name: Defaults to `"false_negatives"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(FalseNegatives()([0, 1, 1, 1], [0, 1, 0, 0]))
    2.0
    """

    _conditions = {"fn": "accumulator"}


class _PrecisionRecallBase(_ThresholdMetric):
    def __init__(
        self,
        thresholds: float | list[float] | None = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        if thresholds is None:
            self._init_counts([default])
        else:
            self._init_counts(parse_thresholds(thresholds))

    def get_config(self) -> dict[str, Any]:
        config = {
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }
        return {**super().get_config(), **config}


class Precision(_PrecisionRecallBase):
    """Precision: `true_positives / (true_positives + false_positives)`.

    Args:
        thresholds: A float or list of floats in [0, 1]; predictions above a
            threshold count as positive. Defaults to `0.5` (or, with `top_k`,
            every top-k prediction counts).
        top_k: Count only the `k` highest predictions per sample as positive.
            Defaults to `None`.
        class_id: Measure only this class of a multi-class output.
            Defaults to `None`.
        name: Defaults to `"precision"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> round(float(Precision()([0, 1, 1, 1], [1, 0, 1, 1])), 4)
    0.6667
    """

    _conditions = {"tp": "true_positives", "fp": "false_positives"}

    def result(self) -> torch.Tensor:
        tp = self.true_positives
        return self._single(_divide_no_nan(tp, tp + self.false_positives))


class Recall(_PrecisionRecallBase):
    """Recall: `true_positives / (true_positives + false_negatives)`.

    Args:
        thresholds: A float or list of floats in [0, 1]. Defaults to `0.5`.
        top_k: Count only the `k` highest predictions per sample as positive.
            Defaults to `None`.
        class_id: Measure only this class of a multi-class output.
            Defaults to `None`.
        name: Defaults to `"recall"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> round(float(Recall()([0, 1, 1, 1], [1, 0, 1, 1])), 4)
    0.6667
    """

    _conditions = {"tp": "true_positives", "fn": "false_negatives"}

    def result(self) -> torch.Tensor:
        tp = self.true_positives
        return self._single(_divide_no_nan(tp, tp + self.false_negatives))


class _SensitivitySpecificityBase(_ThresholdMetric):
    _conditions = {
        "tp": "true_positives",
        "fp": "false_positives",
        "tn": "true_negatives",
        "fn": "false_negatives",
    }
    _value_name = "value"

    def __init__(
        self,
        value: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        if not 0 <= value <= 1:
            raise ValueError(
                f"{type(self).__name__} received {self._value_name}={value}, "
                f"but it must be in the range [0, 1]."
            )
        if num_thresholds <= 0:
            raise ValueError(
                f"{type(self).__name__} received num_thresholds={num_thresholds}, "
                f"but it must be an integer > 0."
            )
        super().__init__(name=name, dtype=dtype)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            thresholds = [0.5]
        else:
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            thresholds = [0.0, *inner, 1.0]
        self._init_counts(thresholds)
        self._evenly = num_thresholds > 1

    def _rates(self) -> dict[str, torch.Tensor]:
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        return {
            "sensitivity": _divide_no_nan(tp, tp + fn),
            "specificity": _divide_no_nan(tn, tn + fp),
            "precision": _divide_no_nan(tp, tp + fp),
        }

    def _max_under_constraint(
        self, constrained: torch.Tensor, dependent: torch.Tensor
    ) -> torch.Tensor:
        feasible = constrained >= self.value
        return torch.where(feasible, dependent, 0.0).amax().clamp_min(0.0)

    def get_config(self) -> dict[str, Any]:
        config = {
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._value_name: self.value,
        }
        return {**super().get_config(), **config}


class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    """Best sensitivity (recall) among thresholds whose specificity is >= `specificity`.

    Args:
        specificity: Required specificity, in [0, 1].
        num_thresholds: Number of evenly spaced thresholds. Defaults to `200`.
        class_id: Measure only this class. Defaults to `None`.
        name: Defaults to `"sensitivity_at_specificity"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(SensitivityAtSpecificity(0.5)([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]))
    0.5
    """

    _value_name = "specificity"

    def __init__(
        self,
        specificity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)
        self.specificity = specificity

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._max_under_constraint(rates["specificity"], rates["sensitivity"])


class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    """Best specificity among thresholds whose sensitivity is >= `sensitivity`.

    Args:
        sensitivity: Required sensitivity, in [0, 1].
        num_thresholds: Number of evenly spaced thresholds. Defaults to `200`.
        class_id: Measure only this class. Defaults to `None`.
        name: Defaults to `"specificity_at_sensitivity"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> m = SpecificityAtSensitivity(0.5)
    >>> round(float(m([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])), 4)
    0.6667
    """

    _value_name = "sensitivity"

    def __init__(
        self,
        sensitivity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)
        self.sensitivity = sensitivity

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._max_under_constraint(rates["sensitivity"], rates["specificity"])


class PrecisionAtRecall(_SensitivitySpecificityBase):
    """Best precision among thresholds whose recall is >= `recall`.

    Args:
        recall: Required recall, in [0, 1].
        num_thresholds: Number of evenly spaced thresholds. Defaults to `200`.
        class_id: Measure only this class. Defaults to `None`.
        name: Defaults to `"precision_at_recall"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(PrecisionAtRecall(0.5)([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]))
    0.5
    """

    _value_name = "recall"

    def __init__(
        self,
        recall: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(recall, num_thresholds, class_id, name, dtype)
        self.recall = recall

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._max_under_constraint(rates["sensitivity"], rates["precision"])


class RecallAtPrecision(_SensitivitySpecificityBase):
    """Best recall among thresholds whose precision is >= `precision`.

    Args:
        precision: Required precision, in [0, 1].
        num_thresholds: Number of evenly spaced thresholds. Defaults to `200`.
        class_id: Measure only this class. Defaults to `None`.
        name: Defaults to `"recall_at_precision"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(RecallAtPrecision(0.8)([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]))
    0.5
    """

    _value_name = "precision"

    def __init__(
        self,
        precision: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
        self.precision = precision

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._max_under_constraint(rates["precision"], rates["sensitivity"])
