"""Hinge losses for maximum-margin classifiers."""

from typing import Any

import torch

from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss_function_wrapper import LossFunctionWrapper


def _signed_labels(y_true: Any, y_pred: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """Maps labels in {0, 1} to {-1, 1}; leaves other labels unchanged."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    is_binary = ((y_true == 0) | (y_true == 1)).all()  # stays on the device
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true), y_pred


def hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean of `max(1 - y_true * y_pred, 0)` over the last axis.

    Labels in {0, 1} are first mapped to {-1, 1}.

    Example:
    >>> hinge([[0.0, 1.0]], [[0.5, 0.5]]).tolist()
    [1.0]
    """
    y_true, y_pred = _signed_labels(y_true, y_pred)
    return (1.0 - y_true * y_pred).clamp_min(0.0).mean(dim=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean of `max(1 - y_true * y_pred, 0) ** 2` over the last axis.

    Example:
    >>> squared_hinge([[0.0, 1.0]], [[0.5, 0.5]]).tolist()
    [1.25]
    """
    y_true, y_pred = _signed_labels(y_true, y_pred)
    return (1.0 - y_true * y_pred).clamp_min(0.0).square().mean(dim=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`max(neg - pos + 1, 0)`: `pos` the true class's score, `neg` the best other.

    Example:
    >>> [round(v, 4) for v in categorical_hinge([[0.0, 1.0]], [[0.3, 0.6]]).tolist()]
    [0.7]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    positive = (y_true * y_pred).sum(dim=-1)
    negative = ((1.0 - y_true) * y_pred).amax(dim=-1)
    return (negative - positive + 1.0).clamp_min(0.0)


class Hinge(LossFunctionWrapper):
    """Hinge loss: `mean(max(1 - y_true * y_pred, 0))`; labels -1/1 or 0/1.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"hinge"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> float(Hinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "hinge",
        dtype: Any = None,
    ):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss: `mean(max(1 - y_true * y_pred, 0) ** 2)`.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"squared_hinge"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> float(SquaredHinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.25
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "squared_hinge",
        dtype: Any = None,
    ):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss over one-hot labels.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"categorical_hinge"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(CategoricalHinge()([[0.0, 1.0]], [[0.3, 0.6]])), 4)
    0.7
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_hinge",
        dtype: Any = None,
    ):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)
