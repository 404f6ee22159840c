"""Label encoding and normalisation helpers: `to_categorical`, `normalize`."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.backend import epsilon
from lamina.backend import floatx
from lamina.backend import standardize_dtype


def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray | torch.Tensor:
    """Converts integer class labels to one-hot rows.

    A trailing axis of size 1 is dropped first (as in Keras 3), so labels of
    shape `(N,)` and `(N, 1)` both give `(N, num_classes)`.

    Args:
        x: Integer labels 0..num_classes-1: a list, NumPy array or tensor.
        num_classes: Number of classes. Defaults to `max(x) + 1`.

    Returns:
        For NumPy or list input, a float64 NumPy array of shape
        `x.shape + (num_classes,)`; for a tensor, a float tensor (floatx) on
        the same device.

    Example:
    >>> to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    if isinstance(x, torch.Tensor):
        return _tensor_to_categorical(x, num_classes)
    labels = np.array(x, dtype="int64")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    labels = labels.reshape(-1)
    num_classes = _check_labels(labels, num_classes)
    categorical = np.zeros((labels.shape[0], num_classes))
    categorical[np.arange(labels.shape[0]), labels] = 1
    return categorical.reshape(shape + (num_classes,))


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray | torch.Tensor:
    """Scales `x` to unit `order`-norm along `axis`.

    Args:
        x: NumPy array or tensor.
        axis: Axis to normalise along. Defaults to `-1`.
        order: Order of the norm (2 for Euclidean). Defaults to `2`.

    Returns:
        An array (NumPy input: rows with zero norm are left at zero) or a
        tensor (norms are clamped below at `epsilon()`).

    Example:
    >>> normalize(np.array([[3.0, 4.0]]))
    array([[0.6, 0.8]])
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis)
    return _tensor_normalize(x, axis, order)


def _check_labels(labels: np.ndarray, num_classes: int | None) -> int:
    if labels.size and labels.min() < 0:
        raise ValueError(
            "to_categorical() expects labels >= 0, but received the label "
            f"{int(labels.min())}. Map the labels to 0..num_classes-1 first."
        )
    largest = int(labels.max()) if labels.size else -1
    if not num_classes:
        return largest + 1
    if largest >= num_classes:
        raise ValueError(
            f"to_categorical() received the label {largest}, but "
            f"num_classes={num_classes}. Raise num_classes to at least "
            f"{largest + 1}, or leave it out to count the classes."
        )
    return int(num_classes)


def _tensor_to_categorical(x: torch.Tensor, num_classes: int | None) -> torch.Tensor:
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x.reshape(x.shape[:-1])  # (..., 1) -> (...)
    labels = x.long()
    num_classes = _check_labels(labels.detach().cpu().numpy().reshape(-1), num_classes)
    one_hot = torch.nn.functional.one_hot(labels, num_classes)  # (..., classes)
    return one_hot.to(standardize_dtype(floatx()))


def _tensor_normalize(x: Any, axis: int, order: int) -> torch.Tensor:
    if not isinstance(order, int) or order < 1:
        raise ValueError(
            f"normalize() expects an int order >= 1, but received order={order!r}."
        )
    x = torch.as_tensor(x)
    if not x.is_floating_point():
        x = x.to(standardize_dtype(floatx()))
    if x.ndim == 0:
        x = x.reshape(1)
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / norm.clamp_min(epsilon())
