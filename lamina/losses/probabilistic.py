"""Probabilistic losses: the cross-entropy classes, KL divergence and Poisson."""

from typing import Any

import torch

from lamina.backend import epsilon
from lamina.losses.crossentropy import binary_crossentropy
from lamina.losses.crossentropy import binary_focal_crossentropy
from lamina.losses.crossentropy import categorical_crossentropy
from lamina.losses.crossentropy import categorical_focal_crossentropy
from lamina.losses.crossentropy import sparse_categorical_crossentropy
from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss_function_wrapper import LossFunctionWrapper


def kl_divergence(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`.

    Both inputs are clipped to `[epsilon, 1]`.

    Example:
    >>> [round(v, 4) for v in kl_divergence([[0.5, 0.5]], [[0.25, 0.75]]).tolist()]
    [0.1438]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    y_true = y_true.clamp(epsilon(), 1.0)
    y_pred = y_pred.clamp(epsilon(), 1.0)
    return (y_true * torch.log(y_true / y_pred)).sum(dim=-1)


def poisson(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Poisson loss `mean(y_pred - y_true * log(y_pred + epsilon))`.

    Example:
    >>> [round(v, 4) for v in poisson([[1.0, 0.0]], [[1.0, 1.0]]).tolist()]
    [1.0]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    return (y_pred - y_true * torch.log(y_pred + epsilon())).mean(dim=-1)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence between label and predicted distributions.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"kl_divergence"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 4)
    0.1438
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "kl_divergence",
        dtype: Any = None,
    ):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson loss `mean(y_pred - y_true * log(y_pred))` for count data.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"poisson"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(Poisson()([[1.0, 0.0]], [[1.0, 1.0]])), 4)
    1.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "poisson",
        dtype: Any = None,
    ):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    """Cross-entropy between binary labels and predicted probabilities.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
            Defaults to `False`.
        label_smoothing: Moves labels towards 0.5 by this fraction.
            Defaults to `0.0`.
        axis: Axis to average over. Defaults to `-1`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"binary_crossentropy"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(BinaryCrossentropy()([[0.0, 1.0]], [[0.4, 0.6]])), 4)
    0.5108
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy down-weighting easy examples by `(1 - p_t) ** gamma`.

    Args:
        apply_class_balancing: Whether to weight classes by `alpha`.
            Defaults to `False`.
        alpha: Weight of the positive class. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Moves labels towards 0.5 by this fraction.
            Defaults to `0.0`.
        axis: Axis to average over. Defaults to `-1`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"binary_focal_crossentropy"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(BinaryFocalCrossentropy()([[0.0, 1.0]], [[0.4, 0.6]])), 4)
    0.0817
    """

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between one-hot labels and predicted class probabilities.

    Args:
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Mixes labels with the uniform distribution by this
            fraction. Defaults to `0.0`.
        axis: The class axis. Defaults to `-1`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"categorical_crossentropy"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(CategoricalCrossentropy()([[0.0, 1.0]], [[0.2, 0.8]])), 4)
    0.2231
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical cross-entropy down-weighting easy examples.

    Args:
        alpha: Weighting factor. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Mixes labels with the uniform distribution by this
            fraction. Defaults to `0.0`.
        axis: The class axis. Defaults to `-1`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"categorical_focal_crossentropy"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> loss = CategoricalFocalCrossentropy()
    >>> round(float(loss([[0.0, 1.0]], [[0.2, 0.8]])), 4)
    0.0022
    """

    def __init__(
        self,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between integer class labels and predicted probabilities.

    Args:
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        ignore_class: A label id (e.g. padding) left out of the loss.
            Defaults to `None`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        axis: The class axis. Defaults to `-1`.
        name: Defaults to `"sparse_categorical_crossentropy"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> round(float(SparseCategoricalCrossentropy()([1], [[0.2, 0.8]])), 4)
    0.2231
    """

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: str | None = "sum_over_batch_size",
        axis: int = -1,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        # Labels have one axis fewer than predictions: no rank alignment.
        return sparse_categorical_crossentropy(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reduction": self.reduction,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
        }
