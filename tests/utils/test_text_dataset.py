"""text_dataset_from_directory: labels, splits, batches, errors."""

import numpy as np
import pytest
import torch

from lamina.preprocessing import text_dataset_from_directory as from_preprocessing
from lamina.utils import text_dataset_from_directory


@pytest.fixture
def tree(tmp_path):
    for label in ("neg", "pos"):
        (tmp_path / label).mkdir()
        for i in range(5):
            (tmp_path / label / f"{i}.txt").write_text(f"{label} review {i}")
    return tmp_path


def test_reexported_from_preprocessing():
    assert from_preprocessing is text_dataset_from_directory


def test_label_modes(tree):
    dataset = text_dataset_from_directory(
        tree, batch_size=4, shuffle=False, verbose=False
    )
    texts, labels = next(iter(dataset))
    assert texts.tolist()[0] == "neg review 0" and labels.dtype == torch.int32
    assert len(dataset) == 3 and dataset.class_names == ["neg", "pos"]
    binary = text_dataset_from_directory(tree, label_mode="binary", shuffle=False)
    assert tuple(next(iter(binary))[1].shape) == (10, 1)
    categorical = text_dataset_from_directory(
        tree, label_mode="categorical", shuffle=False, format="numpy", max_length=3
    )
    texts, labels = next(iter(categorical))
    assert labels.dtype == np.float32 and labels.shape == (10, 2)
    assert texts[0] == "neg"
    unlabelled = text_dataset_from_directory(tree, labels=None, batch_size=None)
    assert isinstance(next(iter(unlabelled)), str)


def test_validation_split_both_is_disjoint(tree):
    train, val = text_dataset_from_directory(
        tree, validation_split=0.2, subset="both", seed=3, verbose=False
    )
    assert len(train.file_paths) == 8 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)


def test_explicit_labels(tree):
    dataset = text_dataset_from_directory(
        tree, labels=[0, 1] * 5, shuffle=False, verbose=False
    )
    assert dataset.class_names == ["0", "1"]


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"label_mode": "sparse"}, "label_mode='sparse'"),
        ({"labels": "folders"}, "labels='folders'"),
        ({"validation_split": 0.2}, "together"),
        ({"validation_split": 0.2, "subset": "training"}, "needs seed="),
        (
            {"validation_split": 1.5, "subset": "training", "seed": 1},
            "0 < validation_split",
        ),
        ({"class_names": ["cat"]}, "must name subfolders"),
        ({"labels": [0, 1]}, "labels has 2 entries"),
        ({"format": "jax"}, "format='jax'"),
    ],
)
def test_clear_errors(tree, kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        text_dataset_from_directory(tree, **kwargs)


def test_binary_needs_two_classes_and_missing_folder(tree, tmp_path):
    (tree / "mid").mkdir()
    (tree / "mid" / "x.txt").write_text("x")
    with pytest.raises(ValueError, match="exactly 2"):
        text_dataset_from_directory(tree, label_mode="binary")
    with pytest.raises(FileNotFoundError, match="No such folder"):
        text_dataset_from_directory(tmp_path / "missing")
