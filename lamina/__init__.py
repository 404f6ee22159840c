"""lamina: the Keras API on PyTorch.

Example:
>>> import lamina
>>> model = lamina.Sequential([lamina.layers.Dense(1, input_shape=(3,))])
>>> model.output_shape
(None, 1)
"""

from lamina import activations
from lamina import backend
from lamina import callbacks
from lamina import constraints
from lamina import initializers
from lamina import layers
from lamina import losses
from lamina import metrics
from lamina import models
from lamina import optimizers
from lamina import regularizers
from lamina import saving
from lamina import utils
from lamina.backend.variable import Variable
from lamina.layers import Input
from lamina.layers import Layer
from lamina.models import Model
from lamina.models import Sequential

__version__ = "0.1.0"
