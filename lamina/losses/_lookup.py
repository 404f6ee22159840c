"""`get`, `serialize` and `deserialize` for losses, with Keras's names."""

import inspect
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from lamina.losses import circle
from lamina.losses import crossentropy
from lamina.losses import ctc
from lamina.losses import generalized_cross_entropy
from lamina.losses import hinge
from lamina.losses import probabilistic
from lamina.losses import regression
from lamina.losses import segmentation
from lamina.losses._serialization import deserialize_object
from lamina.losses._serialization import lookup
from lamina.losses._serialization import serialize_object
from lamina.losses.loss import Loss
from lamina.losses.loss_function_wrapper import LossFunctionWrapper

_CLASSES = [
    Loss,
    LossFunctionWrapper,
    probabilistic.BinaryCrossentropy,
    probabilistic.BinaryFocalCrossentropy,
    probabilistic.CategoricalCrossentropy,
    probabilistic.CategoricalFocalCrossentropy,
    probabilistic.SparseCategoricalCrossentropy,
    probabilistic.KLDivergence,
    probabilistic.Poisson,
    regression.MeanSquaredError,
    regression.MeanAbsoluteError,
    regression.MeanAbsolutePercentageError,
    regression.MeanSquaredLogarithmicError,
    regression.CosineSimilarity,
    regression.Huber,
    regression.LogCosh,
    hinge.Hinge,
    hinge.SquaredHinge,
    hinge.CategoricalHinge,
    segmentation.Dice,
    segmentation.Tversky,
    circle.Circle,
    generalized_cross_entropy.CategoricalGeneralizedCrossEntropy,
    ctc.CTC,
]
_FUNCTIONS = [
    crossentropy.binary_crossentropy,
    crossentropy.binary_focal_crossentropy,
    crossentropy.categorical_crossentropy,
    crossentropy.categorical_focal_crossentropy,
    crossentropy.sparse_categorical_crossentropy,
    probabilistic.kl_divergence,
    probabilistic.poisson,
    regression.mean_squared_error,
    regression.mean_absolute_error,
    regression.mean_absolute_percentage_error,
    regression.mean_squared_logarithmic_error,
    regression.cosine_similarity,
    regression.huber,
    regression.log_cosh,
    hinge.hinge,
    hinge.squared_hinge,
    hinge.categorical_hinge,
    segmentation.dice,
    segmentation.tversky,
    circle.circle,
    generalized_cross_entropy.categorical_generalized_cross_entropy,
    ctc.ctc,
]
# Short and Keras 2 names of the functions.
ALIASES: dict[str, Callable] = {
    "bce": crossentropy.binary_crossentropy,
    "BCE": crossentropy.binary_crossentropy,
    "mse": regression.mean_squared_error,
    "MSE": regression.mean_squared_error,
    "mae": regression.mean_absolute_error,
    "MAE": regression.mean_absolute_error,
    "mape": regression.mean_absolute_percentage_error,
    "MAPE": regression.mean_absolute_percentage_error,
    "msle": regression.mean_squared_logarithmic_error,
    "MSLE": regression.mean_squared_logarithmic_error,
    "kld": probabilistic.kl_divergence,
    "KLD": probabilistic.kl_divergence,
    "kullback_leibler_divergence": probabilistic.kl_divergence,
    "logcosh": regression.log_cosh,
    "huber_loss": regression.huber,
    "cosine_proximity": regression.cosine_similarity,
}
ALL_OBJECTS: dict[str, Any] = {
    **{cls.__name__: cls for cls in _CLASSES},
    **{fn.__name__: fn for fn in _FUNCTIONS},
    **ALIASES,
}


def serialize(loss: Any) -> Any:
    """Returns the Keras config of a loss: a dict for objects, a name for functions.

    Example:
    >>> serialize(regression.mean_squared_error)
    'mean_squared_error'
    >>> serialize(regression.MeanSquaredError())["class_name"]
    'MeanSquaredError'
    """
    return serialize_object(loss, "losses", ALL_OBJECTS)


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Rebuilds a loss from a name or a Keras 2 / Keras 3 config dict.

    Example:
    >>> deserialize("mse").__name__
    'mean_squared_error'
    >>> deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).delta
    2.0
    """
    return deserialize_object(config, "losses", ALL_OBJECTS, custom_objects)


def get(identifier: Any) -> Any:
    """Resolves a loss from a name, config dict, class, instance or function.

    Names of functions (`"mse"`, `"categorical_crossentropy"`) give the
    function; names of classes (`"Huber"`) give a fresh instance; `None` gives
    `None`.

    Example:
    >>> get("mse").__name__
    'mean_squared_error'
    >>> type(get("CategoricalCrossentropy")).__name__
    'CategoricalCrossentropy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        found = lookup(identifier, "losses", ALL_OBJECTS)
    elif isinstance(identifier, Mapping):
        found = deserialize(identifier)
    else:
        found = identifier
    if inspect.isclass(found):
        return found()
    if callable(found):
        return found
    raise TypeError(
        f"Could not interpret the loss identifier {identifier!r} of type "
        f"{type(identifier).__name__}. Pass a loss name such as 'mse', a Loss "
        f"instance, or a function loss(y_true, y_pred)."
    )
