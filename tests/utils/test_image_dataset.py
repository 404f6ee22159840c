"""image_dataset_from_directory: labels, colours, sizes, splits, errors, training."""

import numpy as np
import pytest
import torch

import lamina
from lamina.preprocessing import image_dataset_from_directory as from_preprocessing
from lamina.utils import image_dataset_from_directory
from lamina.utils import save_img

pytest.importorskip("PIL")


@pytest.fixture
def tree(tmp_path):
    for label, value in (("cat", 0), ("dog", 200)):
        (tmp_path / label).mkdir()
        for i in range(5):
            pixels = np.full((6, 4, 3), value + i, dtype="float32")
            save_img(tmp_path / label / f"{i}.png", pixels, scale=False)
    (tmp_path / "dog" / "readme.txt").write_text("not an image")
    return tmp_path


def test_reexported_from_preprocessing():
    assert from_preprocessing is image_dataset_from_directory


def test_batches_are_float_tensors_channels_last(tree):
    dataset = image_dataset_from_directory(
        tree, image_size=(3, 2), batch_size=4, shuffle=False, verbose=False
    )
    assert len(dataset) == 3 and dataset.class_names == ["cat", "dog"]
    images, labels = next(iter(dataset))
    assert images.dtype == torch.float32 and tuple(images.shape) == (4, 3, 2, 3)
    assert labels.dtype == torch.int32 and labels.tolist() == [0, 0, 0, 0]
    assert images[:, 0, 0, 0].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert sum(len(batch[1]) for batch in dataset) == 10


def test_label_modes(tree):
    options = {"image_size": (2, 2), "shuffle": False, "verbose": False}
    binary = image_dataset_from_directory(tree, label_mode="binary", **options)
    labels = next(iter(binary))[1]
    assert labels.dtype == torch.float32 and tuple(labels.shape) == (10, 1)
    categorical = image_dataset_from_directory(
        tree, label_mode="categorical", **options
    )
    assert next(iter(categorical))[1][-1].tolist() == [0.0, 1.0]
    unlabelled = image_dataset_from_directory(tree, label_mode=None, **options)
    assert isinstance(next(iter(unlabelled)), torch.Tensor)
    given = image_dataset_from_directory(tree, labels=[1] * 5 + [0] * 5, **options)
    assert given.class_names == ["0", "1"]
    assert next(iter(given))[1].tolist() == [1] * 5 + [0] * 5


def test_color_modes_sizes_and_formats(tree):
    options = {"shuffle": False, "verbose": False, "batch_size": None}
    gray = image_dataset_from_directory(
        tree, color_mode="grayscale", image_size=4, **options
    )
    image, label = next(iter(gray))
    assert tuple(image.shape) == (4, 4, 1) and label.ndim == 0
    rgba = image_dataset_from_directory(
        tree,
        color_mode="rgba",
        image_size=(4, 4),
        data_format="channels_first",
        **options,
    )
    assert tuple(next(iter(rgba))[0].shape) == (4, 4, 4)
    numpy = image_dataset_from_directory(
        tree, image_size=(4, 4), format="numpy", **options
    )
    image, label = next(iter(numpy))
    assert isinstance(image, np.ndarray) and image.dtype == np.float32


def test_crop_and_pad_to_aspect_ratio(tree):
    options = {
        "image_size": (6, 6),
        "shuffle": False,
        "verbose": False,
        "batch_size": 10,
    }
    padded, _ = next(
        iter(image_dataset_from_directory(tree, pad_to_aspect_ratio=True, **options))
    )
    cropped, _ = next(
        iter(image_dataset_from_directory(tree, crop_to_aspect_ratio=True, **options))
    )
    assert tuple(padded.shape) == tuple(cropped.shape) == (10, 6, 6, 3)
    assert padded[-1, :, 0].max() == 0 and padded[-1, :, 1].min() == 204  # borders
    assert cropped[-1].min() == 204


def test_validation_split_and_reshuffling(tree):
    train, validation = image_dataset_from_directory(
        tree, image_size=(2, 2), validation_split=0.2, subset="both", seed=1,
        batch_size=2, verbose=False,
    )  # fmt: skip
    assert len(train.file_paths) == 8 and len(validation.file_paths) == 2
    assert not set(train.file_paths) & set(validation.file_paths)
    first = torch.cat([labels for _, labels in train]).tolist()
    second = torch.cat([labels for _, labels in train]).tolist()
    assert sorted(first) == sorted(second)
    validation_passes = [
        torch.cat([y for _, y in validation]).tolist() for _ in range(2)
    ]
    assert validation_passes[0] == validation_passes[1]


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"label_mode": "sparse"}, "label_mode"),
        ({"color_mode": "cmyk"}, "color_mode"),
        ({"image_size": (1, 2, 3)}, "image_size"),
        ({"interpolation": "lanczos3"}, "interpolation='lanczos3'"),
        ({"format": "jax"}, "format"),
        ({"labels": "folders"}, "labels="),
        ({"validation_split": 0.2}, "subset together"),
        ({"validation_split": 0.2, "subset": "training"}, "needs seed="),
        ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True}, "only one of"),
        ({"labels": [0, 1]}, "holds 10 files"),
    ],
)
def test_errors_name_the_argument(tree, arguments, message):
    with pytest.raises(ValueError, match=message):
        image_dataset_from_directory(tree, verbose=False, **arguments)


def test_missing_folder_and_binary_needs_two_classes(tree):
    with pytest.raises(FileNotFoundError, match="no folder"):
        image_dataset_from_directory(tree / "missing")
    (tree / "emu").mkdir()
    save_img(tree / "emu" / "0.png", np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match="exactly 2 classes"):
        image_dataset_from_directory(tree, label_mode="binary", verbose=False)


def test_model_trains_on_dataset(tree):
    lamina.utils.set_random_seed(0)
    dataset = image_dataset_from_directory(
        tree, image_size=(4, 4), batch_size=4, seed=0
    )
    model = lamina.Sequential(
        [
            lamina.layers.Flatten(input_shape=(4, 4, 3)),
            lamina.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(dataset, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
