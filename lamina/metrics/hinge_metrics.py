"""Hinge metrics: running means of the hinge losses."""

from typing import Any

from lamina.losses.hinge import categorical_hinge
from lamina.losses.hinge import hinge
from lamina.losses.hinge import squared_hinge
from lamina.metrics.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """Running mean of the hinge loss.

    Args:
        name: Defaults to `"hinge"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(Hinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.0
    """

    def __init__(self, name: str = "hinge", dtype: Any = None):
        super().__init__(hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """Running mean of the squared hinge loss.

    Args:
        name: Defaults to `"squared_hinge"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> float(SquaredHinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.25
    """

    def __init__(self, name: str = "squared_hinge", dtype: Any = None):
        super().__init__(squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """Running mean of the categorical hinge loss.

    Args:
        name: Defaults to `"categorical_hinge"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> round(float(CategoricalHinge()([[0.0, 1.0]], [[0.3, 0.6]])), 4)
    0.7
    """

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None):
        super().__init__(categorical_hinge, name=name, dtype=dtype)
