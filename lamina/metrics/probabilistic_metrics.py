"""Probabilistic metrics: cross-entropies, KL divergence and Poisson."""

from typing import Any

from lamina.losses.crossentropy import binary_crossentropy
from lamina.losses.crossentropy import categorical_crossentropy
from lamina.losses.crossentropy import sparse_categorical_crossentropy
from lamina.losses.probabilistic import kl_divergence
from lamina.losses.probabilistic import poisson
from lamina.metrics.reduction_metrics import MeanMetricWrapper


class KLDivergence(MeanMetricWrapper):
    """Running mean of the Kullback-Leibler divergence.

    Args:
        name: Defaults to `"kl_divergence"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> round(float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 4)
    0.1438
    """

    def __init__(self, name: str = "kl_divergence", dtype: Any = None):
        super().__init__(kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """Running mean of the Poisson loss.

    Args:
        name: Defaults to `"poisson"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> round(float(Poisson()([[1.0, 0.0]], [[1.0, 1.0]])), 4)
    1.0
    """

    def __init__(self, name: str = "poisson", dtype: Any = None):
        super().__init__(poisson, name=name, dtype=dtype)


class BinaryCrossentropy(MeanMetricWrapper):
    """Running mean of the binary cross-entropy.

    Args:
        name: Defaults to `"binary_crossentropy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        from_logits: See `binary_crossentropy`. Defaults to `False`.
        label_smoothing: See `binary_crossentropy`. Defaults to `0`.

    Example:
    >>> round(float(BinaryCrossentropy()([[0.0, 1.0]], [[0.4, 0.6]])), 4)
    0.5108
    """

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing


class CategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of the categorical cross-entropy.

    Args:
        name: Defaults to `"categorical_crossentropy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        from_logits: See `categorical_crossentropy`. Defaults to `False`.
        label_smoothing: See `categorical_crossentropy`. Defaults to `0`.
        axis: See `categorical_crossentropy`. Defaults to `-1`.

    Example:
    >>> round(float(CategoricalCrossentropy()([[0.0, 1.0]], [[0.2, 0.8]])), 4)
    0.2231
    """

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of the sparse categorical cross-entropy.

    Args:
        name: Defaults to `"sparse_categorical_crossentropy"`.
        dtype: Dtype of the state. Defaults to `floatx()`.
        from_logits: See `sparse_categorical_crossentropy`. Defaults to `False`.
        ignore_class: See `sparse_categorical_crossentropy`. Defaults to `None`.
        axis: See `sparse_categorical_crossentropy`. Defaults to `-1`.

    Example:
    >>> round(float(SparseCategoricalCrossentropy()([1], [[0.2, 0.8]])), 4)
    0.2231
    """

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
