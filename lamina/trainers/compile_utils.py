"""What `compile` turns its `loss` and `metrics` arguments into.

Strings and functions resolve once, on the first batch, when the targets'
and predictions' shapes are known (that is when `"accuracy"` can become
binary, categorical or sparse categorical accuracy, as in Keras).
"""

from typing import Any

import torch

from lamina import losses as losses_module
from lamina import metrics as metrics_module
from lamina.metrics.metric import Metric
from lamina.utils import tree


def is_binary_or_sparse_categorical(y_true: Any, y_pred: Any) -> tuple[bool, bool]:
    """Keras's rule: one output unit is binary; labels of lower rank are sparse."""
    true_rank, pred_rank = y_true.ndim, y_pred.ndim
    is_binary = y_pred.shape[-1] == 1
    is_sparse = true_rank < pred_rank or (
        true_rank > 0 and y_true.shape[-1] == 1 and y_pred.shape[-1] > 1
    )
    return is_binary, is_sparse


def resolve_metric(identifier: Any, y_true: Any, y_pred: Any) -> Any:
    """Turns a metric identifier into a `Metric`, resolving `"accuracy"`."""
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            return metrics_module.BinaryAccuracy(name=identifier)
        if is_sparse:
            return metrics_module.SparseCategoricalAccuracy(name=identifier)
        return metrics_module.CategoricalAccuracy(name=identifier)
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            return metrics_module.BinaryCrossentropy(name=identifier)
        if is_sparse:
            return metrics_module.SparseCategoricalCrossentropy(name=identifier)
        return metrics_module.CategoricalCrossentropy(name=identifier)
    metric = metrics_module.get(identifier)
    if not isinstance(metric, metrics_module.Metric):
        metric = metrics_module.MeanMetricWrapper(metric, name=_function_name(metric))
    if isinstance(identifier, str):  # Keras reports a metric under the name given
        metric.name = identifier
    return metric


def resolve_loss(identifier: Any, y_true: Any, y_pred: Any) -> Any:
    """Turns a loss identifier into a `Loss`, resolving `"crossentropy"`."""
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            return losses_module.BinaryCrossentropy()
        if is_sparse:
            return losses_module.SparseCategoricalCrossentropy()
        return losses_module.CategoricalCrossentropy()
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    if not callable(loss):
        raise TypeError(
            f"compile() received loss={identifier!r}, which is neither a loss "
            f"name, a Loss instance nor a function of (y_true, y_pred)."
        )
    return losses_module.LossFunctionWrapper(loss, name=_function_name(loss))


def _function_name(function: Any) -> str:
    return getattr(function, "__name__", type(function).__name__)


def _per_output(
    spec: Any, output_names: list[str], what: str, is_leaf: Any
) -> list[Any]:
    """Spreads a `loss`/`metrics` argument over the outputs, as Keras does."""
    count = len(output_names)
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(output_names))
        if unknown:
            raise ValueError(
                f"compile() received {what} for output(s) {unknown}, but the "
                f"model's outputs are named {output_names}."
            )
        return [spec.get(name) for name in output_names]
    is_per_output = isinstance(spec, (list, tuple)) and not is_leaf(spec)
    if is_per_output and (count > 1 or len(spec) == 1):
        if len(spec) != count:
            raise ValueError(
                f"compile() received a list of {len(spec)} {what} for a model "
                f"with {count} outputs {output_names}. Pass one per output, "
                f"or a dict keyed by output name."
            )
        return list(spec)
    return [spec] * count


class CompileLoss:
    """The weighted sum of one loss per model output.

    Args:
        loss: A loss for every output, or a list/dict with one per output.
        loss_weights: Scalar weights per output (list or dict), or `None`.
        output_names: Names of the model's outputs.
    """

    def __init__(self, loss: Any, loss_weights: Any, output_names: list[str]) -> None:
        self.output_names = output_names
        self._specs = _per_output(loss, output_names, "losses", lambda s: False)
        weights = 1.0 if loss_weights is None else loss_weights
        self.loss_weights = _per_output(
            weights, output_names, "loss_weights", lambda s: False
        )
        self.losses: list[Any] | None = None
        self.trackers: list[Any] = []

    def build(self, y_true: list[Any], y_pred: list[Any]) -> None:
        self.losses = [
            None if spec is None else resolve_loss(spec, t, p)
            for spec, t, p in zip(self._specs, y_true, y_pred, strict=True)
        ]
        if len(self.output_names) > 1:
            self.trackers = [
                metrics_module.Mean(name=f"{name}_loss")
                for name, loss in zip(self.output_names, self.losses, strict=True)
                if loss is not None
            ]

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        flat_true, flat_pred = _align_outputs(y_true, y_pred, self.output_names)
        if self.losses is None:
            self.build(flat_true, flat_pred)
        weights = _align_weights(sample_weight, len(flat_pred))
        total = None
        tracker_index = 0
        for loss, weight, t, p, w in zip(
            self.losses, self.loss_weights, flat_true, flat_pred, weights, strict=True
        ):
            if loss is None:
                continue
            if t is None:
                raise ValueError(
                    f"The model has a loss for output '{self.output_names[0]}' "
                    f"but received no targets y. Pass y to fit/evaluate."
                )
            value = loss(t, p, sample_weight=w)
            if self.trackers:
                self.trackers[tracker_index].update_state(value)
                tracker_index += 1
            value = value * weight if weight != 1 else value
            total = value if total is None else total + value
        return total


class CompileMetrics:
    """The metrics of every output, with Keras's per-output names.

    Args:
        metrics: Metrics for every output, or a list/dict per output.
        weighted_metrics: Metrics that also receive `sample_weight`.
        output_names: Names of the model's outputs.
    """

    def __init__(
        self, metrics: Any, weighted_metrics: Any, output_names: list[str]
    ) -> None:
        self.output_names = output_names

        def is_leaf(spec: Any) -> bool:
            return not any(isinstance(item, (list, tuple, dict)) for item in spec)

        self._specs = _per_output(metrics or [], output_names, "metrics", is_leaf)
        self._weighted_specs = _per_output(
            weighted_metrics or [], output_names, "weighted_metrics", is_leaf
        )
        self.metrics: list[Any] = []
        self._plan: list[tuple[Any, int, bool]] = []
        self.built = False
        self.unbuilt_metric = UnbuiltCompileMetrics(self)

    @property
    def requested(self) -> bool:
        """Whether compile() asked for any metric."""
        return any(_as_list(spec) for spec in [*self._specs, *self._weighted_specs])

    def build(self, y_true: list[Any], y_pred: list[Any]) -> None:
        prefix_names = len(self.output_names) > 1
        for weighted, specs in ((False, self._specs), (True, self._weighted_specs)):
            for index, spec in enumerate(specs):
                for identifier in _as_list(spec):
                    metric = resolve_metric(identifier, y_true[index], y_pred[index])
                    if prefix_names:
                        metric.name = f"{self.output_names[index]}_{metric.name}"
                    self.metrics.append(metric)
                    self._plan.append((metric, index, weighted))
        self.built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        flat_true, flat_pred = _align_outputs(y_true, y_pred, self.output_names)
        if not self.built:
            self.build(flat_true, flat_pred)
        weights = _align_weights(sample_weight, len(flat_pred))
        for metric, index, weighted in self._plan:
            metric.update_state(
                flat_true[index],
                flat_pred[index],
                sample_weight=weights[index] if weighted else None,
            )


class UnbuiltCompileMetrics(Metric):
    """Stands for the compiled metrics in `model.metrics` until the first
    batch shows which metrics the names mean (as Keras's `compile_metrics`).

    A custom `train_step` that updates every metric of `model.metrics`
    thereby builds them; `result()` is a dict of their results.
    """

    def __init__(self, owner: CompileMetrics) -> None:
        super().__init__(name="compile_metrics")
        self._owner = owner

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        self._owner.update_state(y_true, y_pred, sample_weight)

    def result(self) -> dict[str, torch.Tensor]:
        return {metric.name: metric.result() for metric in self._owner.metrics}

    def reset_state(self) -> None:
        for metric in self._owner.metrics:
            metric.reset_state()


def _as_list(spec: Any) -> list[Any]:
    if spec is None:
        return []
    return list(spec) if isinstance(spec, (list, tuple)) else [spec]


def _align_outputs(
    y_true: Any, y_pred: Any, output_names: list[str]
) -> tuple[list[Any], list[Any]]:
    if isinstance(y_pred, torch.Tensor) and not isinstance(y_true, dict):
        return [y_true], [y_pred]  # one output: the common case
    flat_pred = tree.flatten(y_pred)
    if isinstance(y_true, dict):
        flat_true = [y_true.get(name) for name in output_names]
    elif len(flat_pred) == 1:
        flat_true = [y_true]
    else:
        flat_true = tree.flatten(y_true)
    if len(flat_true) != len(flat_pred):
        raise ValueError(
            f"The model has {len(flat_pred)} outputs {output_names}, but "
            f"received targets for {len(flat_true)}. Pass y as a list with one "
            f"array per output, or a dict keyed by output name."
        )
    return flat_true, flat_pred


def _align_weights(sample_weight: Any, count: int) -> list[Any]:
    if sample_weight is None or isinstance(sample_weight, torch.Tensor):
        return [sample_weight] * count
    flat = tree.flatten(sample_weight)
    return flat if len(flat) == count else [sample_weight] * count
