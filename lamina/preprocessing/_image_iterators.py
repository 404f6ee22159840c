"""The Keras 2 image iterators behind `ImageDataGenerator.flow*`.

Each is a `PyDataset` (so `fit` accepts it) and also a Python iterator that
cycles forever (`next(iterator)`), as in Keras 2. Shuffling and augmentation
draw from NumPy's global generator, seeded per batch with
`seed + batches_seen` exactly as Keras does, so the same seed gives the same
batches.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterator as PythonIterator
from typing import Any

import numpy as np

from lamina.backend import floatx
from lamina.backend import image_data_format
from lamina.utils.image_utils import array_to_img
from lamina.utils.image_utils import img_to_array
from lamina.utils.image_utils import load_img
from lamina.utils.py_dataset import PyDataset

_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


class Iterator(PyDataset):
    """Base class of the image iterators: batches of samples by index.

    Subclasses define `_get_batches_of_transformed_samples(index_array)`.

    Args:
        n: Number of samples.
        batch_size: Samples per batch.
        shuffle: Shuffle the samples at the start of each epoch.
        seed: Seed for shuffling and augmentation, or `None`.
        **kwargs: `workers`, `use_multiprocessing`, `max_queue_size` for
            `PyDataset`.

    Example:
    >>> class Indices(Iterator):
    ...     def _get_batches_of_transformed_samples(self, index_array):
    ...         return index_array.tolist()
    >>> [batch for batch in Indices(5, 2, shuffle=False, seed=None).iterate()]
    [[0, 1], [2, 3], [4]]
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(
        self, n: int, batch_size: int, shuffle: bool, seed: int | None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.n = n
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array: np.ndarray | None = None
        self.index_generator = self._flow_index()

    def _set_index_array(self) -> None:
        self.index_array = np.arange(self.n)
        if self.shuffle:
            self.index_array = np.random.permutation(self.n)

    def __getitem__(self, idx: int) -> Any:
        if idx >= len(self):
            raise IndexError(
                f"{type(self).__name__} has {len(self)} batches, but batch "
                f"{idx} was requested. Use an index below {len(self)}."
            )
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        begin = self.batch_size * idx
        return self._get_batches_of_transformed_samples(
            self.index_array[begin : begin + self.batch_size]
        )

    def __len__(self) -> int:
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self) -> None:
        self._set_index_array()

    def reset(self) -> None:
        """Starts the endless iteration (`next`) from the first batch again."""
        self.batch_index = 0

    def _flow_index(self) -> PythonIterator[np.ndarray]:
        self.reset()
        while True:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            current = (
                0 if self.n == 0 else (self.batch_index * self.batch_size) % self.n
            )
            if self.n > current + self.batch_size:
                self.batch_index += 1
            else:
                self.batch_index = 0
            self.total_batches_seen += 1
            yield self.index_array[current : current + self.batch_size]

    def __iter__(self) -> Iterator:
        return self

    def __next__(self) -> Any:
        with self.lock:
            index_array = next(self.index_generator)
        # Augmentation runs outside the lock so threads can overlap it.
        return self._get_batches_of_transformed_samples(index_array)

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} must define "
            "_get_batches_of_transformed_samples(index_array)."
        )

    def _save_batch(
        self, batch_x: np.ndarray, index_array: np.ndarray, hash_range: int
    ):
        for i, j in enumerate(index_array):
            img = array_to_img(batch_x[i], self.data_format, scale=True)
            name = (
                f"{self.save_prefix}_{j}_{np.random.randint(hash_range)}."
                f"{self.save_format}"
            )
            img.save(os.path.join(self.save_to_dir, name))


class NumpyArrayIterator(Iterator):
    """Yields augmented batches from in-memory arrays (`ImageDataGenerator.flow`).

    Args:
        x: Images `(samples, height, width, channels)` (channels first with
            `data_format="channels_first"`), or a list/tuple `(images,
            extra)` whose extra arrays are passed through unchanged.
        y: Targets, or `None`.
        image_data_generator: The `ImageDataGenerator` that transforms.
        batch_size: Samples per batch. Defaults to `32`.
        shuffle: Shuffle each epoch. Defaults to `False`.
        sample_weight: Per-sample weights, or `None`.
        seed: Seed for shuffling and augmentation.
        data_format: Defaults to `image_data_format()`.
        save_to_dir: Folder to save the augmented images to, or `None`.
        save_prefix: File name prefix for saved images.
        save_format: File format for saved images. Defaults to `"png"`.
        subset: `"training"` or `"validation"` with the generator's
            `validation_split`.
        ignore_class_split: Allow subsets that miss some classes.
        dtype: Dtype of the images. Defaults to `floatx()`.

    Example:
    >>> from lamina.preprocessing.image import ImageDataGenerator
    >>> iterator = NumpyArrayIterator(np.zeros((5, 2, 2, 1)), np.arange(5),
    ...                               ImageDataGenerator(), batch_size=2)
    >>> x, y = iterator[2]
    >>> x.shape, y.tolist()
    ((1, 2, 2, 1), [4])
    """

    def __init__(
        self,
        x: Any,
        y: Any,
        image_data_generator: Any,
        batch_size: int = 32,
        shuffle: bool = False,
        sample_weight: Any = None,
        seed: int | None = None,
        data_format: str | None = None,
        save_to_dir: str | None = None,
        save_prefix: str = "",
        save_format: str = "png",
        subset: str | None = None,
        ignore_class_split: bool = False,
        dtype: str | None = None,
    ) -> None:
        self.dtype = dtype or floatx()
        self.data_format = data_format or image_data_format()
        x, x_misc = _split_extra_inputs(x)
        _check_lengths(x, y, sample_weight)
        if subset is not None:
            split = int(len(x) * image_data_generator._validation_split)
            x, x_misc, y, sample_weight = _take_subset(
                subset, split, x, x_misc, y, sample_weight, ignore_class_split
            )
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = x_misc
        _check_image_batch(self.x, self.data_format, "flow")
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = (
            None if sample_weight is None else np.asarray(sample_weight)
        )
        self.image_data_generator = image_data_generator
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray) -> Any:
        batch_x = np.zeros((len(index_array), *self.x.shape[1:]), dtype=self.dtype)
        generator = self.image_data_generator
        for i, j in enumerate(index_array):
            params = generator.get_random_transform(self.x[j].shape)
            image = generator.apply_transform(self.x[j].astype(self.dtype), params)
            batch_x[i] = generator.standardize(image)
        if self.save_to_dir:
            self._save_batch(batch_x, index_array, 10_000)
        extra = [array[index_array] for array in self.x_misc]
        inputs = [batch_x, *extra] if extra else batch_x
        if self.y is None:
            return inputs
        if self.sample_weight is None:
            return inputs, self.y[index_array]
        return inputs, self.y[index_array], self.sample_weight[index_array]


def _split_extra_inputs(x: Any) -> tuple[Any, list[np.ndarray]]:
    if not isinstance(x, (list, tuple)):
        return x, []
    extra = x[1] if isinstance(x[1], list) else [x[1]]
    extra = [np.asarray(array) for array in extra]
    for array in extra:
        if len(array) != len(x[0]):
            raise ValueError(
                f"flow received x=[images, extra] with {len(x[0])} images but an "
                f"extra input of length {len(array)}. Give every array in x the "
                "same number of samples."
            )
    return x[0], extra


def _check_lengths(x: Any, y: Any, sample_weight: Any) -> None:
    if y is not None and len(x) != len(y):
        raise ValueError(
            f"flow received x with {len(x)} samples (shape {np.shape(x)}) but y "
            f"with {len(y)} (shape {np.shape(y)}). Pass one target per image."
        )
    if sample_weight is not None and len(x) != len(sample_weight):
        raise ValueError(
            f"flow received x with {len(x)} samples but sample_weight with "
            f"{len(sample_weight)}. Pass one weight per image."
        )


def _take_subset(subset, split, x, x_misc, y, sample_weight, ignore_class_split):
    """Keras's order: the first `split` samples validate, the rest train."""
    if subset not in ("training", "validation"):
        raise ValueError(
            f"flow expects subset='training' or 'validation', but received "
            f"subset={subset!r}."
        )
    if (
        y is not None
        and not ignore_class_split
        and not np.array_equal(np.unique(y[:split]), np.unique(y[split:]))
    ):
        raise ValueError(
            "flow(subset=...) found different classes in the training and "
            "validation parts after the split. If the arrays are sorted by "
            "label, shuffle them first, or pass ignore_class_split=True."
        )
    part = slice(None, split) if subset == "validation" else slice(split, None)
    x_misc = [np.asarray(array[part]) for array in x_misc]
    y = None if y is None else y[part]
    sample_weight = None if sample_weight is None else sample_weight[part]
    return x[part], x_misc, y, sample_weight


def _check_image_batch(x: np.ndarray, data_format: str, method: str) -> None:
    layout = (
        "(samples, height, width, channels)"
        if data_format == "channels_last"
        else "(samples, channels, height, width)"
    )
    if x.ndim != 4:
        hint = " Add a channels axis: x[..., None]." if x.ndim == 3 else ""
        raise ValueError(
            f"ImageDataGenerator.{method} expects images of rank 4, {layout} "
            f"(data_format={data_format!r}), but received an array of shape "
            f"{x.shape}.{hint}"
        )
    channel_axis = 3 if data_format == "channels_last" else 1
    if x.shape[channel_axis] not in (1, 3, 4):
        warnings.warn(
            f"ImageDataGenerator.{method} expects 1, 3 or 4 channels on axis "
            f"{channel_axis} for data_format={data_format!r}, but received "
            f"shape {x.shape} ({x.shape[channel_axis]} channels). Check "
            "data_format.",
            stacklevel=3,
        )


class _FileIterator(Iterator):
    """Shared base of `DirectoryIterator` and `DataFrameIterator`: loads files."""

    def _set_processing_attrs(
        self,
        image_data_generator: Any,
        target_size: tuple[int, int],
        color_mode: str,
        data_format: str,
        save_to_dir: str | None,
        save_prefix: str,
        save_format: str,
        subset: str | None,
        interpolation: str,
        keep_aspect_ratio: bool,
    ) -> None:
        if color_mode not in _CHANNELS:
            raise ValueError(
                f"{type(self).__name__} expects color_mode in "
                f"{tuple(_CHANNELS)}, but received color_mode={color_mode!r}."
            )
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        self.color_mode = color_mode
        self.data_format = data_format
        channels = (_CHANNELS[color_mode],)
        if data_format == "channels_last":
            self.image_shape = self.target_size + channels
        else:
            self.image_shape = channels + self.target_size
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        self.interpolation = interpolation
        self.split = self._split_range(subset)
        self.subset = subset

    def _split_range(self, subset: str | None) -> tuple[float, float] | None:
        if subset is None:
            return None
        validation_split = self.image_data_generator._validation_split
        if subset == "validation":
            return (0, validation_split)
        if subset == "training":
            return (validation_split, 1)
        raise ValueError(
            f"{type(self).__name__} expects subset='training' or 'validation', "
            f"but received subset={subset!r}."
        )

    def _load(self, path: str) -> np.ndarray:
        img = load_img(
            path,
            color_mode=self.color_mode,
            target_size=self.target_size,
            interpolation=self.interpolation,
            keep_aspect_ratio=self.keep_aspect_ratio,
        )
        x = img_to_array(img, data_format=self.data_format)
        img.close()
        generator = self.image_data_generator
        if generator:
            params = generator.get_random_transform(x.shape)
            x = generator.standardize(generator.apply_transform(x, params))
        return x

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray) -> Any:
        batch_x = np.zeros((len(index_array), *self.image_shape), dtype=self.dtype)
        for i, j in enumerate(index_array):
            batch_x[i] = self._load(self.filepaths[j])
        if self.save_to_dir:
            self._save_batch(batch_x, index_array, 10_000_000)
        batch_y = self._labels_of(batch_x, index_array)
        if batch_y is None:
            return batch_x
        if self.sample_weight is None:
            return batch_x, batch_y
        return batch_x, batch_y, self.sample_weight[index_array]

    def _labels_of(self, batch_x: np.ndarray, index_array: np.ndarray) -> Any:
        mode = self.class_mode
        if mode == "input":
            return batch_x.copy()
        if mode in ("binary", "sparse"):
            return np.asarray([self.classes[j] for j in index_array], dtype=self.dtype)
        if mode == "categorical":
            batch_y = np.zeros(
                (len(batch_x), len(self.class_indices)), dtype=self.dtype
            )
            for i, j in enumerate(index_array):
                batch_y[i, self.classes[j]] = 1.0
            return batch_y
        if mode == "multi_output":
            return [output[index_array] for output in self.labels]
        if mode == "raw":
            return self.labels[index_array]
        return None

    @property
    def filepaths(self) -> list[str]:
        """Absolute paths of the image files, in sample order."""
        return self._filepaths


def _check_class_mode(owner: str, class_mode: Any, allowed: tuple) -> None:
    if class_mode not in allowed:
        raise ValueError(
            f"{owner} expects class_mode in {allowed}, but received "
            f"class_mode={class_mode!r}."
        )
