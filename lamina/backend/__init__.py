"""Device, dtype, seeds and global settings: the one home of backend state.

Also the Keras 2 `keras.backend` functions that tutorials import as `K`.
"""

from lamina.backend.config import backend
from lamina.backend.config import dtype_name
from lamina.backend.config import epsilon
from lamina.backend.config import floatx
from lamina.backend.config import image_data_format
from lamina.backend.config import set_epsilon
from lamina.backend.config import set_floatx
from lamina.backend.config import set_image_data_format
from lamina.backend.config import standardize_data_format
from lamina.backend.config import standardize_dtype
from lamina.backend.device import get_device
from lamina.backend.device import set_device
from lamina.backend.seed import set_random_seed
from lamina.backend.variable import Variable
