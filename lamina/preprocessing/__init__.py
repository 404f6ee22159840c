"""Keras 2's `keras.preprocessing`: sequence and text helpers, dataset builders."""

from lamina.preprocessing import image
from lamina.preprocessing import sequence
from lamina.preprocessing import text
from lamina.utils.image_dataset import image_dataset_from_directory
from lamina.utils.text_dataset import text_dataset_from_directory
from lamina.utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]
