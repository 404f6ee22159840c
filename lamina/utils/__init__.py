"""Utilities: data helpers, progress bar, seeds, file download."""

from lamina.backend.seed import set_random_seed
from lamina.utils import np_utils
from lamina.utils.file_utils import get_file
from lamina.utils.image_dataset import image_dataset_from_directory
from lamina.utils.image_utils import array_to_img
from lamina.utils.image_utils import img_to_array
from lamina.utils.image_utils import load_img
from lamina.utils.image_utils import save_img
from lamina.utils.numerical_utils import normalize
from lamina.utils.numerical_utils import to_categorical
from lamina.utils.progbar import Progbar
from lamina.utils.py_dataset import PyDataset
from lamina.utils.py_dataset import Sequence
from lamina.utils.sequence_utils import pad_sequences
from lamina.utils.summary import print_summary
from lamina.utils.text_dataset import text_dataset_from_directory
from lamina.utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "PyDataset",
    "Progbar",
    "Sequence",
    "array_to_img",
    "get_file",
    "image_dataset_from_directory",
    "img_to_array",
    "load_img",
    "normalize",
    "np_utils",
    "pad_sequences",
    "print_summary",
    "save_img",
    "set_random_seed",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
]
