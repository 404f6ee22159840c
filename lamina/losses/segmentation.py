"""Overlap losses for image segmentation: Dice and Tversky."""

from typing import Any

import torch

from lamina.backend import epsilon
from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss_function_wrapper import LossFunctionWrapper


def _sum(x: torch.Tensor, axis: int | tuple[int, ...] | None) -> torch.Tensor:
    return x.sum() if axis is None else x.sum(dim=axis)


def dice(
    y_true: Any, y_pred: Any, axis: int | tuple[int, ...] | None = None
) -> torch.Tensor:
    """Dice loss `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Args:
        y_true: Labels.
        y_pred: Predictions, same shape as `y_true`.
        axis: Axes to sum over; `None` sums over everything. Defaults to `None`.

    Example:
    >>> round(float(dice([[1.0, 0.0]], [[0.5, 0.5]])), 4)
    0.5
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    intersection = _sum(y_true * y_pred, axis)
    union = _sum(y_true, axis) + _sum(y_pred, axis) + epsilon()
    return 1.0 - 2.0 * intersection / union


def tversky(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.5,
    beta: float = 0.5,
    axis: int | tuple[int, ...] | None = None,
) -> torch.Tensor:
    """Tversky loss: Dice with separate weights for the two kinds of error.

    Args:
        y_true: Labels.
        y_pred: Predictions, same shape as `y_true`.
        alpha: Weight of false positives. Defaults to `0.5`.
        beta: Weight of false negatives. Defaults to `0.5`.
        axis: Axes to sum over; `None` sums over everything. Defaults to `None`.

    Example:
    >>> round(float(tversky([[1.0, 0.0]], [[0.5, 0.5]])), 4)
    0.5
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    intersection = _sum(y_true * y_pred, axis)
    # Keras's naming, kept for identical results: "fp" weighs (1 - y_pred) * y_true.
    false_positives = _sum((1.0 - y_pred) * y_true, axis)
    false_negatives = _sum(y_pred * (1.0 - y_true), axis)
    denominator = (
        intersection + false_positives * alpha + false_negatives * beta + epsilon()
    )
    return 1.0 - intersection / denominator


class Dice(LossFunctionWrapper):
    """Dice loss between labels and predictions.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"dice"`.
        axis: Axes to sum over; `None` sums over everything. Defaults to `None`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(Dice()([[1.0, 0.0]], [[0.5, 0.5]])), 4)
    0.5
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "dice",
        axis: int | tuple[int, ...] | None = None,
        dtype: Any = None,
    ):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(LossFunctionWrapper):
    """Tversky loss between labels and predictions.

    Args:
        alpha: Weight of false positives. Defaults to `0.5`.
        beta: Weight of false negatives. Defaults to `0.5`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"tversky"`.
        axis: Axes to sum over; `None` sums over everything. Defaults to `None`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(Tversky()([[1.0, 0.0]], [[0.5, 0.5]])), 4)
    0.5
    """

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "tversky",
        axis: int | tuple[int, ...] | None = None,
        dtype: Any = None,
    ):
        super().__init__(
            tversky,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            beta=beta,
            axis=axis,
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis
