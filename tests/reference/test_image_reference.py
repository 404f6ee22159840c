"""ImageDataGenerator, image files and image datasets vs real Keras."""

import io
import os

import numpy as np
import pytest
import torch

from lamina.preprocessing import image as lamina_image
from lamina.utils import image_dataset_from_directory
from lamina.utils import image_utils

PIL = pytest.importorskip("PIL.Image")
pytest.importorskip("scipy")

TRANSFORMS = [
    {"theta": 33.0},
    {"tx": 1.7},
    {"ty": -2.4},
    {"shear": 21.0},
    {"zx": 0.8},
    {"zy": 1.3},
    {"flip_horizontal": True},
    {"flip_vertical": True},
    {"channel_shift_intensity": 40.0},
    {"brightness": 0.6},
    {"theta": -12.0, "tx": 1.0, "ty": 2.0, "shear": 7.0, "zx": 0.9, "zy": 1.1},
]


@pytest.fixture(scope="module")
def keras_image(keras):
    from keras.src.legacy.preprocessing import image

    return image


def _image(seed: int, shape=(7, 9, 3)) -> np.ndarray:
    return (np.random.default_rng(seed).random(shape) * 255).astype("float32")


def _write_tree(root, sizes=((6, 8), (9, 5))) -> None:
    """Two classes with nested folders, odd extensions and non-image files."""
    rng = np.random.default_rng(0)
    layout = {
        "dog": ["b.png", "a.PNG", "sub/c.png", "note.txt", "d.jpg"],
        "cat": ["z.png", "y.bmp", "deep/er/x.png"],
        "emu": [],
    }
    for label, names in layout.items():
        os.makedirs(root / label, exist_ok=True)
        for position, name in enumerate(names):
            path = root / label / name
            os.makedirs(path.parent, exist_ok=True)
            if name.endswith(".txt"):
                path.write_text("not an image")
                continue
            height, width = sizes[position % len(sizes)]
            pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
            PIL.fromarray(pixels).save(
                path, format=path.suffix[1:].upper().replace("JPG", "JPEG")
            )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("params", TRANSFORMS, ids=lambda p: "+".join(p))
def test_apply_transform_matches_keras(keras_image, params, data_format):
    x = _image(1)
    layout = x if data_format == "channels_last" else x.transpose(2, 0, 1)
    ours = lamina_image.ImageDataGenerator(data_format=data_format)
    result = ours.apply_transform(layout.copy(), params)
    if "brightness" in params and data_format == "channels_first":
        # Keras's brightness shift only handles channels-last images.
        expected = keras_image.ImageDataGenerator(data_format="channels_last")
        expected = expected.apply_transform(x.copy(), params).transpose(2, 0, 1)
    else:
        theirs = keras_image.ImageDataGenerator(data_format=data_format)
        expected = theirs.apply_transform(layout.copy(), params)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, atol=1e-4)


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "reflect", "wrap"])
@pytest.mark.parametrize("order", [0, 1, 3])
def test_apply_transform_fill_modes_and_orders_match_keras(
    keras_image, fill_mode, order
):
    x = _image(2, (8, 6, 1))
    params = {"theta": 25.0, "tx": 2.0, "zy": 0.7}
    settings = {"fill_mode": fill_mode, "cval": 17.0, "interpolation_order": order}
    result = lamina_image.ImageDataGenerator(**settings).apply_transform(x, params)
    expected = keras_image.ImageDataGenerator(**settings).apply_transform(x, params)
    np.testing.assert_allclose(result, expected, atol=1e-4)


AUGMENTING = {
    "rotation_range": 30,
    "width_shift_range": 0.2,
    "height_shift_range": [-2, 1, 3],
    "shear_range": 10,
    "zoom_range": (0.7, 1.2),
    "channel_shift_range": 20.0,
    "horizontal_flip": True,
    "vertical_flip": True,
    "brightness_range": (0.5, 1.5),
}


def test_seeded_random_transform_matches_keras(keras_image):
    x = _image(3)
    ours = lamina_image.ImageDataGenerator(**AUGMENTING)
    theirs = keras_image.ImageDataGenerator(**AUGMENTING)
    for seed in (0, 7, 123):
        assert ours.get_random_transform(x.shape, seed) == theirs.get_random_transform(
            x.shape, seed
        )
        np.testing.assert_allclose(
            ours.random_transform(x.copy(), seed),
            theirs.random_transform(x.copy(), seed),
            atol=1e-4,
        )


def test_integer_shift_ranges_draw_as_keras(keras_image):
    settings = {"width_shift_range": 3, "height_shift_range": 2.5}
    ours = lamina_image.ImageDataGenerator(**settings)
    theirs = keras_image.ImageDataGenerator(**settings)
    for seed in range(5):
        assert ours.get_random_transform(
            (8, 8, 1), seed
        ) == theirs.get_random_transform((8, 8, 1), seed)


@pytest.mark.parametrize(
    "name, args",
    [
        ("random_rotation", (40,)),
        ("random_shift", (0.2, 0.3)),
        ("random_shear", (15,)),
        ("random_zoom", ((0.6, 1.4),)),
        ("random_channel_shift", (30.0,)),
    ],
)
def test_random_functions_match_keras(keras_image, name, args):
    x = _image(4, (3, 8, 7))  # channels first, the functions' default
    np.random.seed(5)
    result = getattr(lamina_image, name)(x.copy(), *args)
    np.random.seed(5)
    expected = getattr(keras_image, name)(x.copy(), *args)
    np.testing.assert_allclose(result, expected, atol=1e-4)


def test_random_brightness_matches_keras(keras_image):
    x = _image(6)
    np.random.seed(2)
    result = lamina_image.random_brightness(x, (0.4, 1.6))
    np.random.seed(2)
    np.testing.assert_allclose(result, keras_image.random_brightness(x, (0.4, 1.6)))


@pytest.mark.parametrize(
    "settings",
    [
        {"featurewise_center": True, "featurewise_std_normalization": True},
        {"samplewise_center": True, "samplewise_std_normalization": True},
        {"zca_whitening": True, "zca_epsilon": 1e-3},
        {"featurewise_center": True, "rescale": 1 / 255},
    ],
    ids=["featurewise", "samplewise", "zca", "rescale"],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.filterwarnings("ignore:.*implies featurewise_center")
@pytest.mark.filterwarnings("ignore:This ImageDataGenerator specifies")
def test_standardize_after_fit_matches_keras(keras_image, settings, data_format):
    data = np.random.default_rng(7).random((12, 4, 5, 3)).astype("float32") * 255
    if data_format == "channels_first":
        data = data.transpose(0, 3, 1, 2)
    ours = lamina_image.ImageDataGenerator(data_format=data_format, **settings)
    theirs = keras_image.ImageDataGenerator(data_format=data_format, **settings)
    ours.fit(data)
    theirs.fit(data)
    for name in ("mean", "std", "zca_whitening_matrix"):
        if getattr(theirs, name) is None:
            assert getattr(ours, name) is None
        else:
            np.testing.assert_allclose(
                getattr(ours, name), getattr(theirs, name), rtol=1e-5
            )
    np.testing.assert_allclose(
        ours.standardize(data[:3].copy()),
        theirs.standardize(data[:3].copy()),
        rtol=1e-4,
        atol=1e-4,
    )


def test_fit_with_augmentation_matches_keras(keras_image):
    data = np.random.default_rng(8).random((5, 6, 6, 1)).astype("float32")
    settings = {"featurewise_center": True, "rotation_range": 20, "zoom_range": 0.1}
    ours = lamina_image.ImageDataGenerator(**settings)
    theirs = keras_image.ImageDataGenerator(**settings)
    ours.fit(data, augment=True, rounds=2, seed=3)
    theirs.fit(data, augment=True, rounds=2, seed=3)
    np.testing.assert_allclose(ours.mean, theirs.mean, rtol=1e-5)


def test_flow_batches_match_keras(keras_image):
    x = np.random.default_rng(9).random((10, 6, 5, 3)).astype("float32") * 255
    y = np.arange(10)
    settings = {**AUGMENTING, "rescale": 1 / 255, "samplewise_center": True}
    ours = lamina_image.ImageDataGenerator(**settings).flow(x, y, batch_size=4, seed=11)
    theirs = keras_image.ImageDataGenerator(**settings).flow(
        x, y, batch_size=4, seed=11
    )
    assert len(ours) == len(theirs) == 3
    for index in (0, 2, 1):
        (our_x, our_y), (their_x, their_y) = ours[index], theirs[index]
        np.testing.assert_array_equal(our_y, their_y)
        np.testing.assert_allclose(our_x, their_x, atol=1e-4)
    for _ in range(4):
        (our_x, our_y), (their_x, their_y) = next(ours), next(theirs)
        np.testing.assert_array_equal(our_y, their_y)
        np.testing.assert_allclose(our_x, their_x, atol=1e-4)


@pytest.mark.parametrize("subset", [None, "training", "validation"])
@pytest.mark.parametrize("classes", [None, ["emu", "dog", "cat"]])
def test_flow_from_directory_matches_keras(keras_image, tmp_path, subset, classes):
    _write_tree(tmp_path)
    arguments = {"target_size": (4, 5), "classes": classes, "subset": subset}
    ours = lamina_image.ImageDataGenerator(validation_split=0.4)
    theirs = keras_image.ImageDataGenerator(validation_split=0.4)
    our_iterator = ours.flow_from_directory(tmp_path, **arguments)
    their_iterator = theirs.flow_from_directory(str(tmp_path), **arguments)
    assert our_iterator.class_indices == their_iterator.class_indices
    assert our_iterator.filenames == their_iterator.filenames
    assert our_iterator.filepaths == their_iterator.filepaths
    np.testing.assert_array_equal(our_iterator.classes, their_iterator.classes)
    assert our_iterator.classes.dtype == their_iterator.classes.dtype
    assert len(our_iterator) == len(their_iterator)


@pytest.mark.parametrize("class_mode", ["categorical", "sparse", "input", None])
@pytest.mark.parametrize("color_mode", ["rgb", "grayscale", "rgba"])
def test_flow_from_directory_batches_match_keras(
    keras_image, tmp_path, class_mode, color_mode
):
    _write_tree(tmp_path)
    arguments = {
        "target_size": (5, 4),
        "class_mode": class_mode,
        "color_mode": color_mode,
        "batch_size": 3,
        "seed": 4,
        "interpolation": "bilinear",
    }
    settings = {"rotation_range": 15, "horizontal_flip": True, "rescale": 1 / 255}
    ours = lamina_image.ImageDataGenerator(**settings).flow_from_directory(
        tmp_path, **arguments
    )
    theirs = keras_image.ImageDataGenerator(**settings).flow_from_directory(
        str(tmp_path), **arguments
    )
    for index in range(len(theirs)):
        our_batch, their_batch = ours[index], theirs[index]
        if class_mode is None:
            our_batch, their_batch = (our_batch,), (their_batch,)
        for our_part, their_part in zip(our_batch, their_batch, strict=True):
            np.testing.assert_allclose(our_part, their_part, atol=1e-4)


def test_flow_from_dataframe_matches_keras(keras_image, tmp_path):
    pandas = pytest.importorskip("pandas")
    _write_tree(tmp_path)
    table = pandas.DataFrame(
        {
            "filename": [
                "dog/b.png",
                "cat/z.png",
                "dog/a.PNG",
                "missing.png",
                "cat/y.bmp",
            ],
            "class": ["dog", "cat", "dog", "cat", "bird"],
            "score": [0.5, 1.5, 2.5, 3.5, 4.5],
            "weight": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    for class_mode, extra in [
        ("categorical", {"weight_col": "weight"}),
        ("sparse", {"classes": ["dog", "cat"]}),
        ("binary", {"classes": ["cat", "dog"]}),
        ("raw", {"y_col": "score"}),
        ("multi_output", {"y_col": ["score", "weight"]}),
        (None, {}),
    ]:
        arguments = {
            "directory": str(tmp_path),
            "target_size": (3, 3),
            "class_mode": class_mode,
            "batch_size": 2,
            "shuffle": False,
            **extra,
        }
        with pytest.warns(UserWarning, match="invalid image filename"):
            ours = lamina_image.ImageDataGenerator().flow_from_dataframe(
                table, **arguments
            )
        with pytest.warns(UserWarning):
            theirs = keras_image.ImageDataGenerator().flow_from_dataframe(
                table, **arguments
            )
        assert ours.filenames == theirs.filenames
        assert ours.filepaths == theirs.filepaths
        if class_mode in ("categorical", "sparse", "binary"):
            assert ours.class_indices == theirs.class_indices
            assert ours.classes == theirs.classes
        our_x, *our_rest = _as_tuple(ours[0])
        their_x, *their_rest = _as_tuple(theirs[0])
        np.testing.assert_allclose(our_x, their_x)
        for our_part, their_part in zip(our_rest, their_rest, strict=True):
            np.testing.assert_allclose(np.asarray(our_part), np.asarray(their_part))


def _as_tuple(batch):
    return batch if isinstance(batch, tuple) else (batch,)


@pytest.mark.parametrize("color_mode", ["grayscale", "rgb", "rgba"])
@pytest.mark.parametrize(
    "interpolation", ["nearest", "bilinear", "bicubic", "hamming", "box", "lanczos"]
)
def test_load_img_matches_keras(keras, tmp_path, color_mode, interpolation):
    from keras.src.utils import image_utils as keras_image_utils

    pixels = np.random.default_rng(10).integers(0, 256, (9, 13, 4), dtype=np.uint8)
    path = tmp_path / "image.png"
    PIL.fromarray(pixels, "RGBA").save(path)
    for target_size, keep in [
        (None, False),
        ((5, 4), False),
        ((5, 4), True),
        ((12, 20), True),
    ]:
        arguments = {
            "color_mode": color_mode,
            "target_size": target_size,
            "interpolation": interpolation,
            "keep_aspect_ratio": keep,
        }
        ours = image_utils.load_img(str(path), **arguments)
        theirs = keras_image_utils.load_img(str(path), **arguments)
        assert ours.mode == theirs.mode and ours.size == theirs.size
        for data_format in ("channels_last", "channels_first"):
            np.testing.assert_array_equal(
                image_utils.img_to_array(ours, data_format),
                keras_image_utils.img_to_array(theirs, data_format),
            )


@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("scale", [True, False])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_array_to_img_and_save_img_match_keras(keras, channels, scale, data_format):
    from keras.src.utils import image_utils as keras_image_utils

    x = np.random.default_rng(11).random((5, 6, channels)) * 200
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    ours = image_utils.array_to_img(x, data_format, scale=scale)
    theirs = keras_image_utils.array_to_img(x, data_format, scale=scale)
    assert ours.mode == theirs.mode
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    our_file, their_file = io.BytesIO(), io.BytesIO()
    image_utils.save_img(our_file, x, data_format, file_format="png", scale=scale)
    keras_image_utils.save_img(
        their_file, x, data_format, file_format="png", scale=scale
    )
    assert our_file.getvalue() == their_file.getvalue()


def test_grayscale_above_255_matches_keras(keras):
    from keras.src.utils import image_utils as keras_image_utils

    x = np.arange(12.0).reshape(3, 4, 1) * 100
    ours = image_utils.array_to_img(x, scale=False)
    theirs = keras_image_utils.array_to_img(x, scale=False)
    assert ours.mode == theirs.mode == "I"
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("shape", [(9, 14, 3), (2, 11, 6, 1)])
def test_smart_resize_matches_keras(keras, interpolation, shape):
    from keras.src.utils import image_utils as keras_image_utils

    x = np.random.default_rng(12).random(shape).astype("float32") * 255
    result = image_utils.smart_resize(x, (5, 5), interpolation=interpolation)
    expected = keras_image_utils.smart_resize(x, (5, 5), interpolation=interpolation)
    assert isinstance(result, np.ndarray)
    np.testing.assert_allclose(result, expected, atol=1e-3)


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("labels", ["inferred", None])
def test_image_dataset_files_match_keras_index(keras, tmp_path, shuffle, labels):
    from keras.src.utils import dataset_utils
    from keras.src.utils.image_dataset_utils import ALLOWLIST_FORMATS

    _write_tree(tmp_path)
    dataset = image_dataset_from_directory(
        tmp_path,
        labels=labels,
        image_size=(4, 4),
        shuffle=shuffle,
        seed=3,
        verbose=False,
    )
    paths, expected_labels, class_names = dataset_utils.index_directory(
        str(tmp_path), labels, ALLOWLIST_FORMATS, shuffle=shuffle, seed=3, verbose=False
    )
    assert dataset.file_paths == paths
    assert dataset.class_names == class_names
    if labels is not None:
        np.testing.assert_array_equal(dataset.labels, expected_labels)


def test_image_dataset_validation_split_matches_keras(keras, tmp_path):
    from keras.src.utils import dataset_utils
    from keras.src.utils.image_dataset_utils import ALLOWLIST_FORMATS

    _write_tree(tmp_path)
    train, validation = image_dataset_from_directory(
        tmp_path,
        image_size=(4, 4),
        seed=5,
        validation_split=0.3,
        subset="both",
        verbose=False,
    )
    paths, labels, _ = dataset_utils.index_directory(
        str(tmp_path), "inferred", ALLOWLIST_FORMATS, seed=5, verbose=False
    )
    expected_train = dataset_utils.get_training_or_validation_split(
        paths, labels, 0.3, "training"
    )
    expected_validation = dataset_utils.get_training_or_validation_split(
        paths, labels, 0.3, "validation"
    )
    assert train.file_paths == expected_train[0]
    assert validation.file_paths == expected_validation[0]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"crop_to_aspect_ratio": True},
        {"pad_to_aspect_ratio": True},
        {"interpolation": "nearest"},
        {"interpolation": "bicubic", "data_format": "channels_first"},
        {"color_mode": "grayscale"},
        {"color_mode": "rgba", "crop_to_aspect_ratio": True},
    ],
)
def test_image_dataset_pixels_match_keras_loader(keras, tmp_path, options):
    from keras.src.utils.image_dataset_utils import _load_image_grain

    _write_tree(tmp_path)
    settings = {"interpolation": "bilinear", "data_format": "channels_last", **options}
    color_mode = settings.pop("color_mode", "rgb")
    channels = {"grayscale": 1, "rgb": 3, "rgba": 4}[color_mode]
    dataset = image_dataset_from_directory(
        tmp_path, image_size=(5, 7), shuffle=False, color_mode=color_mode,
        batch_size=3, verbose=False, **settings,
    )  # fmt: skip
    images = torch.cat([batch for batch, _ in dataset])
    assert images.dtype == torch.float32
    for image, path in zip(images, dataset.file_paths, strict=True):
        expected = _load_image_grain(
            path, (5, 7), channels, settings["interpolation"], settings["data_format"],
            settings.get("crop_to_aspect_ratio", False),
            settings.get("pad_to_aspect_ratio", False),
        )  # fmt: skip
        np.testing.assert_allclose(image.numpy(), np.asarray(expected.cpu()), atol=1e-3)
