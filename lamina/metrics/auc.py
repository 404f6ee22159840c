"""`AUC`: area under the ROC or precision-recall curve, from threshold counts."""

from typing import Any

import torch

from lamina.backend import epsilon
from lamina.metrics._confusion_matrix import confusion_counts
from lamina.metrics._confusion_matrix import is_evenly_distributed
from lamina.metrics.confusion_metrics import _divide_no_nan
from lamina.metrics.metric import Metric

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")
_STATES = ("true_positives", "false_positives", "true_negatives", "false_negatives")


class AUC(Metric):
    """Approximate area under the ROC or PR curve, by a Riemann sum over thresholds.

    Args:
        num_thresholds: Number of evenly spaced thresholds. Defaults to `200`.
        curve: `"ROC"`, `"PR"` or `"PRGAIN"`. Defaults to `"ROC"`.
        summation_method: `"interpolation"`, `"majoring"` or `"minoring"`.
            Defaults to `"interpolation"`.
        name: Defaults to `"auc"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        thresholds: Explicit thresholds in [0, 1], replacing `num_thresholds`.
            Defaults to `None`.
        multi_label: Whether each column is a separate label whose AUCs are
            averaged. Defaults to `False`.
        num_labels: Number of labels when `multi_label=True`, to create the
            state before the first batch. Defaults to `None`.
        label_weights: Per-label weights for the average. Defaults to `None`.
        from_logits: Whether predictions are logits. Defaults to `False`.

    Example:
    >>> float(AUC(num_thresholds=3)([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]))
    0.75
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: list[float] | None = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Any = None,
        from_logits: bool = False,
    ):
        super().__init__(name=name, dtype=dtype)
        self.curve = _standardize(curve, _CURVES, "curve")
        self.summation_method = _standardize(
            summation_method, {s: s for s in _SUMMATIONS}, "summation_method"
        )
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(inner) + 2
            self._evenly = is_evenly_distributed([0.0, *inner, 1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    f"AUC received num_thresholds={num_thresholds}, but it must "
                    f"be an integer > 1."
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        self._thresholds = [0.0 - epsilon(), *inner, 1.0 + epsilon()]
        if num_labels and not multi_label:
            raise ValueError(
                f"AUC received num_labels={num_labels}, which is needed only "
                f"with multi_label=True."
            )
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (
            None
            if label_weights is None
            else torch.as_tensor(label_weights, dtype=self._dtype)
        )
        self._from_logits = from_logits
        self._built = False
        if not multi_label:
            self._build(None)
        elif num_labels:
            self._build((None, num_labels))

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, including the two end points just outside [0, 1]."""
        return list(self._thresholds)

    def _build(self, shape: tuple | None) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    f"AUC with multi_label=True expects y_pred of rank 2, "
                    f"(batch_size, num_labels), but received shape {tuple(shape)}."
                )
            self._num_labels = shape[1]
            state_shape = (self.num_thresholds, shape[1])
        else:
            state_shape = (self.num_thresholds,)
        for state_name in _STATES:
            self.add_variable(shape=state_shape, name=state_name)
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred, sample_weight = self._inputs(y_true, y_pred, sample_weight)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred)
        label_weights = None if self.multi_label else self.label_weights
        counts = confusion_counts(
            y_true,
            y_pred,
            self._thresholds,
            self._dtype,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=label_weights,
            evenly_distributed=self._evenly,
        )
        for condition, state_name in zip(
            ("tp", "fp", "tn", "fn"), _STATES, strict=True
        ):
            setattr(self, state_name, getattr(self, state_name) + counts[condition])

    def result(self) -> torch.Tensor:
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average_labels(self._interpolated_pr_auc())
        x, y = self._curve_points()
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._average_labels((x[:-1] - x[1:]) * heights)

    def _curve_points(self) -> tuple[torch.Tensor, torch.Tensor]:
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            return _divide_no_nan(fp, fp + tn), recall
        if self.curve == "PR":
            return recall, _divide_no_nan(tp, tp + fp)
        scaling = _divide_no_nan(tp + fn, tn + fp)
        recall_gain = 1.0 - scaling * _divide_no_nan(fn, tp)
        precision_gain = 1.0 - scaling * _divide_no_nan(fp, tp)
        recall_gain = torch.where(tp == 0, 0.0, recall_gain).clamp_min(0.0)
        precision_gain = torch.where(tp == 0, 1.0, precision_gain)
        return recall_gain, precision_gain

    def _interpolated_pr_auc(self) -> torch.Tensor:
        """Davis & Goadrich (2006) interpolation of the PR curve."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        prec_slope = _divide_no_nan(dtp, dp.clamp_min(0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = torch.where(
            (p[:-1] > 0) & (p[1:] > 0),
            _divide_no_nan(p[:-1], p[1:].clamp_min(0)),
            torch.ones_like(p[1:]),
        )
        increments = prec_slope * (dtp + intercept * torch.log(safe_p_ratio))
        return _divide_no_nan(increments, (tp[1:] + fn[1:]).clamp_min(0))

    def _average_labels(self, terms: torch.Tensor) -> torch.Tensor:
        if not self.multi_label:
            return terms.sum()
        by_label = terms.sum(dim=0)
        if self.label_weights is None:
            return by_label.mean()
        weights = self.label_weights.to(by_label.device)
        return _divide_no_nan((by_label * weights).sum(), weights.sum())

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    def get_config(self) -> dict[str, Any]:
        label_weights = self.label_weights
        config = {
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if label_weights is None else label_weights.tolist(),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self._thresholds[1:-1]
        return {**super().get_config(), **config}


def _standardize(value: str, allowed: dict[str, str], argument: str) -> str:
    value = getattr(value, "value", value)  # Keras passes enums too
    key = str(value).lower()
    if key not in allowed:
        raise ValueError(
            f"AUC received {argument}={value!r}, but expected one of "
            f"{sorted(set(allowed.values()))}."
        )
    return allowed[key]
