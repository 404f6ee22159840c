"""Image preprocessing layers give Keras's outputs, configs and files.

Deterministic layers are compared output to output. Random layers are
compared with the same transformation on both sides (Keras 3's
`get_random_transformation` / `transform_images`, whose transformation dicts
lamina shares key for key), in both directions; their random draws, which
come from different generators, are compared statistically.
"""

import json

import numpy as np
import pytest
import torch

import lamina.layers
from lamina.layers.preprocessing import image as image_layers
from lamina.models import load_model

_EXACT = 1e-5
_WARPED = 1e-4


def _images(shape, seed=0, scale=1.0):
    return np.random.default_rng(seed).random(shape, dtype="float32") * scale


def _layout(shape, data_format):
    batch, height, width, channels = shape
    if data_format == "channels_first":
        return (batch, channels, height, width)
    return shape


def _numpy(tensor):
    return tensor.detach().cpu().numpy()


def _clone(value):
    """A deep copy: Keras's torch affine_transform edits its transform in place."""
    if isinstance(value, dict):
        return {key: _clone(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_clone(item) for item in value)
    if isinstance(value, torch.Tensor):
        return value.clone()
    return value


# ------------------------------------------------------- deterministic layers
@pytest.mark.parametrize(
    ("scale", "offset", "dtype"),
    [
        (1 / 255, 0.0, "uint8"),
        (1 / 127.5, -1.0, "float32"),
        ([0.5, 1.0, 2.0], [0.0, -1.0, 1.0], "float32"),
    ],
)
def test_rescaling_matches_keras(keras, scale, offset, dtype):
    data = (_images((2, 4, 5, 3), scale=255.0)).astype(dtype)
    expected = keras.layers.Rescaling(scale, offset)(data)
    actual = image_layers.Rescaling(scale, offset)(torch.as_tensor(data))
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_EXACT)


_RESIZE_MODES = [
    {},
    {"crop_to_aspect_ratio": True},
    {"pad_to_aspect_ratio": True, "fill_value": 0.25},
]


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("mode", _RESIZE_MODES, ids=["stretch", "crop", "pad"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("size", [(4, 7), (13, 6)], ids=["down", "up"])
def test_resizing_matches_keras(keras, interpolation, mode, data_format, size):
    data = _images(_layout((2, 9, 10, 3), data_format))
    kwargs = {"interpolation": interpolation, "data_format": data_format, **mode}
    expected = keras.layers.Resizing(*size, **kwargs)(data)
    actual = image_layers.Resizing(*size, **kwargs)(torch.as_tensor(data))
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_EXACT)


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
def test_resizing_antialias_and_integers_match_keras(keras, interpolation):
    data = (_images((2, 17, 15, 3), scale=255.0)).astype("uint8")
    kwargs = {"interpolation": interpolation, "antialias": True}
    expected = keras.layers.Resizing(5, 6, **kwargs)(data)
    actual = image_layers.Resizing(5, 6, **kwargs)(torch.as_tensor(data))
    assert actual.dtype == torch.uint8
    np.testing.assert_array_equal(_numpy(actual), _numpy(expected))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("shape", [(2, 9, 10, 3), (2, 3, 10, 3), (1, 4, 4, 1)])
def test_center_crop_matches_keras(keras, data_format, shape):
    data = _images(_layout(shape, data_format))
    expected = keras.layers.CenterCrop(4, 5, data_format=data_format)(data)
    actual = image_layers.CenterCrop(4, 5, data_format=data_format)(
        torch.as_tensor(data)
    )
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_EXACT)


# ------------------------------------------- random layers, same transformation
_GEOMETRIC = [
    ("RandomRotation", {"factor": 0.3}),
    ("RandomZoom", {"height_factor": 0.4, "width_factor": (-0.3, 0.5)}),
    ("RandomTranslation", {"height_factor": 0.4, "width_factor": (-0.3, 0.5)}),
    ("RandomShear", {"x_factor": 0.4, "y_factor": (0.1, 0.5)}),
]
_OTHER_RANDOM = [
    ("RandomFlip", {"mode": "horizontal"}, 1.0),
    ("RandomFlip", {"mode": "vertical"}, 1.0),
    ("RandomFlip", {}, 1.0),
    ("RandomCrop", {"height": 5, "width": 6}, 1.0),
    ("RandomCrop", {"height": 12, "width": 6}, 1.0),
    ("RandomContrast", {"factor": (0.5, 0.5), "value_range": (0, 1)}, 1.0),
    ("RandomContrast", {"factor": 0.8}, 255.0),
    ("RandomBrightness", {"factor": 0.5, "value_range": (0, 1)}, 1.0),
    ("RandomGrayscale", {"factor": 0.5}, 1.0),
    ("RandomHue", {"factor": 0.8, "value_range": (0, 1)}, 1.0),
    ("RandomHue", {"factor": 0.8}, 255.0),
    ("RandomSaturation", {"factor": (0.2, 0.9), "value_range": (0, 1)}, 1.0),
    ("RandomSaturation", {"factor": 0.7}, 255.0),
]


def _same_transformation_both_ways(keras, name, kwargs, data, data_format):
    """Keras's draw replayed by lamina, then lamina's draw replayed by Keras."""
    theirs = getattr(keras.layers, name)(**kwargs, data_format=data_format)
    ours = getattr(image_layers, name)(**kwargs, data_format=data_format)
    images = torch.as_tensor(data)
    for source in (theirs, ours):
        transformation = source.get_random_transformation(images, training=True)
        expected = theirs.transform_images(
            images.clone(), _clone(transformation), training=True
        )
        actual = ours.transform_images(images, _clone(transformation), training=True)
        assert tuple(actual.shape) == tuple(expected.shape)
        np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_WARPED)


@pytest.mark.parametrize(("name", "kwargs"), _GEOMETRIC, ids=[c[0] for c in _GEOMETRIC])
@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_geometric_layer_with_fixed_transformation_matches_keras(
    keras, name, kwargs, fill_mode, interpolation, data_format
):
    kwargs = {
        **kwargs,
        "fill_mode": fill_mode,
        "interpolation": interpolation,
        "fill_value": 0.5,
    }
    data = _images(_layout((4, 9, 11, 3), data_format))
    _same_transformation_both_ways(keras, name, kwargs, data, data_format)


@pytest.mark.parametrize(
    ("name", "kwargs", "scale"),
    _OTHER_RANDOM,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(_OTHER_RANDOM)],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_layer_with_fixed_transformation_matches_keras(
    keras, name, kwargs, scale, data_format
):
    data = _images(_layout((4, 9, 11, 3), data_format), scale=scale)
    _same_transformation_both_ways(keras, name, kwargs, data, data_format)


def test_single_image_with_fixed_rotation_matches_keras(keras):
    theirs = keras.layers.RandomRotation(0.3)
    ours = image_layers.RandomRotation(0.3)
    image = torch.as_tensor(_images((9, 11, 3)))
    transformation = theirs.get_random_transformation(image, training=True)
    expected = theirs.transform_images(image[None], _clone(transformation))[0]
    actual = ours.transform_images(image, _clone(transformation))
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_WARPED)


# ----------------------------------------------- inference and random draws
_INFERENCE_IDENTITY = [
    ("RandomFlip", {}),
    ("RandomRotation", {"factor": 0.2}),
    ("RandomZoom", {"height_factor": 0.2}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.1}),
    ("RandomShear", {"x_factor": 0.2}),
    ("RandomContrast", {"factor": 0.2}),
    ("RandomBrightness", {"factor": 0.2}),
    ("RandomGrayscale", {}),
    ("RandomHue", {"factor": 0.2}),
    ("RandomSaturation", {"factor": 0.2}),
]


@pytest.mark.parametrize(
    ("name", "kwargs"), _INFERENCE_IDENTITY, ids=[c[0] for c in _INFERENCE_IDENTITY]
)
def test_random_layer_outside_training_matches_keras(keras, name, kwargs):
    data = _images((3, 6, 7, 3), scale=255.0)
    expected = getattr(keras.layers, name)(**kwargs)(data, training=False)
    actual = getattr(image_layers, name)(**kwargs)(
        torch.as_tensor(data), training=False
    )
    np.testing.assert_array_equal(_numpy(actual), _numpy(expected))
    np.testing.assert_array_equal(_numpy(actual), data)


def test_random_flip_rate_matches_keras(keras):
    images = torch.arange(2.0).reshape(1, 1, 2, 1).expand(4000, 1, 2, 1)
    rates = [
        float(
            (torch.as_tensor(_numpy(layer(images)))[:, 0, 0, 0] == 1.0).float().mean()
        )
        for layer in (
            keras.layers.RandomFlip("horizontal"),
            image_layers.RandomFlip("horizontal"),
        )
    ]
    assert abs(rates[0] - 0.5) < 0.04 and abs(rates[1] - 0.5) < 0.04


_DRAWS = [
    ("RandomRotation", {"factor": (-0.1, 0.2)}, "angle"),
    ("RandomZoom", {"height_factor": (-0.2, 0.3)}, "height_zoom"),
    (
        "RandomTranslation",
        {"height_factor": 0.0, "width_factor": (-0.3, 0.1)},
        "translations",
    ),
    ("RandomShear", {"x_factor": (0.1, 0.3)}, "shear_factor"),
    ("RandomContrast", {"factor": (0.2, 0.4)}, "contrast_factor"),
    ("RandomBrightness", {"factor": (-0.1, 0.3)}, "rgb_delta"),
    ("RandomHue", {"factor": (0.2, 0.6)}, "factor"),
    ("RandomSaturation", {"factor": (0.1, 0.8)}, "factor"),
]


@pytest.mark.parametrize(("name", "kwargs", "key"), _DRAWS, ids=[c[0] for c in _DRAWS])
def test_random_draws_follow_keras_distribution(keras, name, kwargs, key):
    images = torch.zeros(4000, 10, 20, 3)
    summaries = []
    for layer in (
        getattr(keras.layers, name)(**kwargs),
        getattr(image_layers, name)(**kwargs),
    ):
        draws = _numpy(torch.as_tensor(layer.get_random_transformation(images)[key]))
        draws = np.abs(draws) if name == "RandomHue" else draws  # random sign
        summaries.append(
            np.array([draws.min(), draws.max(), draws.mean(), draws.std()])
        )
    spread = max(summaries[0][1] - summaries[0][0], 1e-6)
    np.testing.assert_allclose(summaries[1], summaries[0], atol=0.05 * spread)


def test_random_grayscale_rate_matches_keras(keras):
    images = torch.zeros(4000, 1, 1, 3)
    rates = [
        float(torch.as_tensor(layer.get_random_transformation(images)).float().mean())
        for layer in (
            keras.layers.RandomGrayscale(0.3),
            image_layers.RandomGrayscale(0.3),
        )
    ]
    assert abs(rates[0] - rates[1]) < 0.05


# ------------------------------------------------------------------- configs
_CONFIGS = [
    ("Rescaling", {"scale": 1 / 255}),
    ("Rescaling", {"scale": [1.0, 2.0, 3.0], "offset": (0.0, 1.0, 2.0)}),
    ("Resizing", {"height": 4, "width": 5}),
    (
        "Resizing",
        {
            "height": 4,
            "width": 5,
            "interpolation": "bicubic",
            "pad_to_aspect_ratio": True,
        },
    ),
    ("CenterCrop", {"height": 3, "width": 3, "data_format": "channels_first"}),
    ("RandomCrop", {"height": 3, "width": 3, "seed": 1}),
    ("RandomFlip", {}),
    ("RandomFlip", {"mode": "vertical", "seed": 5}),
    ("RandomRotation", {"factor": 0.2}),
    (
        "RandomRotation",
        {"factor": (-0.1, 0.3), "fill_mode": "constant", "fill_value": 1.0},
    ),
    ("RandomZoom", {"height_factor": 0.2}),
    ("RandomZoom", {"height_factor": (-0.2, 0.3), "width_factor": (0.1, 0.2)}),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": (0.2, -0.1)}),
    (
        "RandomShear",
        {"x_factor": (0.1, 0.3), "y_factor": 0.3, "interpolation": "nearest"},
    ),
    ("RandomContrast", {"factor": 0.2}),
    ("RandomContrast", {"factor": (0.1, 0.3), "value_range": (0, 1), "seed": 3}),
    ("RandomBrightness", {"factor": 0.2}),
    ("RandomBrightness", {"factor": (0.1, -0.2), "value_range": (1, 0)}),
    ("RandomGrayscale", {}),
    ("RandomGrayscale", {"factor": 0.2, "seed": 4}),
    ("RandomHue", {"factor": 0.2}),
    ("RandomSaturation", {"factor": 0.5, "value_range": (0, 1)}),
]


@pytest.mark.parametrize(
    ("name", "kwargs"), _CONFIGS, ids=[f"{c[0]}-{i}" for i, c in enumerate(_CONFIGS)]
)
def test_config_matches_keras(keras, name, kwargs):
    expected = getattr(keras.layers, name)(**kwargs, name="layer").get_config()
    actual = getattr(image_layers, name)(**kwargs, name="layer").get_config()
    assert json.loads(json.dumps(actual)) == json.loads(json.dumps(expected))
    rebuilt = getattr(image_layers, name).from_config(json.loads(json.dumps(expected)))
    assert json.loads(json.dumps(rebuilt.get_config())) == json.loads(
        json.dumps(actual)
    )


def test_rescaling_numpy_config_matches_keras(keras):
    scale = np.array([0.5, 2.0], "float32")
    expected = keras.layers.Rescaling(scale, name="layer").get_config()
    actual = image_layers.Rescaling(scale, name="layer").get_config()
    assert json.loads(json.dumps(actual)) == json.loads(json.dumps(expected))


# --------------------------------------------------------------------- files
def _augmenting_cnn(library):
    layers = library.layers
    preprocessing = image_layers if library is lamina else layers
    return library.Sequential(
        [
            layers.Input((12, 12, 3)),
            preprocessing.Rescaling(1 / 255),
            preprocessing.RandomFlip(),
            preprocessing.RandomRotation(0.1),
            layers.Conv2D(4, 3),
        ]
    )


def test_keras_saved_augmenting_model_loads_in_lamina(keras, tmp_path):
    model = _augmenting_cnn(keras)
    path = str(tmp_path / "augment.keras")
    model.save(path)
    data = _images((5, 12, 12, 3), scale=255.0)
    expected = model.predict(data, verbose=0)
    restored = load_model(path)
    assert [type(layer).__name__ for layer in restored.layers] == [
        "Rescaling",
        "RandomFlip",
        "RandomRotation",
        "Conv2D",
    ]
    np.testing.assert_allclose(restored.predict(data, verbose=0), expected, atol=_EXACT)


def test_lamina_saved_augmenting_model_loads_in_keras(keras, tmp_path):
    model = _augmenting_cnn(lamina)
    path = str(tmp_path / "augment.keras")
    model.save(path)
    data = _images((5, 12, 12, 3), scale=255.0)
    expected = model.predict(data, verbose=0)
    restored = keras.models.load_model(path)
    assert list(restored.layers[2].get_config()["factor"]) == [-0.1, 0.1]
    np.testing.assert_allclose(restored.predict(data, verbose=0), expected, atol=_EXACT)
