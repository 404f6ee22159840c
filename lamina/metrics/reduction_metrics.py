"""`Sum`, `Mean` and `MeanMetricWrapper`: running totals of per-sample values."""

from collections.abc import Callable
from typing import Any

import torch

from lamina.losses.loss import apply_mask
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.metrics.metric import Metric


def reduce_to_samplewise_values(
    values: torch.Tensor,
    sample_weight: torch.Tensor | None,
    reduce_fn: Callable,
    dtype: torch.dtype,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Weights `values` and reduces them to one value per sample, as Keras does.

    Example:
    >>> values, _ = reduce_to_samplewise_values(
    ...     torch.ones(2, 3), None, torch.sum, torch.float32)
    >>> values.tolist()
    [3.0, 3.0]
    """
    mask = getattr(values, "_lamina_mask", None)
    values = values.to(dtype)
    if sample_weight is not None:
        sample_weight = sample_weight.to(dtype=dtype, device=values.device)
        sample_weight = apply_mask(sample_weight, mask, dtype, "sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = sample_weight.dim()
        if values.dim() > weight_ndim:
            values = reduce_fn(values, dim=tuple(range(weight_ndim, values.dim())))
        sample_weight = torch.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=tuple(range(1, weight_ndim)))
    if values.dim() > 1:
        values = reduce_fn(values, dim=tuple(range(1, values.dim())))
    return values, sample_weight


class Sum(Metric):
    """Running (weighted) sum of the given values.

    Args:
        name: Defaults to `"sum"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> metric = Sum()
    >>> metric.update_state([1.0, 3.0, 5.0])
    >>> float(metric.result())
    9.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values, sample_weight = self._inputs(values, sample_weight)
        values, _ = reduce_to_samplewise_values(
            values, sample_weight, torch.sum, self._dtype
        )
        self.total = self.total + values.sum()

    def result(self) -> torch.Tensor:
        return self.total.clone()


class Mean(Metric):
    """Running (weighted) mean of the given values.

    Args:
        name: Defaults to `"mean"`.
        dtype: Dtype of the state. Defaults to `floatx()`.

    Example:
    >>> metric = Mean()
    >>> metric.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
    >>> float(metric.result())
    2.0
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.add_variable(shape=(), initializer="zeros", name="total")
        self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values, sample_weight = self._inputs(values, sample_weight)
        self._accumulate(values, sample_weight)

    def _accumulate(
        self, values: torch.Tensor, sample_weight: torch.Tensor | None
    ) -> None:
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, torch.mean, self._dtype
        )
        self.total = self.total + values.sum()
        if sample_weight is not None:
            num_samples = sample_weight.sum()
        else:
            num_samples = values.shape[0] if values.dim() >= 1 else 1
        self.count = self.count + num_samples

    def result(self) -> torch.Tensor:
        count = self.count
        return torch.where(count == 0, 0.0, self.total / count).to(self._dtype)


class MeanMetricWrapper(Mean):
    """Running mean of `fn(y_true, y_pred, **kwargs)` over all samples.

    Args:
        fn: A per-sample function `fn(y_true, y_pred, **kwargs)`, such as a
            loss function.
        name: Name of the metric. Defaults to the snake-case class name.
        dtype: Dtype of the state. Defaults to `floatx()`.
        **kwargs: Extra keyword arguments passed to `fn`.

    Example:
    >>> def absolute_error(y_true, y_pred):
    ...     return (y_true - y_pred).abs().mean(dim=-1)
    >>> metric = MeanMetricWrapper(absolute_error, name="ae")
    >>> float(metric([[0.0, 0.0]], [[1.0, 3.0]]))
    2.0
    """

    def __init__(
        self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs: Any
    ):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred, sample_weight = self._inputs(y_true, y_pred, sample_weight)
        mask = getattr(y_pred, "_lamina_mask", None)
        try:
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
        except RuntimeError as err:  # a torch broadcasting or shape failure
            raise ValueError(
                f"Metric '{self.name}' ({type(self).__name__}) cannot compare "
                f"y_true of shape {tuple(y_true.shape)} with y_pred of shape "
                f"{tuple(y_pred.shape)}: {err}. Make the labels match the model "
                f"output, or pick a metric that fits the labels."
            ) from err
        sample_weight = apply_mask(sample_weight, mask, self._dtype, "sum")
        self._accumulate(values, sample_weight)

    def get_config(self) -> dict[str, Any]:
        """The metric's arguments; a named subclass (`BinaryAccuracy`, ...)
        fixes `fn` by its class, so only a plain wrapper records it."""
        if type(self) is not MeanMetricWrapper:
            return {**super().get_config(), **self._fn_kwargs}
        from lamina.metrics._lookup import serialize

        return {**super().get_config(), "fn": serialize(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "MeanMetricWrapper":
        from lamina.metrics._lookup import deserialize_function

        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize_function(config["fn"])
        return cls(**config)
