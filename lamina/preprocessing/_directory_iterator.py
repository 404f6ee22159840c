"""`DirectoryIterator`: image batches from a folder with one subfolder per class."""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np

from lamina.backend import floatx
from lamina.backend import image_data_format
from lamina.preprocessing._image_iterators import _check_class_mode
from lamina.preprocessing._image_iterators import _FileIterator
from lamina.utils.progbar import print_msg


class DirectoryIterator(_FileIterator):
    """Yields batches of images read from one subfolder per class.

    Classes are the subfolders (sorted by name unless `classes` is given);
    files are listed recursively in sorted order, as in Keras, so
    `class_indices`, `filenames` and `classes` equal Keras's.

    Args:
        directory: The root folder.
        image_data_generator: The `ImageDataGenerator` that transforms, or
            `None`.
        target_size: `(height, width)` images are resized to. Defaults to
            `(256, 256)`.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`. Defaults to `"rgb"`.
        classes: Subfolder names to use, in label order. Defaults to all.
        class_mode: `"categorical"` (one-hot), `"binary"`, `"sparse"`
            (integers), `"input"` (targets are the images) or `None` (no
            targets). Defaults to `"categorical"`.
        batch_size: Images per batch. Defaults to `32`.
        shuffle: Shuffle each epoch. Defaults to `True`.
        seed: Seed for shuffling and augmentation.
        data_format: Defaults to `image_data_format()`.
        save_to_dir: Folder to save augmented images to, or `None`.
        save_prefix: File name prefix for saved images.
        save_format: File format for saved images. Defaults to `"png"`.
        follow_links: Follow symbolic links to folders. Defaults to `False`.
        subset: `"training"` or `"validation"` with the generator's
            `validation_split` (the first part of each class validates).
        interpolation: PIL filter for resizing. Defaults to `"nearest"`.
        keep_aspect_ratio: Centre-crop to the target ratio before resizing.
        dtype: Dtype of the images. Defaults to `floatx()`.

    Example:
    >>> import os, tempfile
    >>> from lamina.utils.image_utils import save_img
    >>> root = tempfile.mkdtemp()
    >>> for name in ("cat", "dog"):
    ...     os.mkdir(os.path.join(root, name))
    ...     save_img(os.path.join(root, name, "1.png"), np.zeros((4, 4, 3)))
    >>> iterator = DirectoryIterator(root, None, target_size=(2, 2))
    Found 2 images belonging to 2 classes.
    >>> iterator.class_indices, iterator.filenames
    ({'cat': 0, 'dog': 1}, ['cat/1.png', 'dog/1.png'])
    """

    allowed_class_modes = ("categorical", "binary", "sparse", "input", None)

    def __init__(
        self,
        directory: str | os.PathLike,
        image_data_generator: Any,
        target_size: tuple[int, int] = (256, 256),
        color_mode: str = "rgb",
        classes: list[str] | None = None,
        class_mode: str | None = "categorical",
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int | None = None,
        data_format: str | None = None,
        save_to_dir: str | None = None,
        save_prefix: str = "",
        save_format: str = "png",
        follow_links: bool = False,
        subset: str | None = None,
        interpolation: str = "nearest",
        keep_aspect_ratio: bool = False,
        dtype: str | None = None,
    ) -> None:
        self._set_processing_attrs(
            image_data_generator, target_size, color_mode,
            data_format or image_data_format(), save_to_dir, save_prefix,
            save_format, subset, interpolation, keep_aspect_ratio,
        )  # fmt: skip
        _check_class_mode("DirectoryIterator", class_mode, self.allowed_class_modes)
        directory = os.fspath(directory)
        if not os.path.isdir(directory):
            raise FileNotFoundError(
                f"flow_from_directory found no folder directory={directory!r}. "
                "Pass the folder that holds one subfolder of images per class."
            )
        self.directory = directory
        self.class_mode = class_mode
        self.dtype = dtype or floatx()
        if not classes:
            classes = [
                name for name in sorted(os.listdir(directory))
                if os.path.isdir(os.path.join(directory, name))
            ]  # fmt: skip
        self.num_classes = len(classes)
        self.class_indices = {name: index for index, name in enumerate(classes)}
        self.filenames, labels = [], []
        for name in classes:
            found = _list_class_files(
                directory, name, self.white_list_formats, self.split, follow_links
            )
            self.filenames += found
            labels += [self.class_indices[name]] * len(found)
        self.samples = len(self.filenames)
        self.classes = np.asarray(labels, dtype="int32")
        print_msg(
            f"Found {self.samples} images belonging to {self.num_classes} classes."
        )
        self._filepaths = [os.path.join(directory, name) for name in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def labels(self) -> np.ndarray:
        """The class index of every image."""
        return self.classes

    @property
    def sample_weight(self) -> None:
        return None


def _list_class_files(
    directory: str,
    class_name: str,
    formats: tuple[str, ...],
    split: tuple[float, float] | None,
    follow_links: bool,
) -> list[str]:
    """Files of one class as `class_name/relative/path`, sorted as Keras does."""
    folder = os.path.join(directory, class_name)
    walk = sorted(os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0])
    found = []
    for root, _, files in walk:
        for fname in sorted(files):
            if fname.lower().endswith(".tiff"):
                warnings.warn(
                    f"flow_from_directory found the TIFF file {fname!r}; TIFF "
                    "files with more than 4 bands load distorted. Check the "
                    "images, or convert them to PNG.",
                    stacklevel=4,
                )
            if fname.lower().endswith(formats):
                relative = os.path.relpath(os.path.join(root, fname), folder)
                found.append(os.path.join(os.path.basename(folder), relative))
    if split:
        found = found[int(split[0] * len(found)) : int(split[1] * len(found))]
    return found
