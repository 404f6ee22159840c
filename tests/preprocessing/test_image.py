"""ImageDataGenerator and its iterators: batches, subsets, errors, training."""

import os

import numpy as np
import pytest

import lamina
from lamina.preprocessing import image
from lamina.preprocessing.image import DataFrameIterator
from lamina.preprocessing.image import DirectoryIterator
from lamina.preprocessing.image import ImageDataGenerator
from lamina.preprocessing.image import NumpyArrayIterator
from lamina.utils import PyDataset

pytest.importorskip("PIL")
pytest.importorskip("scipy")


def _images(count=10, shape=(6, 6, 3), seed=0):
    return np.random.default_rng(seed).random((count, *shape)).astype("float32")


@pytest.fixture
def tree(tmp_path):
    for label, count in (("cat", 3), ("dog", 2)):
        (tmp_path / label).mkdir()
        for i in range(count):
            pixels = np.full((5, 7, 3), 40 * i + (100 if label == "dog" else 0))
            image.save_img(tmp_path / label / f"{i}.png", pixels, scale=False)
    (tmp_path / "cat" / "notes.txt").write_text("skip me")
    return tmp_path


def test_module_exports_keras2_names():
    for name in (
        "ImageDataGenerator", "Iterator", "NumpyArrayIterator", "DirectoryIterator",
        "DataFrameIterator", "apply_affine_transform", "apply_brightness_shift",
        "apply_channel_shift", "random_rotation", "random_shift", "random_shear",
        "random_zoom", "random_channel_shift", "random_brightness", "array_to_img",
        "img_to_array", "load_img", "save_img", "smart_resize",
    ):  # fmt: skip
        assert hasattr(image, name), name
    assert lamina.preprocessing.image is image


def test_flow_yields_batches_and_is_a_pydataset():
    iterator = ImageDataGenerator().flow(
        _images(), np.arange(10), batch_size=4, shuffle=False
    )
    assert isinstance(iterator, PyDataset) and isinstance(iterator, NumpyArrayIterator)
    assert len(iterator) == 3
    x, y = iterator[2]
    assert x.shape == (2, 6, 6, 3) and x.dtype == np.float32 and y.tolist() == [8, 9]
    batches = [next(iterator)[1].tolist() for _ in range(4)]
    assert batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [0, 1, 2, 3]]


def test_flow_with_sample_weight_and_extra_inputs():
    x, extra = _images(6), np.arange(6) * 10
    iterator = ImageDataGenerator().flow(
        (x, extra), np.arange(6), sample_weight=np.ones(6), batch_size=3, shuffle=False
    )
    (images, passed), y, weights = iterator[1]
    assert images.shape == (3, 6, 6, 3) and passed.tolist() == [30, 40, 50]
    assert weights.tolist() == [1.0, 1.0, 1.0]
    assert ImageDataGenerator().flow(x, batch_size=6)[0].shape == (6, 6, 6, 3)


def test_flow_seed_repeats_augmentation():
    generator = ImageDataGenerator(
        rotation_range=40, zoom_range=0.3, horizontal_flip=True
    )
    first = generator.flow(_images(), batch_size=5, seed=3)[0]
    second = generator.flow(_images(), batch_size=5, seed=3)[0]
    np.testing.assert_array_equal(first, second)


def test_flow_subsets_follow_validation_split():
    generator = ImageDataGenerator(validation_split=0.3)
    y = np.array([0, 1] * 5)
    validation = generator.flow(_images(), y, subset="validation", shuffle=False)
    training = generator.flow(_images(), y, subset="training", shuffle=False)
    assert validation.n == 3 and training.n == 7
    np.testing.assert_array_equal(validation[0][1], y[:3])


def test_flow_subset_rejects_classes_missing_from_a_part():
    generator = ImageDataGenerator(validation_split=0.2)
    sorted_labels = np.array([0] * 8 + [1] * 2)
    with pytest.raises(ValueError, match="different classes"):
        generator.flow(_images(), sorted_labels, subset="training")
    generator.flow(_images(), sorted_labels, subset="training", ignore_class_split=True)
    with pytest.raises(ValueError, match="subset='training' or 'validation'"):
        generator.flow(_images(), subset="test")


def test_flow_rejects_three_dimensional_input():
    with pytest.raises(ValueError, match=r"\(samples, height, width, channels\)"):
        ImageDataGenerator().flow(np.zeros((10, 28, 28)))
    with pytest.raises(ValueError, match=r"\(samples, channels, height, width\)"):
        ImageDataGenerator(data_format="channels_first").flow(np.zeros((10, 28, 28)))


def test_flow_warns_about_unusual_channel_counts_and_lengths():
    with pytest.warns(UserWarning, match="1, 3 or 4 channels"):
        ImageDataGenerator().flow(np.zeros((2, 4, 4, 5)))
    with pytest.raises(ValueError, match="one target per image"):
        ImageDataGenerator().flow(_images(4), np.arange(3))
    with pytest.raises(ValueError, match="one weight per image"):
        ImageDataGenerator().flow(_images(4), np.arange(4), sample_weight=np.ones(2))
    with pytest.raises(IndexError, match="has 1 batches"):
        ImageDataGenerator().flow(_images(4))[1]


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"zoom_range": (1, 2, 3)}, "zoom_range"),
        ({"fill_mode": "mirrored"}, "fill_mode='mirrored'"),
        ({"validation_split": 1.5}, "validation_split"),
        ({"brightness_range": 0.5}, "brightness_range"),
        ({"data_format": "channels_middle"}, "data_format"),
    ],
)
def test_generator_rejects_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        ImageDataGenerator(**arguments)


def test_generator_turns_on_implied_centering():
    with pytest.warns(UserWarning, match="implies featurewise_center"):
        generator = ImageDataGenerator(featurewise_std_normalization=True)
    assert generator.featurewise_center
    with pytest.warns(UserWarning):
        generator = ImageDataGenerator(
            zca_whitening=True, featurewise_std_normalization=True
        )
    assert generator.featurewise_center and not generator.featurewise_std_normalization
    with pytest.warns(UserWarning, match="implies samplewise_center"):
        assert ImageDataGenerator(samplewise_std_normalization=True).samplewise_center


def test_standardize_warns_before_fit_and_normalises_after():
    generator = ImageDataGenerator(featurewise_center=True)
    with pytest.warns(UserWarning, match="has not been fit"):
        generator.standardize(np.ones((2, 2, 1)))
    data = _images(8, (4, 4, 3))
    generator.fit(data)
    centred = np.stack([generator.standardize(x.copy()) for x in data])
    np.testing.assert_allclose(centred.mean(axis=(0, 1, 2)), 0, atol=1e-6)
    with pytest.raises(ValueError, match="rank 4"):
        generator.fit(np.zeros((4, 4, 2)))


def test_standardize_applies_preprocessing_function_and_rescale_in_order():
    generator = ImageDataGenerator(preprocessing_function=lambda x: x + 1, rescale=2.0)
    np.testing.assert_array_equal(generator.standardize(np.zeros((1, 1, 1))), [[[2.0]]])


def test_get_random_transform_is_seeded_and_complete():
    generator = ImageDataGenerator(
        rotation_range=10, width_shift_range=0.1, height_shift_range=2,
        shear_range=5, zoom_range=0.2, channel_shift_range=3.0,
        brightness_range=(0.9, 1.1), horizontal_flip=True, vertical_flip=True,
    )  # fmt: skip
    first = generator.get_random_transform((8, 8, 3), seed=1)
    assert first == generator.get_random_transform((8, 8, 3), seed=1)
    assert set(first) == {
        "theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal",
        "flip_vertical", "channel_shift_intensity", "brightness",
    }  # fmt: skip
    assert abs(first["ty"]) <= 0.8 and first["tx"] in (-1, 0, 1)


def test_apply_transform_channels_first_equals_channels_last():
    x = _images(1, (5, 6, 3))[0] * 255
    params = {"theta": 15, "tx": 1, "zy": 1.2, "flip_vertical": True, "brightness": 0.8}
    last = ImageDataGenerator().apply_transform(x, params)
    first = ImageDataGenerator(data_format="channels_first").apply_transform(
        x.transpose(2, 0, 1), params
    )
    np.testing.assert_allclose(first, last.transpose(2, 0, 1), atol=1e-4)


def test_apply_affine_transform_rejects_bad_axes():
    with pytest.raises(ValueError, match="0, 1 and 2"):
        image.apply_affine_transform(np.zeros((3, 3, 1)), theta=10, row_axis=3)
    with pytest.raises(ValueError, match="channels on axis 0 or 2"):
        image.apply_affine_transform(np.zeros((3, 3, 1)), 10, 0, 0, 0, 1, 1, 0, 2, 1)
    with pytest.raises(ValueError, match="rank 3"):
        image.apply_affine_transform(np.zeros((3, 3)), theta=10)


def test_flow_from_directory_lists_classes_and_loads(tree):
    generator = ImageDataGenerator(rescale=1 / 255)
    iterator = generator.flow_from_directory(tree, target_size=(5, 7), shuffle=False)
    assert isinstance(iterator, DirectoryIterator)
    assert iterator.class_indices == {"cat": 0, "dog": 1}
    assert iterator.filenames == [os.path.join(*p) for p in [
        ("cat", "0.png"), ("cat", "1.png"), ("cat", "2.png"), ("dog", "0.png"),
        ("dog", "1.png"),
    ]]  # fmt: skip
    x, y = iterator[0]
    assert x.shape == (5, 5, 7, 3) and y.shape == (5, 2)
    np.testing.assert_allclose(x[:, 0, 0, 0] * 255, [0, 40, 80, 100, 140], atol=1e-4)
    np.testing.assert_array_equal(y.argmax(axis=1), [0, 0, 0, 1, 1])


def test_flow_from_directory_class_modes_and_subsets(tree):
    generator = ImageDataGenerator(validation_split=0.5, data_format="channels_first")
    sparse = generator.flow_from_directory(
        tree, target_size=(2, 3), class_mode="sparse", color_mode="grayscale",
        subset="validation", shuffle=False,
    )  # fmt: skip
    x, y = sparse[0]
    assert x.shape == (2, 1, 2, 3) and y.tolist() == [0.0, 1.0]
    binary = generator.flow_from_directory(tree, (2, 3), class_mode="binary")
    assert binary[0][1].ndim == 1
    assert generator.flow_from_directory(tree, (2, 3), class_mode=None)[0].ndim == 4
    autoencoder = generator.flow_from_directory(tree, (2, 3), class_mode="input")
    x, y = autoencoder[0]
    np.testing.assert_array_equal(x, y)


def test_flow_from_directory_errors(tree):
    with pytest.raises(ValueError, match="class_mode"):
        ImageDataGenerator().flow_from_directory(tree, class_mode="onehot")
    with pytest.raises(ValueError, match="color_mode"):
        ImageDataGenerator().flow_from_directory(tree, color_mode="cmyk")
    with pytest.raises(FileNotFoundError, match="no folder"):
        ImageDataGenerator().flow_from_directory(tree / "missing")
    with pytest.raises(ValueError, match="subset"):
        ImageDataGenerator(validation_split=0.5).flow_from_directory(
            tree, subset="test"
        )


def test_flow_from_directory_saves_augmented_images(tree, tmp_path_factory):
    target = tmp_path_factory.mktemp("augmented")
    iterator = ImageDataGenerator(rotation_range=30).flow_from_directory(
        tree, (4, 4), batch_size=2, save_to_dir=str(target), save_prefix="aug"
    )
    iterator[0]
    saved = os.listdir(target)
    assert len(saved) == 2 and all(name.startswith("aug_") for name in saved)


def test_flow_from_dataframe_labels_and_errors(tree):
    pandas = pytest.importorskip("pandas")
    table = pandas.DataFrame(
        {
            "filename": ["cat/0.png", "dog/1.png", "dog/0.png"],
            "class": ["cat", "dog", "dog"],
        }
    )
    iterator = ImageDataGenerator().flow_from_dataframe(
        table, str(tree), target_size=(2, 2), class_mode="sparse", shuffle=False
    )
    assert isinstance(iterator, DataFrameIterator)
    assert iterator.classes == [0, 1, 1] and iterator[0][1].tolist() == [0.0, 1.0, 1.0]
    with pytest.raises(KeyError, match="no column 'label'"):
        ImageDataGenerator().flow_from_dataframe(table, str(tree), y_col="label")
    with pytest.raises(TypeError, match="y_col to be a list"):
        ImageDataGenerator().flow_from_dataframe(
            table, str(tree), class_mode="multi_output"
        )
    with pytest.raises(ValueError, match="exactly 2"):
        ImageDataGenerator().flow_from_dataframe(
            table.assign(**{"class": ["a", "b", "c"]}), str(tree), class_mode="binary"
        )
    with pytest.warns(DeprecationWarning, match="class_mode='raw'"):
        ImageDataGenerator().flow_from_dataframe(
            table.assign(y=[1.0, 2.0, 3.0]), str(tree), y_col="y", class_mode="other"
        )
    with pytest.raises(TypeError, match="unexpected arguments"):
        ImageDataGenerator().flow_from_dataframe(table, str(tree), shuffle_files=True)


def test_random_functions_keep_the_shape():
    x = _images(1, (3, 6, 5))[0]
    for transformed in (
        image.random_rotation(x, 20),
        image.random_shift(x, 0.1, 0.1),
        image.random_shear(x, 10),
        image.random_zoom(x, (0.9, 1.1)),
        image.random_channel_shift(x, 0.1),
    ):
        assert transformed.shape == x.shape
    with pytest.raises(ValueError, match="zoom_range"):
        image.random_zoom(x, (0.9,))


def test_model_trains_on_flow():
    lamina.utils.set_random_seed(0)
    x = _images(32, (8, 8, 1))
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
    model = lamina.Sequential(
        [
            lamina.layers.Flatten(input_shape=(8, 8, 1)),
            lamina.layers.Dense(4, activation="relu"),
            lamina.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    generator = ImageDataGenerator(rotation_range=10, horizontal_flip=True)
    history = model.fit(generator.flow(x, y, batch_size=8), epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1
    assert np.isfinite(history.history["loss"][0])
