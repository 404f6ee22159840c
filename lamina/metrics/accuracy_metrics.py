"""Accuracy metrics: exact, binary, categorical, sparse and top-k."""

from typing import Any

import torch

from lamina.backend import floatx
from lamina.backend import standardize_dtype
from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def _float(matches: torch.Tensor) -> torch.Tensor:
    return matches.to(standardize_dtype(floatx()))


def accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where `y_pred` equals `y_true` exactly, else 0.0.

    Example:
    >>> accuracy([1, 2, 3], [1, 2, 4]).tolist()
    [1.0, 1.0, 0.0]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _float(y_true == y_pred)


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> torch.Tensor:
    """1.0 where `y_pred > threshold` agrees with the binary label, else 0.0.

    Example:
    >>> binary_accuracy([[1.0], [0.0]], [[0.7], [0.6]]).tolist()
    [[1.0], [0.0]]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = (y_pred > threshold).to(y_true.dtype)
    return _float(y_true == predicted)


def categorical_accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where the arg-max of `y_pred` is the arg-max of one-hot `y_true`.

    Example:
    >>> categorical_accuracy([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]).tolist()
    [1.0, 0.0]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    return _float(y_true.argmax(dim=-1) == y_pred.argmax(dim=-1))


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where the arg-max of `y_pred` equals the integer label.

    Example:
    >>> sparse_categorical_accuracy([1, 1], [[0.2, 0.8], [0.3, 0.2]]).tolist()
    [1.0, 0.0]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    if y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    matches = y_true == y_pred.argmax(dim=-1).to(y_true.dtype)
    if matches.dim() > 1 and matches.shape[-1] == 1:
        matches = matches.squeeze(-1)
    return _float(matches)


def _in_top_k(targets: torch.Tensor, scores: torch.Tensor, k: int) -> torch.Tensor:
    """Whether each target's score is among the `k` largest (ties count)."""
    scores = scores.reshape(-1, scores.shape[-1])  # (samples, classes)
    k = min(k, scores.shape[-1])
    kth_largest = scores.topk(k, dim=-1).values[:, -1:]  # (samples, 1)
    target_scores = scores.gather(-1, targets.reshape(-1, 1).long())
    return (target_scores >= kth_largest).squeeze(-1)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> torch.Tensor:
    """1.0 where the one-hot label's class is among the `k` top predictions.

    Example:
    >>> top_k_categorical_accuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], k=2).tolist()
    [0.0]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    targets = y_true.argmax(dim=-1)
    return _float(_in_top_k(targets, y_pred, k).reshape(targets.shape))


def sparse_top_k_categorical_accuracy(
    y_true: Any, y_pred: Any, k: int = 5, from_sorted_ids: bool = False
) -> torch.Tensor:
    """1.0 where the integer label is among the `k` top predictions.

    Args:
        y_true: Integer labels.
        y_pred: Scores per class, or, if `from_sorted_ids=True`, class ids
            sorted from best to worst.
        k: How many top predictions count. Defaults to `5`.
        from_sorted_ids: Whether `y_pred` holds sorted class ids.
            Defaults to `False`.

    Example:
    >>> sparse_top_k_categorical_accuracy([2], [[0.5, 0.3, 0.2]], k=3).tolist()
    [1.0]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    if from_sorted_ids:
        ids = y_pred.reshape(-1, y_pred.shape[-1])[:, :k]
        matches = (ids == y_true.reshape(-1, 1).to(ids.dtype)).any(dim=-1)
    else:
        matches = _in_top_k(y_true, y_pred, k)
    return _float(matches.reshape(y_true.shape))


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Args:
        name: Defaults to `"accuracy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(Accuracy()([1, 2, 3, 4], [0, 2, 3, 4]))
    0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often thresholded predictions match binary labels.

    Args:
        name: Defaults to `"binary_accuracy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        threshold: Predictions above it count as 1. Defaults to `0.5`.

    Example:
    >>> float(BinaryAccuracy()([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]))
    0.75
    """

    def __init__(
        self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5
    ):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the top prediction matches the one-hot label.

    Args:
        name: Defaults to `"categorical_accuracy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(CategoricalAccuracy()([[0, 0, 1], [0, 1, 0]],
    ...                             [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the top prediction matches the integer label.

    Args:
        name: Defaults to `"sparse_categorical_accuracy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(SparseCategoricalAccuracy()([[2], [1]],
    ...                                   [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is among the `k` top predictions.

    Args:
        k: How many top predictions count. Defaults to `5`.
        name: Defaults to `"top_k_categorical_accuracy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(TopKCategoricalAccuracy(k=1)([[0, 0, 1], [0, 1, 0]],
    ...                                    [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(
        self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None
    ):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the `k` top predictions.

    Args:
        k: How many top predictions count. Defaults to `5`.
        name: Defaults to `"sparse_top_k_categorical_accuracy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        from_sorted_ids: Whether `y_pred` holds class ids sorted from best to
            worst. Defaults to `False`.

    Example:
    >>> float(SparseTopKCategoricalAccuracy(k=1)([2, 1],
    ...                                          [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ):
        super().__init__(
            sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self) -> dict[str, Any]:
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
