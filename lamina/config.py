"""Global settings (`keras.config`): float type, image layout, logging, limits.

Each function lives with the state it changes (`lamina.backend.config`,
`lamina.utils.io_utils`, `lamina.saving.serialization_lib`); this module
gathers them under Keras's names.

Example:
>>> from lamina import config
>>> config.floatx(), config.image_data_format(), config.backend()
('float32', 'channels_last', 'torch')
"""

from lamina.backend.config import backend
from lamina.backend.config import disable_flash_attention
from lamina.backend.config import disable_traceback_filtering
from lamina.backend.config import dtype_policy
from lamina.backend.config import enable_flash_attention
from lamina.backend.config import enable_traceback_filtering
from lamina.backend.config import epsilon
from lamina.backend.config import floatx
from lamina.backend.config import image_data_format
from lamina.backend.config import is_flash_attention_enabled
from lamina.backend.config import is_nnx_enabled
from lamina.backend.config import is_traceback_filtering_enabled
from lamina.backend.config import max_epochs
from lamina.backend.config import max_steps_per_epoch
from lamina.backend.config import set_backend
from lamina.backend.config import set_dtype_policy
from lamina.backend.config import set_epsilon
from lamina.backend.config import set_floatx
from lamina.backend.config import set_image_data_format
from lamina.backend.config import set_max_epochs
from lamina.backend.config import set_max_steps_per_epoch
from lamina.saving.serialization_lib import enable_unsafe_deserialization
from lamina.utils.io_utils import disable_interactive_logging
from lamina.utils.io_utils import enable_interactive_logging
from lamina.utils.io_utils import is_interactive_logging_enabled

__all__ = [
    "backend",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "dtype_policy",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_dtype_policy",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_max_epochs",
    "set_max_steps_per_epoch",
]
