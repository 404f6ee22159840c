"""Utilities: data helpers, progress bar, seeds, file download."""

from lamina.backend.keras2 import clear_session
from lamina.backend.keras2 import is_keras_tensor
from lamina.backend.seed import set_random_seed
from lamina.utils import np_utils
from lamina.utils.audio_dataset import audio_dataset_from_directory
from lamina.utils.config import Config
from lamina.utils.data_utils import pack_x_y_sample_weight
from lamina.utils.data_utils import unpack_x_y_sample_weight
from lamina.utils.dataset_utils import split_dataset
from lamina.utils.dtype_utils import standardize_dtype
from lamina.utils.file_utils import get_file
from lamina.utils.image_dataset import image_dataset_from_directory
from lamina.utils.image_utils import array_to_img
from lamina.utils.image_utils import img_to_array
from lamina.utils.image_utils import load_img
from lamina.utils.image_utils import save_img
from lamina.utils.io_utils import disable_interactive_logging
from lamina.utils.io_utils import enable_interactive_logging
from lamina.utils.io_utils import is_interactive_logging_enabled
from lamina.utils.model_visualization import model_to_dot
from lamina.utils.model_visualization import plot_model
from lamina.utils.numerical_utils import normalize
from lamina.utils.numerical_utils import to_categorical
from lamina.utils.progbar import Progbar
from lamina.utils.py_dataset import PyDataset
from lamina.utils.py_dataset import Sequence
from lamina.utils.sequence_utils import pad_sequences
from lamina.utils.source_inputs import get_source_inputs
from lamina.utils.summary import print_summary
from lamina.utils.text_dataset import text_dataset_from_directory
from lamina.utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "Config",
    "PyDataset",
    "Progbar",
    "Sequence",
    "array_to_img",
    "audio_dataset_from_directory",
    "clear_session",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_file",
    "get_source_inputs",
    "image_dataset_from_directory",
    "img_to_array",
    "is_interactive_logging_enabled",
    "is_keras_tensor",
    "load_img",
    "model_to_dot",
    "normalize",
    "np_utils",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_model",
    "print_summary",
    "save_img",
    "set_random_seed",
    "split_dataset",
    "standardize_dtype",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]

# Serialization helpers live in lamina.saving, which imports the model classes
# that import this package; they are looked up on first use to avoid a cycle.
_SAVING_NAMES = {
    "CustomObjectScope": "lamina.saving.object_registration",
    "custom_object_scope": "lamina.saving.object_registration",
    "get_custom_objects": "lamina.saving.object_registration",
    "get_registered_name": "lamina.saving.object_registration",
    "get_registered_object": "lamina.saving.object_registration",
    "register_keras_serializable": "lamina.saving.object_registration",
    "deserialize_keras_object": "lamina.saving.serialization_lib",
    "serialize_keras_object": "lamina.saving.serialization_lib",
}


def __getattr__(name: str) -> object:
    if name not in _SAVING_NAMES:
        raise AttributeError(f"module 'lamina.utils' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_SAVING_NAMES[name]), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_SAVING_NAMES])
