"""Initializers: the first values of weights, and `get`/`serialize`/`deserialize`."""

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from lamina.backend import standardize_dtype
from lamina.initializers._serialization import deserialize_object
from lamina.initializers._serialization import serialize_object
from lamina.initializers.constant_initializers import Constant
from lamina.initializers.constant_initializers import Identity
from lamina.initializers.constant_initializers import Ones
from lamina.initializers.constant_initializers import Zeros
from lamina.initializers.initializer import Initializer
from lamina.initializers.orthogonal import Orthogonal
from lamina.initializers.random_initializers import RandomNormal
from lamina.initializers.random_initializers import RandomUniform
from lamina.initializers.random_initializers import TruncatedNormal
from lamina.initializers.stft import STFT
from lamina.initializers.variance_scaling import GlorotNormal
from lamina.initializers.variance_scaling import GlorotUniform
from lamina.initializers.variance_scaling import HeNormal
from lamina.initializers.variance_scaling import HeUniform
from lamina.initializers.variance_scaling import LecunNormal
from lamina.initializers.variance_scaling import LecunUniform
from lamina.initializers.variance_scaling import VarianceScaling

IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT
constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
identity = Identity
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
ones = Ones
orthogonal = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
stft = STFT
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros

_CLASSES = (
    Constant,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    Identity,
    Initializer,
    LecunNormal,
    LecunUniform,
    Ones,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    STFT,
    TruncatedNormal,
    VarianceScaling,
    Zeros,
)
_SNAKE_NAMES = {
    "constant": Constant,
    "glorot_normal": GlorotNormal,
    "glorot_uniform": GlorotUniform,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "identity": Identity,
    "initializer": Initializer,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
    "ones": Ones,
    "orthogonal": Orthogonal,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "stft": STFT,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
    "zeros": Zeros,
}
ALL_OBJECTS: dict[str, type[Initializer]] = {
    **{cls.__name__: cls for cls in _CLASSES},
    **_SNAKE_NAMES,
    "IdentityInitializer": Identity,
    "OrthogonalInitializer": Orthogonal,
    "STFTInitializer": STFT,
    "normal": RandomNormal,
    "one": Ones,
    "uniform": RandomUniform,
    "zero": Zeros,
}


def serialize(initializer: Initializer | None) -> dict[str, Any] | None:
    """Returns Keras 3's config dict of an initializer.

    Example:
    >>> serialize(Zeros())["class_name"]
    'Zeros'
    """
    return serialize_object(initializer, "initializers", ALL_OBJECTS)


def deserialize(
    config: str | Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None
) -> Initializer:
    """Builds an initializer from a name or a Keras 2 / Keras 3 config dict.

    Example:
    >>> deserialize({"class_name": "RandomNormal", "config": {"stddev": 1.0}}).stddev
    1.0
    """
    return deserialize_object(config, "initializers", ALL_OBJECTS, custom_objects)


def get(identifier: Any) -> Callable[..., torch.Tensor] | None:
    """Resolves an initializer from a name, config, class, callable or array.

    `None` stays `None`. A tensor or array becomes an initializer that returns
    a copy of it (the requested shape must match).

    Example:
    >>> get("glorot_uniform")
    GlorotUniform(seed=None, input_axes=None, output_axes=None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, Mapping)):
        return deserialize(identifier)
    if isinstance(identifier, (torch.Tensor, np.ndarray, np.generic)):
        return _from_value(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Could not interpret initializer identifier {identifier!r} of type "
        f"{type(identifier).__name__}. Pass a name such as 'glorot_uniform', a "
        f"config dict, an Initializer, a callable (shape, dtype=None) or a tensor."
    )


def _from_value(value: Any) -> Callable[..., torch.Tensor]:
    """An initializer that returns a fixed tensor, checking the shape."""
    tensor = torch.as_tensor(value)

    def initialize_from_value(shape, dtype=None):
        if tuple(shape) != tuple(tensor.shape):
            raise ValueError(
                f"A tensor used as initializer has shape {tuple(tensor.shape)}, "
                f"but the weight has shape={tuple(shape)}. Pass a tensor of the "
                f"weight's shape."
            )
        return tensor.clone().to(standardize_dtype(dtype))

    return initialize_from_value


__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomNormal",
    "RandomUniform",
    "STFT",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "stft",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]
