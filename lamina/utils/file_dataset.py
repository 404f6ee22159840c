"""`FileDataset`, the base of the `*_dataset_from_directory` datasets.

Also the pieces their builders share: `index_directory` lists a
class-per-folder tree in Keras's order, `split_subsets` takes Keras's
training/validation split, and the `check_*` helpers validate the arguments
every builder accepts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

LABEL_MODES = ("int", "categorical", "binary", None)
FORMATS = ("torch", "numpy", "tf", "grain")


class FileDataset:
    """An iterable of batches read from files, one pass per epoch.

    Each batch is `(inputs, labels)`, or `inputs` alone when there are no
    labels. Subclasses say how a batch of files is read by implementing
    `_load_batch(paths)`; this class orders, batches and labels them.
    `labels` is int32 `(batch,)` for `label_mode="int"`, float32
    `(batch, num_classes)` for `"categorical"`, float32 `(batch, 1)` for
    `"binary"`, as a tensor (or a NumPy array with `as_numpy=True`). The
    first pass reads the files in the order given; later passes reshuffle
    when `shuffle_seed` is set. `len(dataset)` is the number of batches.

    Args:
        file_paths: The files, in the order of the first pass.
        labels: Integer label per file, or `None`.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: Names of the classes, by label.
        batch_size: Files per batch, or `None` for single samples.
            Defaults to `32`.
        shuffle_seed: Seed for reshuffling on later passes, or `None`.
        as_numpy: Yield NumPy labels instead of tensors. Defaults to `False`.

    Attributes:
        class_names: As given, like Keras's `dataset.class_names`.
        file_paths: The files, in the order of the first pass.

    Example:
    >>> class Names(FileDataset):
    ...     def _load_batch(self, paths):
    ...         return np.asarray(paths)
    >>> dataset = Names(["a", "b", "c"], [0, 1, 0], "int", ["x", "y"],
    ...                 batch_size=2)
    >>> [(names.tolist(), labels.tolist()) for names, labels in dataset]
    [(['a', 'b'], [0, 1]), (['c'], [0])]
    """

    def __init__(
        self,
        file_paths: list[str],
        labels: np.ndarray | None,
        label_mode: str | None,
        class_names: list[str] | None,
        batch_size: int | None = 32,
        shuffle_seed: int | None = None,
        as_numpy: bool = False,
    ):
        self.file_paths = list(file_paths)
        self.labels = None if labels is None else np.asarray(labels, dtype="int32")
        self.label_mode = label_mode
        self.class_names = class_names
        self.batch_size = batch_size
        self.shuffle_seed = shuffle_seed
        self.as_numpy = as_numpy
        self._num_passes = 0

    def __len__(self) -> int:
        if self.batch_size is None:
            return len(self.file_paths)
        return -(-len(self.file_paths) // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        order = self._order_for_this_pass()
        step = self.batch_size or 1
        for begin in range(0, len(order), step):
            batch = self._batch(order[begin : begin + step])
            if self.batch_size is None:
                batch = _first(batch)
            yield batch

    def _order_for_this_pass(self) -> np.ndarray:
        order = np.arange(len(self.file_paths))
        if self.shuffle_seed is not None and self._num_passes > 0:
            np.random.RandomState(self.shuffle_seed + self._num_passes).shuffle(order)
        self._num_passes += 1
        return order

    def _batch(self, indices: np.ndarray) -> Any:
        inputs = self._load_batch([self.file_paths[index] for index in indices])
        if self.label_mode is None:
            return inputs
        return inputs, self._encode(self.labels[indices])

    def _load_batch(self, paths: list[str]) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} must implement _load_batch(paths), which "
            "reads a batch of files; FileDataset only orders and labels them."
        )

    def _encode(self, labels: np.ndarray) -> Any:
        if self.label_mode == "binary":
            encoded = labels.astype("float32")[:, None]  # (batch, 1)
        elif self.label_mode == "categorical":
            encoded = np.eye(len(self.class_names), dtype="float32")[labels]
        else:
            encoded = labels
        return encoded if self.as_numpy else torch.as_tensor(encoded)


def _first(batch: Any) -> Any:
    if isinstance(batch, tuple):
        return tuple(part[0] for part in batch)
    return batch[0]


def index_directory(
    directory: str | os.PathLike,
    labels: Any,
    formats: tuple[str, ...],
    class_names: list[str] | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    follow_links: bool = False,
) -> tuple[list[str], np.ndarray | None, list[str] | None]:
    """Lists the files of a class-per-folder tree in Keras's order.

    Files are sorted by folder then name; with `shuffle`, paths and labels are
    permuted with `RandomState(seed)`.

    Returns:
        `(file_paths, labels, class_names)`.

    Example:
    >>> import os, tempfile
    >>> root = tempfile.mkdtemp()
    >>> os.mkdir(os.path.join(root, "a"))
    >>> _ = open(os.path.join(root, "a", "x.txt"), "w").write("")
    >>> paths, labels, names = index_directory(root, "inferred", (".txt",),
    ...                                        shuffle=False)
    >>> [os.path.relpath(p, root) for p in paths], labels.tolist(), names
    (['a/x.txt'], [0], ['a'])
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"No such folder: directory={directory!r}. Pass the folder that "
            "holds one subfolder of .txt files per class."
        )
    subdirs = _class_folders(directory, labels, class_names)
    filenames, label_list = [], []
    for label, subdir in enumerate(subdirs):
        for relative in _valid_files(
            os.path.join(directory, subdir), follow_links, formats
        ):
            filenames.append(os.path.join(subdir, relative) if subdir else relative)
            label_list.append(label)
    if labels == "inferred":
        labels = np.asarray(label_list, dtype="int32")
        class_names = subdirs
    elif labels is None:
        class_names = None
    else:
        labels, class_names = _given_labels(labels, len(filenames), directory)
    file_paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names


def _class_folders(
    directory: str, labels: Any, class_names: list[str] | None
) -> list[str]:
    if labels != "inferred":
        return [""]
    subdirs = [
        name for name in sorted(os.listdir(directory))
        if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")
    ]  # fmt: skip
    if class_names is None:
        return subdirs
    if not set(class_names).issubset(subdirs):
        raise ValueError(
            f"class_names={list(class_names)} must name subfolders of "
            f"{directory!r}, which has {subdirs}."
        )
    return list(class_names)


def _valid_files(
    folder: str, follow_links: bool, formats: tuple[str, ...]
) -> Iterator[str]:
    walk = sorted(os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0])
    for root, _, files in walk:
        for fname in sorted(files):
            if fname.lower().endswith(formats):
                yield os.path.relpath(os.path.join(root, fname), folder)


def _given_labels(labels: Any, num_files: int, directory: str):
    if len(labels) != num_files:
        raise ValueError(
            f"labels has {len(labels)} entries, but {directory!r} holds "
            f"{num_files} files. Pass one label per file (files in sorted "
            "order), or labels='inferred'."
        )
    class_names = [str(label) for label in sorted(set(labels))]
    return np.asarray(labels), class_names


def split_subsets(
    file_paths: list[str],
    labels: np.ndarray | None,
    validation_split: float | None,
    subset: str | None,
) -> list[tuple[str | None, list[str], np.ndarray | None]]:
    """Keras's split, as `(subset, file_paths, labels)` per dataset to build.

    The last `int(validation_split * n)` files validate; `subset="both"`
    gives the training part, then the validation part.

    Example:
    >>> parts = split_subsets(["a", "b", "c", "d"], None, 0.25, "both")
    >>> [(subset, paths) for subset, paths, _ in parts]
    [('training', ['a', 'b', 'c']), ('validation', ['d'])]
    """
    names = ["training", "validation"] if subset == "both" else [subset]
    return [
        (name, *_split(file_paths, labels, validation_split, name)) for name in names
    ]


def _split(
    file_paths: list[str],
    labels: np.ndarray | None,
    validation_split: float | None,
    subset: str | None,
) -> tuple[list[str], np.ndarray | None]:
    if not validation_split:
        return file_paths, labels
    boundary = len(file_paths) - int(validation_split * len(file_paths))
    part = slice(0, boundary) if subset == "training" else slice(boundary, None)
    return file_paths[part], None if labels is None else labels[part]


def log_found(
    logger: logging.Logger, num_files: int, class_names: list[str] | None
) -> None:
    """Logs how many files (and classes) a builder found, as Keras prints it.

    Example:
    >>> log_found(logging.getLogger("demo"), 3, ["a", "b"])
    """
    if class_names is None:
        logger.info("Found %d files.", num_files)
    else:
        logger.info(
            "Found %d files belonging to %d classes.", num_files, len(class_names)
        )


def check_label_arguments(
    name: str, labels: Any, label_mode: Any, class_names: Any
) -> None:
    """Checks `labels`, `label_mode` and `class_names` of builder `name`.

    Example:
    >>> check_label_arguments("demo()", "inferred", "int", None)
    """
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple, np.ndarray)):
            raise ValueError(
                f"{name} expects labels='inferred', None, or a list of integer "
                f"labels (one per file), but received labels={labels!r}."
            )
        if class_names:
            raise ValueError(
                f"{name} accepts class_names only with labels='inferred', but "
                f"received labels=<list> and class_names={class_names}."
            )
    if label_mode not in LABEL_MODES:
        raise ValueError(
            f"{name} expects label_mode in {LABEL_MODES}, but received "
            f"label_mode={label_mode!r}."
        )


def check_binary_classes(
    name: str, label_mode: str | None, class_names: list[str] | None
) -> None:
    """Checks that `label_mode="binary"` comes with exactly 2 classes.

    Example:
    >>> check_binary_classes("demo()", "binary", ["cat", "dog"])
    """
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            f"{name} with label_mode='binary' needs exactly 2 classes, but "
            f"found class_names={class_names}. Use label_mode='categorical' or "
            "'int' for more classes."
        )


def check_format(name: str, format: str) -> None:
    """Checks the `format` of builder `name` is one of `FORMATS`.

    Example:
    >>> check_format("demo()", "numpy")
    """
    if format not in FORMATS:
        raise ValueError(
            f"{name} expects format in {FORMATS}, but received format={format!r}."
        )


def check_validation_split(
    name: str,
    validation_split: float | None,
    subset: str | None,
    shuffle: bool,
    seed: int | None,
) -> None:
    """Checks `validation_split`, `subset` and `seed` of builder `name`.

    Example:
    >>> check_validation_split("demo()", 0.2, "both", True, 1)
    """
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"{name} expects 0 < validation_split < 1, but received "
            f"validation_split={validation_split}."
        )
    if bool(validation_split) != bool(subset):
        raise ValueError(
            f"{name} needs validation_split and subset together, but received "
            f"validation_split={validation_split}, subset={subset!r}."
        )
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f"{name} expects subset in ('training', 'validation', 'both'), but "
            f"received subset={subset!r}."
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            f"{name} with validation_split and shuffle=True needs seed=, so "
            "that training and validation files do not overlap. Pass seed=123."
        )
