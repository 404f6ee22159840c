"""`text_dataset_from_directory`: labelled text files as batches of strings."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

_logger = logging.getLogger(__name__)
_LABEL_MODES = ("int", "categorical", "binary", None)
_FORMATS = ("torch", "numpy", "tf", "grain")


class TextDataset:
    """An iterable of batches read from text files, one pass per epoch.

    Each batch is `(texts, labels)`, or `texts` alone when there are no
    labels. `texts` is a NumPy object array of `str`; `labels` is a tensor
    (or a NumPy array with `format="numpy"`): int32 `(batch,)` for
    `label_mode="int"`, float32 `(batch, num_classes)` for `"categorical"`,
    float32 `(batch, 1)` for `"binary"`.

    Args:
        file_paths: The files, in the order of the first pass.
        labels: Integer label per file, or `None`.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: Names of the classes, by label.
        batch_size: Files per batch, or `None` for single samples.
        max_length: Keep at most this many characters per text.
        shuffle_seed: Seed for reshuffling on later passes, or `None`.
        as_numpy: Yield NumPy labels instead of tensors.

    Attributes:
        class_names: As given, like Keras's `dataset.class_names`.
        file_paths: The files, in the order of the first pass.

    Example:
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = open(os.path.join(folder, "a.txt"), "w").write("hello")
    >>> dataset = TextDataset([os.path.join(folder, "a.txt")], [1], "int",
    ...                       ["neg", "pos"], batch_size=2)
    >>> texts, labels = next(iter(dataset))
    >>> texts.tolist(), labels.tolist()
    (['hello'], [1])
    """

    def __init__(
        self,
        file_paths: list[str],
        labels: np.ndarray | None,
        label_mode: str | None,
        class_names: list[str] | None,
        batch_size: int | None = 32,
        max_length: int | None = None,
        shuffle_seed: int | None = None,
        as_numpy: bool = False,
    ):
        self.file_paths = list(file_paths)
        self.labels = None if labels is None else np.asarray(labels, dtype="int32")
        self.label_mode = label_mode
        self.class_names = class_names
        self.batch_size = batch_size
        self.max_length = max_length
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
        texts = np.empty(len(indices), dtype=object)
        for slot, index in enumerate(indices):
            texts[slot] = self._read(self.file_paths[index])
        if self.label_mode is None:
            return texts
        return texts, self._encode(self.labels[indices])

    def _read(self, path: str) -> str:
        with open(path, encoding="utf-8", errors="replace") as stream:
            text = stream.read()
        return text if self.max_length is None else text[: self.max_length]

    def _encode(self, labels: np.ndarray) -> Any:
        if self.label_mode == "binary":
            encoded = labels.astype("float32")[:, None]  # (batch, 1)
        elif self.label_mode == "categorical":
            encoded = np.eye(len(self.class_names), dtype="float32")[labels]
        else:
            encoded = labels
        return encoded if self.as_numpy else torch.as_tensor(encoded)


def text_dataset_from_directory(
    directory: str | os.PathLike,
    labels: str | list[int] | None = "inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    batch_size: int | None = 32,
    max_length: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    format: str = "torch",
    verbose: bool = True,
) -> TextDataset | list[TextDataset]:
    """Builds a dataset of texts from a folder of `.txt` files.

    With `labels="inferred"`, each subfolder of `directory` is a class
    (sorted by name) and its `.txt` files (searched recursively) are the
    samples. Files are listed and shuffled exactly as Keras does, so the
    training/validation split holds the same files. Keras returns a
    `tf.data.Dataset`; lamina returns a `TextDataset` (see there for the
    batch layout), with a `class_names` attribute.

    Args:
        directory: The root folder.
        labels: `"inferred"`, a list of integer labels (one per file, in the
            sorted order of the files), or `None`. Defaults to `"inferred"`.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
            Defaults to `"int"`.
        class_names: Subfolder names to use (and their order) with
            `labels="inferred"`. Defaults to all subfolders, sorted.
        batch_size: Texts per batch; `None` yields single samples.
            Defaults to `32`.
        max_length: Keep at most this many characters of each text.
            Defaults to `None`.
        shuffle: Shuffle the files. Defaults to `True`.
        seed: Shuffle seed (required with `validation_split` and shuffling).
        validation_split: Fraction of files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns a list of
            two datasets), with `validation_split`.
        follow_links: Follow symbolic links to folders. Defaults to `False`.
        format: `"torch"` (labels as tensors) or `"numpy"`; Keras's `"tf"`
            and `"grain"` mean `"torch"`. Defaults to `"torch"`.
        verbose: Log how many files were found. Defaults to `True`.

    Returns:
        A `TextDataset`, or `[train, validation]` with `subset="both"`.

    Example:
    >>> import os, tempfile
    >>> root = tempfile.mkdtemp()
    >>> for label in ("neg", "pos"):
    ...     os.mkdir(os.path.join(root, label))
    ...     _ = open(os.path.join(root, label, "1.txt"), "w").write(label)
    >>> dataset = text_dataset_from_directory(root, shuffle=False, verbose=False)
    >>> texts, labels = next(iter(dataset))
    >>> dataset.class_names, texts.tolist(), labels.tolist()
    (['neg', 'pos'], ['neg', 'pos'], [0, 1])
    """
    _check_arguments(labels, label_mode, class_names, format)
    _check_validation_split(validation_split, subset, shuffle, seed)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if seed is None:
        seed = int(np.random.randint(1_000_000))
    file_paths, labels, class_names = index_directory(
        directory, labels, (".txt",), class_names, shuffle, seed, follow_links
    )
    if verbose:
        _log_found(len(file_paths), class_names if labels is not None else None)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            "text_dataset_from_directory(label_mode='binary') needs exactly 2 "
            f"classes, but found class_names={class_names}. Use "
            "label_mode='categorical' or 'int' for more classes."
        )
    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = []
    for name in subsets:
        paths, subset_labels = _split(file_paths, labels, validation_split, name)
        if not paths:
            raise ValueError(
                f"text_dataset_from_directory() found no .txt files for "
                f"subset={name!r} in {os.fspath(directory)!r}. Add .txt files "
                "(one folder per class) or lower validation_split."
            )
        datasets.append(TextDataset(
            paths, subset_labels, label_mode, class_names, batch_size, max_length,
            shuffle_seed=seed if shuffle and name != "validation" else None,
            as_numpy=format == "numpy",
        ))  # fmt: skip
    return datasets if subset == "both" else datasets[0]


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


def _split(
    file_paths: list[str],
    labels: Any,
    validation_split: float | None,
    subset: str | None,
):
    if not validation_split:
        return file_paths, labels
    num_val = int(validation_split * len(file_paths))
    if subset == "training":
        return file_paths[: len(file_paths) - num_val], _cut(
            labels, 0, len(file_paths) - num_val
        )
    return file_paths[len(file_paths) - num_val :], _cut(
        labels, len(file_paths) - num_val, None
    )


def _cut(labels: Any, begin: int, end: int | None) -> Any:
    return None if labels is None else labels[begin:end]


def _log_found(num_files: int, class_names: list[str] | None) -> None:
    if class_names is None:
        _logger.info("Found %d files.", num_files)
    else:
        _logger.info(
            "Found %d files belonging to %d classes.", num_files, len(class_names)
        )


def _check_arguments(
    labels: Any, label_mode: Any, class_names: Any, format: str
) -> None:
    name = "text_dataset_from_directory()"
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
    if label_mode not in _LABEL_MODES:
        raise ValueError(
            f"{name} expects label_mode in {_LABEL_MODES}, but received "
            f"label_mode={label_mode!r}."
        )
    if format not in _FORMATS:
        raise ValueError(
            f"{name} expects format in {_FORMATS}, but received format={format!r}."
        )


def _check_validation_split(validation_split, subset, shuffle, seed) -> None:
    name = "text_dataset_from_directory()"
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
