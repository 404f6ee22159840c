"""`DataFrameIterator`: image batches from file names listed in a pandas table."""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np

from lamina.preprocessing._image_iterators import _check_class_mode
from lamina.preprocessing._image_iterators import _FileIterator
from lamina.utils.progbar import print_msg

_NO_CLASS_MODES = ("input", "multi_output", "raw", None)


class DataFrameIterator(_FileIterator):
    """Yields batches of images whose files and labels come from a DataFrame.

    Args:
        dataframe: A pandas DataFrame with a column of file names.
        directory: Folder the file names are relative to, or `None` when they
            are absolute paths.
        image_data_generator: The `ImageDataGenerator` that transforms, or
            `None`.
        x_col: Column of file names. Defaults to `"filename"`.
        y_col: Column (or list of columns for `"multi_output"`) of targets.
            Defaults to `"class"`.
        weight_col: Column of sample weights, or `None`.
        target_size: `(height, width)` images are resized to. Defaults to
            `(256, 256)`.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`. Defaults to `"rgb"`.
        classes: Class names to keep, in label order. Defaults to all labels
            found in `y_col`, sorted.
        class_mode: `"categorical"`, `"binary"`, `"sparse"`, `"input"`,
            `"multi_output"`, `"raw"` or `None`. Defaults to `"categorical"`.
        batch_size: Images per batch. Defaults to `32`.
        shuffle: Shuffle each epoch. Defaults to `True`.
        seed: Seed for shuffling and augmentation.
        data_format: Defaults to `"channels_last"`.
        save_to_dir: Folder to save augmented images to, or `None`.
        save_prefix: File name prefix for saved images.
        save_format: File format for saved images. Defaults to `"png"`.
        subset: `"training"` or `"validation"` with the generator's
            `validation_split` (the first rows validate).
        interpolation: PIL filter for resizing. Defaults to `"nearest"`.
        keep_aspect_ratio: Centre-crop to the target ratio before resizing.
        dtype: Dtype of the images. Defaults to `"float32"`.
        validate_filenames: Drop rows whose file is missing or not an image.
            Defaults to `True`.

    Example:
    >>> import os, tempfile, pandas as pd
    >>> from lamina.utils.image_utils import save_img
    >>> root = tempfile.mkdtemp()
    >>> save_img(os.path.join(root, "a.png"), np.zeros((4, 4, 3)))
    >>> table = pd.DataFrame({"filename": ["a.png"], "class": ["cat"]})
    >>> iterator = DataFrameIterator(table, root, target_size=(2, 2))
    Found 1 validated image filenames belonging to 1 classes.
    >>> x, y = iterator[0]
    >>> x.shape, y.tolist()
    ((1, 2, 2, 3), [[1.0]])
    """

    allowed_class_modes = (
        "binary", "categorical", "input", "multi_output", "raw", "sparse", None
    )  # fmt: skip

    def __init__(
        self,
        dataframe: Any,
        directory: str | os.PathLike | None = None,
        image_data_generator: Any = None,
        x_col: str = "filename",
        y_col: str | list[str] = "class",
        weight_col: str | None = None,
        target_size: tuple[int, int] = (256, 256),
        color_mode: str = "rgb",
        classes: list[str] | None = None,
        class_mode: str | None = "categorical",
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int | None = None,
        data_format: str = "channels_last",
        save_to_dir: str | None = None,
        save_prefix: str = "",
        save_format: str = "png",
        subset: str | None = None,
        interpolation: str = "nearest",
        keep_aspect_ratio: bool = False,
        dtype: str = "float32",
        validate_filenames: bool = True,
    ) -> None:
        self._set_processing_attrs(
            image_data_generator, target_size, color_mode, data_format,
            save_to_dir, save_prefix, save_format, subset, interpolation,
            keep_aspect_ratio,
        )  # fmt: skip
        df = dataframe.copy()
        self.directory = os.fspath(directory) if directory else ""
        self.class_mode = class_mode
        self.dtype = dtype
        self._check_params(df, x_col, y_col, weight_col, classes)
        if validate_filenames:
            df = self._filter_valid_filepaths(df, x_col)
        if class_mode not in _NO_CLASS_MODES:
            df, classes = _filter_classes(df, y_col, classes)
            self.class_indices = {name: index for index, name in enumerate(classes)}
        if self.split:
            begin, end = (int(bound * len(df)) for bound in self.split)
            df = df.iloc[begin:end, :]
        if class_mode not in _NO_CLASS_MODES:
            self.classes = self.get_classes(df, y_col)
        self.filenames = df[x_col].tolist()
        self._sample_weight = df[weight_col].values if weight_col else None
        if class_mode == "multi_output":
            self._targets = [np.array(df[column].tolist()) for column in y_col]
        if class_mode == "raw":
            self._targets = df[y_col].values
        self.samples = len(self.filenames)
        self._report(validate_filenames)
        self._filepaths = [
            os.path.join(self.directory, name) for name in self.filenames
        ]
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _report(self, validate_filenames: bool) -> None:
        checked = "validated" if validate_filenames else "non-validated"
        message = f"Found {self.samples} {checked} image filenames"
        if self.class_mode not in _NO_CLASS_MODES:
            message += f" belonging to {len(self.class_indices)} classes"
        print_msg(f"{message}.")

    def _check_params(self, df, x_col, y_col, weight_col, classes) -> None:
        mode = self.class_mode
        _check_class_mode("flow_from_dataframe", mode, self.allowed_class_modes)
        if mode == "multi_output" and not isinstance(y_col, list):
            raise TypeError(
                f"flow_from_dataframe with class_mode='multi_output' expects "
                f"y_col to be a list of columns, but received "
                f"{type(y_col).__name__} {y_col!r}."
            )
        for name in [x_col] + ([] if mode in _NO_CLASS_MODES else [y_col]):
            if name not in df.columns:
                raise KeyError(
                    f"flow_from_dataframe found no column {name!r} in the "
                    f"dataframe, which has {list(df.columns)}. Pass x_col= and "
                    "y_col= naming existing columns."
                )
        if not all(df[x_col].apply(lambda value: isinstance(value, str))):
            raise TypeError(
                f"flow_from_dataframe expects file names (str) in column "
                f"x_col={x_col!r}, but it holds other values. Convert them with "
                "df[x_col].astype(str)."
            )
        _check_label_values(df, y_col, mode, classes)
        if classes and mode in _NO_CLASS_MODES:
            warnings.warn(
                f"flow_from_dataframe ignores classes= with class_mode={mode!r}. "
                "Drop classes=, or use a class_mode that has classes.",
                stacklevel=4,
            )
        if weight_col and not issubclass(df[weight_col].dtype.type, np.number):
            raise TypeError(
                f"flow_from_dataframe expects numbers in column "
                f"weight_col={weight_col!r}, but it has dtype {df[weight_col].dtype}."
            )

    def get_classes(self, df: Any, y_col: str) -> list[Any]:
        """The class index (or list of indices) of each row."""
        labels = []
        for label in df[y_col]:
            if isinstance(label, (list, tuple)):
                labels.append([self.class_indices[name] for name in label])
            else:
                labels.append(self.class_indices[label])
        return labels

    def _filter_valid_filepaths(self, df: Any, x_col: str) -> Any:
        paths = df[x_col].map(lambda name: os.path.join(self.directory, name))
        mask = paths.apply(_is_valid_image_file, args=(self.white_list_formats,))
        num_invalid = int((~mask).sum())
        if num_invalid:
            warnings.warn(
                f"flow_from_dataframe found {num_invalid} invalid image "
                f"filename(s) in x_col={x_col!r} (missing files or extensions "
                f"other than {self.white_list_formats}); they are ignored.",
                stacklevel=4,
            )
        return df[mask]

    @property
    def labels(self) -> Any:
        """Targets of every image: classes, or the raw target columns."""
        if self.class_mode in ("multi_output", "raw"):
            return self._targets
        return self.classes

    @property
    def sample_weight(self) -> np.ndarray | None:
        return self._sample_weight


def _check_label_values(df: Any, y_col: str, mode: str | None, classes: Any) -> None:
    if mode in ("binary", "sparse"):
        if not all(df[y_col].apply(lambda value: isinstance(value, str))):
            raise TypeError(
                f"flow_from_dataframe with class_mode={mode!r} expects class "
                f"names (str) in column y_col={y_col!r}. Convert them with "
                "df[y_col].astype(str), or use class_mode='raw' for numbers."
            )
    if mode == "binary":
        found = len(set(classes)) if classes else df[y_col].nunique()
        if found != 2:
            raise ValueError(
                f"flow_from_dataframe with class_mode='binary' needs exactly 2 "
                f"classes, but found {found}. Use class_mode='categorical' or "
                "'sparse' for more classes."
            )
    if mode == "categorical":
        if not all(
            df[y_col].apply(lambda value: isinstance(value, (str, list, tuple)))
        ):
            raise TypeError(
                f"flow_from_dataframe with class_mode='categorical' expects "
                f"class names (str, or lists of str) in column y_col={y_col!r}. "
                "Convert them with df[y_col].astype(str)."
            )


def _filter_classes(df: Any, y_col: str, classes: Any) -> tuple[Any, list[Any]]:
    """Keeps rows with a known class; classes default to all labels, sorted."""
    df = df.copy()
    if classes:
        classes = list(dict.fromkeys(classes))
        df[y_col] = df[y_col].apply(
            lambda labels: _known_labels(labels, classes, y_col)
        )
    else:
        found = set()
        for value in df[y_col]:
            found.update(value if isinstance(value, (list, tuple)) else [value])
        classes = sorted(found)
    return df.dropna(subset=[y_col]), classes


def _known_labels(labels: Any, classes: list[Any], y_col: str) -> Any:
    if isinstance(labels, (list, tuple)):
        return [name for name in labels if name in classes] or None
    if isinstance(labels, str):
        return labels if labels in classes else None
    raise TypeError(
        f"flow_from_dataframe expects str, list or tuple labels in column "
        f"y_col={y_col!r}, but found {type(labels).__name__}."
    )


def _is_valid_image_file(path: str, formats: tuple[str, ...]) -> bool:
    return path.lower().endswith(formats) and os.path.isfile(path)
