"""lamina: the Keras API on PyTorch.

Example:
>>> import lamina
>>> model = lamina.Sequential([lamina.layers.Dense(1, input_shape=(3,))])
>>> model.output_shape
(None, 1)
"""

import importlib

from lamina import activations
from lamina import backend
from lamina import callbacks
from lamina import constraints
from lamina import dtype_policies
from lamina import initializers
from lamina import layers
from lamina import losses
from lamina import metrics
from lamina import mixed_precision
from lamina import models
from lamina import ops
from lamina import optimizers
from lamina import random
from lamina import regularizers
from lamina import saving
from lamina import utils
from lamina._version import version
from lamina.backend.device import device_scope as device
from lamina.backend.name_scope import name_scope
from lamina.backend.variable import Variable
from lamina.dtype_policies import DTypePolicy
from lamina.dtype_policies import FloatDTypePolicy
from lamina.initializers import Initializer
from lamina.layers import Input
from lamina.layers import InputSpec
from lamina.layers import Layer
from lamina.layers.keras_tensor import KerasTensor
from lamina.losses import Loss
from lamina.metrics import Metric
from lamina.models import Model
from lamina.models import Sequential
from lamina.optimizers import Optimizer
from lamina.regularizers import Regularizer

# Imported on first use: loading them eagerly would slow `import lamina` (the
# data sets and preprocessing pull in their file readers), or would import
# lamina.saving before lamina.models is ready (config).
_LAZY_SUBMODULES = ("applications", "config", "datasets", "preprocessing", "tree")


def __getattr__(name: str) -> object:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"lamina.{name}")
    if name == "__version__":
        return version()
    raise AttributeError(f"module 'lamina' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_SUBMODULES, "__version__"])
