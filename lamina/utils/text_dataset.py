"""`text_dataset_from_directory`: labelled text files as batches of strings."""

from __future__ import annotations

import logging
import os

import numpy as np

from lamina.utils.file_dataset import FileDataset
from lamina.utils.file_dataset import check_format
from lamina.utils.file_dataset import check_label_arguments
from lamina.utils.file_dataset import check_validation_split
from lamina.utils.file_dataset import index_directory
from lamina.utils.file_dataset import log_found
from lamina.utils.file_dataset import split_subsets

_logger = logging.getLogger(__name__)
_NAME = "text_dataset_from_directory()"


class TextDataset(FileDataset):
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
        super().__init__(
            file_paths, labels, label_mode, class_names, batch_size, shuffle_seed,
            as_numpy,
        )  # fmt: skip
        self.max_length = max_length

    def _load_batch(self, paths: list[str]) -> np.ndarray:
        texts = np.empty(len(paths), dtype=object)
        for slot, path in enumerate(paths):
            texts[slot] = self._read(path)
        return texts

    def _read(self, path: str) -> str:
        with open(path, encoding="utf-8", errors="replace") as stream:
            text = stream.read()
        return text if self.max_length is None else text[: self.max_length]


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
    check_label_arguments(_NAME, labels, label_mode, class_names)
    check_format(_NAME, format)
    check_validation_split(_NAME, validation_split, subset, shuffle, seed)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if seed is None:
        seed = int(np.random.randint(1_000_000))
    file_paths, labels, class_names = index_directory(
        directory, labels, (".txt",), class_names, shuffle, seed, follow_links
    )
    if verbose:
        log_found(_logger, len(file_paths), class_names)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            "text_dataset_from_directory(label_mode='binary') needs exactly 2 "
            f"classes, but found class_names={class_names}. Use "
            "label_mode='categorical' or 'int' for more classes."
        )
    datasets = []
    for name, paths, subset_labels in split_subsets(
        file_paths, labels, validation_split, subset
    ):
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
