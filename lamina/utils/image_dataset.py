"""`image_dataset_from_directory`: labelled image files as batches of tensors."""

from __future__ import annotations

import logging
import os
from typing import Any

import numpy as np
import torch

from lamina.backend import standardize_data_format
from lamina.utils.file_dataset import FileDataset
from lamina.utils.file_dataset import check_binary_classes
from lamina.utils.file_dataset import check_format
from lamina.utils.file_dataset import check_label_arguments
from lamina.utils.file_dataset import check_validation_split
from lamina.utils.file_dataset import index_directory
from lamina.utils.file_dataset import log_found
from lamina.utils.file_dataset import split_subsets
from lamina.utils.image_utils import RESIZE_MODES
from lamina.utils.image_utils import load_img
from lamina.utils.image_utils import resize_images

_logger = logging.getLogger(__name__)
ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_NAME = "image_dataset_from_directory()"
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


class ImageDataset(FileDataset):
    """An iterable of batches read from image files, one pass per epoch.

    Each batch is `(images, labels)`, or `images` alone when there are no
    labels. `images` is a float32 tensor `(batch, height, width, channels)`
    (channels first with `data_format="channels_first"`) holding the pixel
    values in `[0, 255]`; `labels` is int32 `(batch,)` for
    `label_mode="int"`, float32 `(batch, num_classes)` for `"categorical"`,
    float32 `(batch, 1)` for `"binary"`. With `as_numpy=True` both are NumPy
    arrays. The first pass reads the files in the order given; later passes
    reshuffle when `shuffle_seed` is set. `len(dataset)` is the number of
    batches, and `fit` accepts the dataset directly.

    Args:
        file_paths: The files, in the order of the first pass.
        labels: Integer label per file, or `None`.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: Names of the classes, by label.
        image_size: `(height, width)` every image is resized to.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`. Defaults to `"rgb"`.
        batch_size: Images per batch, or `None` for single samples.
            Defaults to `32`.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"` or `"area"`.
            Defaults to `"bilinear"`.
        crop_to_aspect_ratio: Crop the centre to the aspect ratio of
            `image_size` before resizing. Defaults to `False`.
        pad_to_aspect_ratio: Pad with zeros to the aspect ratio of
            `image_size` before resizing. Defaults to `False`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        shuffle_seed: Seed for reshuffling on later passes, or `None`.
        as_numpy: Yield NumPy arrays instead of tensors. Defaults to `False`.

    Attributes:
        class_names: As given, like Keras's `dataset.class_names`.
        file_paths: The files, in the order of the first pass.

    Example:
    >>> import os, tempfile, numpy as np
    >>> from lamina.utils.image_utils import save_img
    >>> path = os.path.join(tempfile.mkdtemp(), "a.png")
    >>> save_img(path, np.zeros((4, 4, 3)))
    >>> dataset = ImageDataset([path], [1], "int", ["cat", "dog"], (2, 2))
    >>> images, labels = next(iter(dataset))
    >>> tuple(images.shape), labels.tolist()
    ((1, 2, 2, 3), [1])
    """

    def __init__(
        self,
        file_paths: list[str],
        labels: np.ndarray | None,
        label_mode: str | None,
        class_names: list[str] | None,
        image_size: tuple[int, int],
        color_mode: str = "rgb",
        batch_size: int | None = 32,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        pad_to_aspect_ratio: bool = False,
        data_format: str | None = None,
        shuffle_seed: int | None = None,
        as_numpy: bool = False,
    ):
        super().__init__(
            file_paths, labels, label_mode, class_names, batch_size, shuffle_seed,
            as_numpy,
        )  # fmt: skip
        self.image_size = tuple(image_size)
        self.color_mode = color_mode
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.data_format = standardize_data_format(data_format)

    def _load_batch(self, paths: list[str]) -> torch.Tensor | np.ndarray:
        images = torch.stack([self.load(path) for path in paths])
        return images.numpy() if self.as_numpy else images

    def load(self, path: str) -> torch.Tensor:
        """Reads one file as a float32 tensor of `image_size`."""
        img = load_img(path, color_mode=self.color_mode)
        pixels = np.asarray(img, dtype="float32")
        image = torch.from_numpy(pixels.reshape(*pixels.shape[:2], -1))  # (h, w, c)
        if self.data_format == "channels_first":
            image = image.permute(2, 0, 1)  # (channels, height, width)
        return resize_images(
            image,
            self.image_size,
            self.interpolation,
            self.data_format,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
        )


def image_dataset_from_directory(
    directory: str | os.PathLike,
    labels: str | list[int] | None = "inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    color_mode: str = "rgb",
    batch_size: int | None = 32,
    image_size: int | tuple[int, int] = (256, 256),
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    interpolation: str = "bilinear",
    follow_links: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    data_format: str | None = None,
    format: str = "torch",
    verbose: bool = True,
) -> ImageDataset | list[ImageDataset]:
    """Builds a dataset of images from a folder of image files.

    With `labels="inferred"`, each subfolder of `directory` is a class
    (sorted by name) and its `.bmp`, `.gif`, `.jpeg`, `.jpg` and `.png`
    files (searched recursively) are the samples. Files are listed and
    shuffled exactly as Keras does, so the training/validation split holds
    the same files and `file_paths` comes out in Keras's order. Keras returns
    a `tf.data.Dataset`; lamina returns an `ImageDataset` (see there for the
    batch layout): an iterable of `(images, labels)` batches of torch tensors,
    images float32 channels-last `(batch, height, width, channels)` in
    `[0, 255]`, with `class_names` and `file_paths` attributes.

    Args:
        directory: The root folder.
        labels: `"inferred"`, a list of integer labels (one per file, in the
            sorted order of the files), or `None`. Defaults to `"inferred"`.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
            Defaults to `"int"`.
        class_names: Subfolder names to use (and their order) with
            `labels="inferred"`. Defaults to all subfolders, sorted.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"` (1, 3 or 4
            channels). Defaults to `"rgb"`.
        batch_size: Images per batch; `None` yields single samples.
            Defaults to `32`.
        image_size: `(height, width)` (or one int) every image is resized
            to. Defaults to `(256, 256)`.
        shuffle: Shuffle the files. Defaults to `True`.
        seed: Shuffle seed (required with `validation_split` and shuffling).
        validation_split: Fraction of files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns a list of
            two datasets), with `validation_split`.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"` or `"area"`,
            computed as Keras's torch backend does. Defaults to `"bilinear"`.
        follow_links: Follow symbolic links to folders. Defaults to `False`.
        crop_to_aspect_ratio: Crop the centre to the aspect ratio of
            `image_size` instead of distorting. Defaults to `False`.
        pad_to_aspect_ratio: Pad with zeros to the aspect ratio of
            `image_size` instead of distorting. Defaults to `False`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        format: `"torch"` (tensors) or `"numpy"`; Keras's `"tf"` and
            `"grain"` mean `"torch"`. Defaults to `"torch"`.
        verbose: Log how many files were found. Defaults to `True`.

    Returns:
        An `ImageDataset`, or `[train, validation]` with `subset="both"`.

    Example:
    >>> import os, tempfile, numpy as np
    >>> from lamina.utils.image_utils import save_img
    >>> root = tempfile.mkdtemp()
    >>> for label in ("cat", "dog"):
    ...     os.mkdir(os.path.join(root, label))
    ...     save_img(os.path.join(root, label, "1.png"), np.zeros((8, 8, 3)))
    >>> dataset = image_dataset_from_directory(
    ...     root, image_size=(4, 4), shuffle=False, verbose=False)
    >>> images, labels = next(iter(dataset))
    >>> dataset.class_names, tuple(images.shape), labels.tolist()
    (['cat', 'dog'], (2, 4, 4, 3), [0, 1])
    """
    image_size = _check_arguments(
        labels, label_mode, class_names, color_mode, image_size, interpolation, format
    )
    check_validation_split(_NAME, validation_split, subset, shuffle, seed)
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            f"{_NAME} accepts only one of crop_to_aspect_ratio=True and "
            "pad_to_aspect_ratio=True. Set the other to False."
        )
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if seed is None:
        seed = int(np.random.randint(1_000_000))
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"{_NAME} found no folder directory={os.fspath(directory)!r}. Pass the "
            "folder that holds one subfolder of images per class."
        )
    file_paths, labels, class_names = index_directory(
        directory, labels, ALLOWLIST_FORMATS, class_names, shuffle, seed, follow_links
    )
    if verbose:
        log_found(_logger, len(file_paths), class_names)
    check_binary_classes(_NAME, label_mode, class_names)
    datasets = []
    for name, paths, subset_labels in split_subsets(
        file_paths, labels, validation_split, subset
    ):
        if not paths:
            raise ValueError(
                f"{_NAME} found no images for subset={name!r} in "
                f"{os.fspath(directory)!r}. Allowed formats: {ALLOWLIST_FORMATS}. "
                "Add images (one folder per class) or lower validation_split."
            )
        datasets.append(ImageDataset(
            paths, subset_labels, label_mode, class_names, image_size, color_mode,
            batch_size, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio,
            data_format, as_numpy=format == "numpy",
            shuffle_seed=seed if shuffle and name != "validation" else None,
        ))  # fmt: skip
    return datasets if subset == "both" else datasets[0]


def _check_arguments(
    labels: Any,
    label_mode: Any,
    class_names: Any,
    color_mode: str,
    image_size: Any,
    interpolation: str,
    format: str,
) -> tuple[int, int]:
    check_label_arguments(_NAME, labels, label_mode, class_names)
    if color_mode not in _CHANNELS:
        raise ValueError(
            f"{_NAME} expects color_mode in {tuple(_CHANNELS)}, but received "
            f"color_mode={color_mode!r}."
        )
    if interpolation not in RESIZE_MODES:
        raise ValueError(
            f"{_NAME} received interpolation={interpolation!r}, which lamina "
            f"does not support. Use one of {tuple(RESIZE_MODES)}."
        )
    check_format(_NAME, format)
    return _image_size(image_size)


def _image_size(image_size: Any) -> tuple[int, int]:
    if isinstance(image_size, int):
        return (image_size, image_size)
    if isinstance(image_size, (list, tuple)) and len(image_size) == 2:
        return (int(image_size[0]), int(image_size[1]))
    raise ValueError(
        f"{_NAME} expects image_size=(height, width), but received "
        f"image_size={image_size!r}. Pass two integers, e.g. (256, 256)."
    )
