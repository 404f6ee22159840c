"""Counts of true/false positives/negatives at several thresholds, on the device.

Follows Keras's `update_confusion_matrix_variables`: predictions above a
threshold count as positive; evenly spaced thresholds use a bucketed count
(one pass plus a cumulative sum) instead of comparing against every threshold.
"""

import numpy as np
import torch

from lamina.backend import epsilon
from lamina.losses.loss import squeeze_or_expand_to_same_rank

NEG_INF = -1e10
CONDITIONS = ("tp", "fp", "tn", "fn")


def parse_thresholds(
    thresholds: float | list[float] | None, default: float = 0.5
) -> list[float]:
    """Returns thresholds as a list, checking each is in [0, 1].

    Example:
    >>> parse_thresholds(None)
    [0.5]
    """
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple)) else [thresholds]
    invalid = [t for t in values if t is None or not 0 <= t <= 1]
    if invalid:
        raise ValueError(
            f"Threshold values must be in [0, 1], but received {invalid}. "
            f"Pass thresholds between 0 and 1."
        )
    return [float(t) for t in values]


def is_evenly_distributed(thresholds: list[float] | np.ndarray) -> bool:
    """Whether thresholds are `i / (n - 1)` for `i = 0..n-1` (n >= 3).

    Example:
    >>> is_evenly_distributed([0.0, 0.5, 1.0])
    True
    """
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=epsilon()))


def confusion_counts(
    y_true: torch.Tensor,
    y_pred: torch.Tensor,
    thresholds: list[float],
    dtype: torch.dtype,
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: torch.Tensor | None = None,
    multi_label: bool = False,
    label_weights: torch.Tensor | None = None,
    evenly_distributed: bool = False,
) -> dict[str, torch.Tensor]:
    """Returns this batch's weighted counts `{"tp", "fp", "tn", "fn"}` per threshold.

    Shapes are `(num_thresholds,)`, or `(num_thresholds, num_labels)` when
    `multi_label=True`.

    Example:
    >>> counts = confusion_counts(torch.tensor([1.0, 0.0]), torch.tensor([0.8, 0.6]),
    ...                           [0.5], torch.float32)
    >>> counts["tp"].tolist(), counts["fp"].tolist()
    ([1.0], [1.0])
    """
    y_true = y_true.to(dtype)
    y_pred = y_pred.to(dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = sample_weight.to(dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False
        )
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.dim() == 1:
            raise ValueError(
                f"class_id={class_id} needs y_pred of shape (num_samples, "
                f"num_classes), but received y_pred.shape={tuple(y_pred.shape)}."
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    weights = _weights(y_pred, sample_weight, label_weights, multi_label)
    if evenly_distributed:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        return _bucketed_counts(
            y_true, y_pred, weights, len(thresholds), multi_label, with_epsilon
        )
    return _compared_counts(y_true, y_pred, weights, thresholds, multi_label)


def _weights(
    y_pred: torch.Tensor,
    sample_weight: torch.Tensor | None,
    label_weights: torch.Tensor | None,
    multi_label: bool,
) -> torch.Tensor:
    weights = torch.ones_like(y_pred)
    if sample_weight is not None:
        weights = weights * torch.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        label_weights = label_weights.to(device=y_pred.device, dtype=y_pred.dtype)
        weights = weights * torch.broadcast_to(label_weights[None], y_pred.shape)
    return weights


def _bucketed_counts(
    y_true: torch.Tensor,
    y_pred: torch.Tensor,
    weights: torch.Tensor,
    num_thresholds: int,
    multi_label: bool,
    with_epsilon: bool,
) -> dict[str, torch.Tensor]:
    labels = (y_true != 0).to(y_pred.dtype)
    y_pred = y_pred.clamp(0.0, 1.0)
    if not multi_label:
        labels, y_pred, weights = (
            labels.reshape(-1),
            y_pred.reshape(-1),
            weights.reshape(-1),
        )
    true_weights = labels * weights
    false_weights = (1.0 - labels) * weights
    # Prediction p is positive at threshold i exactly when bucket(p) >= i.
    buckets = torch.ceil(y_pred * (num_thresholds - 1)) - 1
    if with_epsilon:
        buckets = buckets.clamp_min(0)
    counted = buckets >= 0
    buckets = buckets.clamp_min(0).long()
    shape = (num_thresholds, *y_pred.shape[1:]) if multi_label else (num_thresholds,)
    true_per_bucket = y_pred.new_zeros(shape).scatter_add_(
        0, buckets, true_weights * counted
    )
    false_per_bucket = y_pred.new_zeros(shape).scatter_add_(
        0, buckets, false_weights * counted
    )
    tp = true_per_bucket.flip(0).cumsum(0).flip(0)
    fp = false_per_bucket.flip(0).cumsum(0).flip(0)
    return {
        "tp": tp,
        "fp": fp,
        "tn": false_weights.sum(0) - fp,
        "fn": true_weights.sum(0) - tp,
    }


def _compared_counts(
    y_true: torch.Tensor,
    y_pred: torch.Tensor,
    weights: torch.Tensor,
    thresholds: list[float],
    multi_label: bool,
) -> dict[str, torch.Tensor]:
    thresholds_tensor = torch.tensor(thresholds, dtype=y_pred.dtype)
    thresholds_tensor = thresholds_tensor.to(y_pred.device, non_blocking=True)
    if multi_label:
        thresholds_tensor = thresholds_tensor.reshape(-1, *([1] * y_pred.dim()))
        y_pred, y_true, weights = y_pred[None], y_true[None], weights[None]
    else:
        thresholds_tensor = thresholds_tensor.reshape(-1, 1)
        y_pred = y_pred.reshape(1, -1)
        y_true = y_true.reshape(1, -1)
        weights = weights.reshape(1, -1)
    pred_is_pos = y_pred > thresholds_tensor  # (thresholds, samples[, labels])
    label_is_pos = y_true.to(torch.bool)
    sum_axis = 1

    def count(label: torch.Tensor, pred: torch.Tensor) -> torch.Tensor:
        return torch.where(label & pred, weights, 0.0).sum(dim=sum_axis)

    return {
        "tp": count(label_is_pos, pred_is_pos),
        "fp": count(~label_is_pos, pred_is_pos),
        "tn": count(~label_is_pos, ~pred_is_pos),
        "fn": count(label_is_pos, ~pred_is_pos),
    }


def _filter_top_k(x: torch.Tensor, k: int) -> torch.Tensor:
    """Keeps the `k` largest entries of the last axis; the rest become -1e10."""
    top_indices = x.topk(k, dim=-1).indices
    keep = torch.zeros_like(x, dtype=torch.bool).scatter_(-1, top_indices, True)
    return torch.where(keep, x, torch.full_like(x, NEG_INF))
