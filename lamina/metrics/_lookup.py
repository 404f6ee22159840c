"""`get`, `serialize`, `deserialize` for metrics, and the `"accuracy"` resolver."""

import inspect
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from lamina import losses
from lamina.losses._serialization import deserialize_object
from lamina.losses._serialization import lookup
from lamina.losses._serialization import serialize_object
from lamina.losses._serialization import to_snake_case
from lamina.metrics import accuracy_metrics
from lamina.metrics import auc
from lamina.metrics import binary_iou
from lamina.metrics import confusion_metrics
from lamina.metrics import correlation_metrics
from lamina.metrics import f_score_metrics
from lamina.metrics import hinge_metrics
from lamina.metrics import iou_metrics
from lamina.metrics import one_hot_iou
from lamina.metrics import probabilistic_metrics
from lamina.metrics import r2_score
from lamina.metrics import reduction_metrics
from lamina.metrics import regression_metrics
from lamina.metrics.metric import Metric

_CLASSES = [
    Metric,
    reduction_metrics.Mean,
    reduction_metrics.Sum,
    reduction_metrics.MeanMetricWrapper,
    regression_metrics.MeanSquaredError,
    regression_metrics.RootMeanSquaredError,
    regression_metrics.MeanAbsoluteError,
    regression_metrics.MeanAbsolutePercentageError,
    regression_metrics.MeanSquaredLogarithmicError,
    regression_metrics.CosineSimilarity,
    regression_metrics.LogCoshError,
    r2_score.R2Score,
    auc.AUC,
    confusion_metrics.FalseNegatives,
    confusion_metrics.FalsePositives,
    confusion_metrics.TrueNegatives,
    confusion_metrics.TruePositives,
    confusion_metrics.Precision,
    confusion_metrics.Recall,
    confusion_metrics.PrecisionAtRecall,
    confusion_metrics.RecallAtPrecision,
    confusion_metrics.SensitivityAtSpecificity,
    confusion_metrics.SpecificityAtSensitivity,
    correlation_metrics.ConcordanceCorrelation,
    correlation_metrics.PearsonCorrelation,
    hinge_metrics.Hinge,
    hinge_metrics.SquaredHinge,
    hinge_metrics.CategoricalHinge,
    probabilistic_metrics.KLDivergence,
    probabilistic_metrics.Poisson,
    probabilistic_metrics.BinaryCrossentropy,
    probabilistic_metrics.CategoricalCrossentropy,
    probabilistic_metrics.SparseCategoricalCrossentropy,
    accuracy_metrics.Accuracy,
    accuracy_metrics.BinaryAccuracy,
    accuracy_metrics.CategoricalAccuracy,
    accuracy_metrics.SparseCategoricalAccuracy,
    accuracy_metrics.TopKCategoricalAccuracy,
    accuracy_metrics.SparseTopKCategoricalAccuracy,
    f_score_metrics.F1Score,
    f_score_metrics.FBetaScore,
    iou_metrics.IoU,
    binary_iou.BinaryIoU,
    iou_metrics.MeanIoU,
    one_hot_iou.OneHotIoU,
    one_hot_iou.OneHotMeanIoU,
]
_FUNCTIONS = [
    accuracy_metrics.accuracy,
    accuracy_metrics.binary_accuracy,
    accuracy_metrics.categorical_accuracy,
    accuracy_metrics.sparse_categorical_accuracy,
    accuracy_metrics.top_k_categorical_accuracy,
    accuracy_metrics.sparse_top_k_categorical_accuracy,
    correlation_metrics.pearson_correlation,
    correlation_metrics.concordance_correlation,
]
ALIASES = {
    "bce": probabilistic_metrics.BinaryCrossentropy,
    "BCE": probabilistic_metrics.BinaryCrossentropy,
    "mse": regression_metrics.MeanSquaredError,
    "MSE": regression_metrics.MeanSquaredError,
    "mae": regression_metrics.MeanAbsoluteError,
    "MAE": regression_metrics.MeanAbsoluteError,
    "mape": regression_metrics.MeanAbsolutePercentageError,
    "MAPE": regression_metrics.MeanAbsolutePercentageError,
    "msle": regression_metrics.MeanSquaredLogarithmicError,
    "MSLE": regression_metrics.MeanSquaredLogarithmicError,
    "kld": probabilistic_metrics.KLDivergence,
    "KLD": probabilistic_metrics.KLDivergence,
    "kullback_leibler_divergence": probabilistic_metrics.KLDivergence,
    "logcosh": regression_metrics.LogCoshError,
    "rmse": regression_metrics.RootMeanSquaredError,
}
ALL_OBJECTS: dict[str, Any] = {
    **{cls.__name__: cls for cls in _CLASSES},
    **{to_snake_case(cls.__name__): cls for cls in _CLASSES},
    **ALIASES,
}
# Names the trainer resolves from the loss and shapes (see `resolve_metric`).
GENERIC_NAMES = ("accuracy", "acc", "crossentropy", "ce")


def serialize(metric: Any) -> Any:
    """Returns the Keras config of a metric: a dict for objects, a name for functions.

    Example:
    >>> serialize(auc.AUC())["class_name"]
    'AUC'
    >>> serialize(accuracy_metrics.binary_accuracy)
    'binary_accuracy'
    """
    return serialize_object(metric, "metrics", ALL_OBJECTS)


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Rebuilds a metric from a name or a Keras 2 / Keras 3 config dict.

    Example:
    >>> config = {"class_name": "AUC", "config": {"num_thresholds": 10}}
    >>> deserialize(config).num_thresholds
    10
    """
    known = {**_function_objects(), **ALL_OBJECTS}
    return deserialize_object(config, "metrics", known, custom_objects)


def deserialize_function(config: Any) -> Any:
    """Returns the metric or loss function named by `config`.

    Example:
    >>> deserialize_function("mse").__name__
    'mean_squared_error'
    """
    return deserialize_object(config, "metrics", _function_objects())


def _function_objects() -> dict[str, Any]:
    functions = {fn.__name__: fn for fn in _FUNCTIONS}
    loss_functions = {
        name: obj
        for name, obj in losses._lookup.ALL_OBJECTS.items()
        if inspect.isfunction(obj)
    }
    return {**loss_functions, **functions}


def get(identifier: Any) -> Any:
    """Resolves a metric from a name, config dict, class, instance or function.

    Class names and their snake-case forms (`"AUC"`, `"binary_accuracy"`,
    `"mse"`) give a fresh instance, as in Keras 3. The generic names
    `"accuracy"`, `"acc"`, `"crossentropy"` and `"ce"` are returned unchanged:
    `resolve_metric` turns them into the right variant once the loss and
    shapes are known. Functions are returned as they are.

    Example:
    >>> type(get("mse")).__name__
    'MeanSquaredError'
    >>> get("accuracy")
    'accuracy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        if identifier.lower() in GENERIC_NAMES:
            return identifier
        found = lookup(identifier, "metrics", {**ALL_OBJECTS, **_generic_names()})
    elif isinstance(identifier, Mapping):
        found = deserialize(identifier)
    else:
        found = identifier
    if inspect.isclass(found):
        return found()
    if callable(found):
        return found
    raise TypeError(
        f"Could not interpret the metric identifier {identifier!r} of type "
        f"{type(identifier).__name__}. Pass a metric name such as 'accuracy', a "
        f"Metric instance, or a function metric(y_true, y_pred)."
    )


def _generic_names() -> dict[str, str]:
    return {name: name for name in GENERIC_NAMES}


def resolve_metric(
    identifier: Any,
    loss: Any = None,
    output_shape: Sequence[int | None] | None = None,
    target_shape: Sequence[int | None] | None = None,
) -> Metric:
    """Turns a metric identifier into a `Metric`, resolving the generic names.

    `"accuracy"`/`"acc"` becomes `BinaryAccuracy`, `CategoricalAccuracy` or
    `SparseCategoricalAccuracy`, and `"crossentropy"`/`"ce"` the matching
    cross-entropy metric, named as given. The loss decides first (binary,
    categorical or sparse categorical cross-entropy, by name, function or
    `Loss` class); otherwise the shapes decide as in Keras 3's
    `compile_utils.get_metric`: an output whose last axis is 1 is binary;
    labels of lower rank than the output, or with last axis 1 against a wider
    output, are sparse; anything else is categorical. Functions are wrapped
    in `MeanMetricWrapper`.

    Args:
        identifier: Anything `get` accepts.
        loss: The compiled loss of this output (name, function or `Loss`).
            Defaults to `None`.
        output_shape: Shape of the model output, e.g. `(None, 10)`.
            Defaults to `None`.
        target_shape: Shape of the labels, e.g. `(None,)`. Defaults to `None`.

    Example:
    >>> type(resolve_metric("acc", loss="sparse_categorical_crossentropy")).__name__
    'SparseCategoricalAccuracy'
    >>> resolve_metric("accuracy", output_shape=(None, 1)).name
    'accuracy'
    """
    metric = get(identifier)
    if isinstance(metric, str):
        variant = _variant(loss, output_shape, target_shape)
        metric = _GENERIC_CLASSES[metric.lower()][variant](name=metric)
    if isinstance(metric, Metric):
        return metric
    name = identifier if isinstance(identifier, str) else metric.__name__
    return reduction_metrics.MeanMetricWrapper(metric, name=name)


def resolve_accuracy(
    name: str,
    loss: Any = None,
    output_shape: Sequence[int | None] | None = None,
    target_shape: Sequence[int | None] | None = None,
) -> Metric:
    """Resolves `"accuracy"`/`"acc"` (or `"crossentropy"`/`"ce"`); see `resolve_metric`.

    Example:
    >>> type(resolve_accuracy("accuracy", loss="binary_crossentropy")).__name__
    'BinaryAccuracy'
    """
    return resolve_metric(name, loss, output_shape, target_shape)


_LOSS_VARIANTS = {
    "binary_crossentropy": "binary",
    "binary_focal_crossentropy": "binary",
    "bce": "binary",
    "categorical_crossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical",
    "sparse_categorical_crossentropy": "sparse",
}
_GENERIC_CLASSES = {
    "accuracy": {
        "binary": accuracy_metrics.BinaryAccuracy,
        "categorical": accuracy_metrics.CategoricalAccuracy,
        "sparse": accuracy_metrics.SparseCategoricalAccuracy,
    },
    "crossentropy": {
        "binary": probabilistic_metrics.BinaryCrossentropy,
        "categorical": probabilistic_metrics.CategoricalCrossentropy,
        "sparse": probabilistic_metrics.SparseCategoricalCrossentropy,
    },
}
_GENERIC_CLASSES["acc"] = _GENERIC_CLASSES["accuracy"]
_GENERIC_CLASSES["ce"] = _GENERIC_CLASSES["crossentropy"]


def _variant(
    loss: Any,
    output_shape: Sequence[int | None] | None,
    target_shape: Sequence[int | None] | None,
) -> str:
    loss_name = _loss_name(loss)
    if loss_name in _LOSS_VARIANTS:
        return _LOSS_VARIANTS[loss_name]
    if output_shape is None or len(output_shape) == 0:
        return "categorical"
    if output_shape[-1] == 1:
        return "binary"
    if target_shape is not None and (
        len(target_shape) < len(output_shape) or target_shape[-1] == 1
    ):
        return "sparse"
    return "categorical"


def _loss_name(loss: Any) -> str | None:
    if loss is None:
        return None
    if isinstance(loss, str):
        resolved = losses._lookup.ALL_OBJECTS.get(loss)
        loss = resolved if resolved is not None else loss
        if isinstance(loss, str):
            return loss
    if isinstance(loss, losses.LossFunctionWrapper):
        loss = loss.fn
    if inspect.isclass(loss):
        return to_snake_case(loss.__name__)
    return getattr(loss, "__name__", None)
