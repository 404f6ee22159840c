"""Image augmentation layers (RandomInvert, Solarization, ...) match Keras.

Random layers are compared with one transformation applied on both sides:
Keras's `get_random_transformation` replayed by lamina's `transform_images`,
then lamina's draw replayed by Keras. Deterministic layers are compared
output to output; configs key for key.
"""

import json
import random

import numpy as np
import pytest
import torch

from lamina.layers.preprocessing.image.aug_mix import AugMix
from lamina.layers.preprocessing.image.auto_contrast import AutoContrast
from lamina.layers.preprocessing.image.contrast_limited_adaptive_histogram_equalization import (  # noqa: E501
    ContrastLimitedAdaptiveHistogramEqualization,
)
from lamina.layers.preprocessing.image.cut_mix import CutMix
from lamina.layers.preprocessing.image.equalization import Equalization
from lamina.layers.preprocessing.image.mix_up import MixUp
from lamina.layers.preprocessing.image.rand_augment import RandAugment
from lamina.layers.preprocessing.image.random_color_degeneration import (
    RandomColorDegeneration,
)
from lamina.layers.preprocessing.image.random_color_jitter import RandomColorJitter
from lamina.layers.preprocessing.image.random_elastic_transform import (
    RandomElasticTransform,
)
from lamina.layers.preprocessing.image.random_erasing import RandomErasing
from lamina.layers.preprocessing.image.random_gaussian_blur import RandomGaussianBlur
from lamina.layers.preprocessing.image.random_invert import RandomInvert
from lamina.layers.preprocessing.image.random_perspective import RandomPerspective
from lamina.layers.preprocessing.image.random_posterization import RandomPosterization
from lamina.layers.preprocessing.image.random_sharpness import RandomSharpness
from lamina.layers.preprocessing.image.solarization import Solarization
from lamina.models import load_model

_RAND_AUGMENT_OPERATIONS = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
)
_EXACT = 1e-5
_SAME_DRAW = 1e-4

_LAYERS = {
    "AugMix": AugMix,
    "AutoContrast": AutoContrast,
    "ContrastLimitedAdaptiveHistogramEqualization": (
        ContrastLimitedAdaptiveHistogramEqualization
    ),
    "RandAugment": RandAugment,
    "RandomElasticTransform": RandomElasticTransform,
    "CutMix": CutMix,
    "Equalization": Equalization,
    "MixUp": MixUp,
    "RandomColorJitter": RandomColorJitter,
    "RandomErasing": RandomErasing,
    "RandomPerspective": RandomPerspective,
    "RandomColorDegeneration": RandomColorDegeneration,
    "RandomGaussianBlur": RandomGaussianBlur,
    "RandomInvert": RandomInvert,
    "RandomPosterization": RandomPosterization,
    "RandomSharpness": RandomSharpness,
    "Solarization": Solarization,
}


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
    if isinstance(value, list):
        return [_clone(item) for item in value]
    if isinstance(value, torch.Tensor):
        return value.clone()
    return value


def _assert_close_up_to_posterize_steps(actual, expected, atol):
    """All but a few pixels within `atol`.

    A chain that posterizes after a warp turns the warp's float rounding
    (1e-6) into whole posterization steps on the rare pixels at a step's
    edge, so at most 1% of the values may differ.
    """
    far = np.abs(_numpy(actual) - _numpy(expected)) > atol
    assert far.mean() <= 0.01, f"{far.sum()} of {far.size} values differ"


def _layer_pair(keras, name, kwargs):
    return getattr(keras.layers, name)(**kwargs), _LAYERS[name](**kwargs)


# ------------------------------------------- random layers, same transformation
_RANDOM = [
    ("RandomInvert", {"factor": 0.6, "value_range": (0, 1)}, 1.0),
    ("Solarization", {"addition_factor": 0.3, "threshold_factor": 0.7}, 255.0),
    (
        "Solarization",
        {"addition_factor": (0.1, 0.2), "threshold_factor": 0.5, "value_range": (0, 1)},
        1.0,
    ),
    ("RandomPosterization", {"factor": (2, 7)}, 255.0),
    ("RandomPosterization", {"factor": 3, "value_range": (0, 1)}, 1.0),
    ("RandomSharpness", {"factor": 0.9, "value_range": (0, 1)}, 1.0),
    ("RandomColorDegeneration", {"factor": 0.8}, 255.0),
    ("RandomGaussianBlur", {"factor": 0.7, "value_range": (0, 1)}, 1.0),
    (
        "RandomGaussianBlur",
        {"kernel_size": 5, "sigma": (0.3, 0.9), "value_range": (0, 1)},
        1.0,
    ),
    ("RandomErasing", {"factor": 0.8, "value_range": (0, 1)}, 1.0),
    ("RandomErasing", {"scale": (0.2, 0.6), "fill_value": 100.0}, 255.0),
    ("RandomErasing", {"scale": 0.5, "fill_value": [10, 20, 30]}, 255.0),
    ("RandomPerspective", {"factor": 0.8, "scale": 0.6}, 1.0),
    (
        "RandomPerspective",
        {"scale": 0.4, "interpolation": "nearest", "fill_value": 0.5},
        1.0,
    ),
    ("MixUp", {"alpha": 0.4}, 1.0),
    ("CutMix", {"factor": (0.3, 0.9)}, 1.0),
    ("AugMix", {"value_range": (0, 1), "seed": 1}, 1.0),
    ("AugMix", {"num_chains": 2, "chain_depth": 4, "all_ops": False}, 255.0),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "scale"),
    _RANDOM,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(_RANDOM)],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_layer_with_fixed_transformation_matches_keras(
    keras, name, kwargs, scale, data_format
):
    if name == "AugMix":
        if data_format == "channels_first":
            pytest.skip("Keras 3.15's AutoContrast mixes channels in channels_first")
        random.seed(7)  # which operations Keras picks (Python's random)
        torch.manual_seed(7)
    if isinstance(kwargs.get("fill_value"), list) and data_format == "channels_first":
        pytest.skip("Keras 3.15 puts a per-channel fill_value on the width axis")
    theirs, ours = _layer_pair(keras, name, {**kwargs, "data_format": data_format})
    shape = _layout((4, 9, 11, 3), data_format)
    images = torch.as_tensor(_images(shape, scale=scale))
    for source in (theirs, ours):
        transformation = source.get_random_transformation(images, training=True)
        expected = theirs.transform_images(images.clone(), _clone(transformation))
        actual = ours.transform_images(images, _clone(transformation))
        if name == "AugMix":
            _assert_close_up_to_posterize_steps(actual, expected, _SAME_DRAW * scale)
        else:
            np.testing.assert_allclose(
                _numpy(actual), _numpy(expected), atol=_SAME_DRAW * scale
            )


_RAND_AUGMENT = [
    ({"num_ops": 3, "factor": 0.7}, 255.0),
    ({"num_ops": 2, "value_range": (0, 1), "interpolation": "nearest"}, 1.0),
]


@pytest.mark.parametrize(("kwargs", "scale"), _RAND_AUGMENT)
@pytest.mark.parametrize("draw_seed", [0, 1, 2])
def test_rand_augment_with_fixed_transformation_matches_keras_operations(
    keras, kwargs, scale, draw_seed
):
    # Keras 3.15's RandAugment.transform_images cannot serve as the oracle:
    # its RandomBrightness shifts the images in place (so the shift leaks
    # whichever operation is drawn) and its affine operations edit their
    # transformation in place. The chosen operations are replayed one by one
    # with Keras's own layers instead, on copies.
    theirs, ours = _layer_pair(keras, "RandAugment", kwargs)
    images = torch.as_tensor(_images((4, 9, 11, 3), scale=scale))
    for source in (theirs, ours):
        torch.manual_seed(draw_seed)
        transformation = source.get_random_transformation(images, training=True)
        expected = images.clone()
        for index in transformation["layer_idxes"].tolist():
            name = _RAND_AUGMENT_OPERATIONS[index]
            expected = getattr(theirs, name).transform_images(
                expected.clone(), _clone(transformation["transforms"][name])
            )
        actual = ours.transform_images(images, _clone(transformation))
        _assert_close_up_to_posterize_steps(actual, expected, _SAME_DRAW * scale)


# ------------------------------------------------------ deterministic layers
@pytest.mark.parametrize("value_range", [(0, 255), (0, 1), (-1, 1)])
@pytest.mark.parametrize("training", [True, False])
def test_auto_contrast_matches_keras(keras, value_range, training):
    low, high = value_range
    data = _images((3, 6, 7, 3)) * 0.6 * (high - low) + low + 0.1 * (high - low)
    data[0, ..., 1] = low + 0.5 * (high - low)  # a flat channel is left as is
    expected = keras.layers.AutoContrast(value_range)(data, training=training)
    actual = AutoContrast(value_range)(torch.as_tensor(data), training=training)
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_EXACT)


def test_auto_contrast_channels_first_matches_keras_channels_last(keras):
    # Keras 3.15 reduces axes (1, 2) in both formats; lamina stretches each
    # channel over its pixels, which is Keras's channels_last result.
    data = _images((2, 5, 6, 3)) * 0.5 + 0.2
    expected = keras.layers.AutoContrast((0, 1))(data)
    actual = AutoContrast((0, 1), data_format="channels_first")(
        torch.as_tensor(data).permute(0, 3, 1, 2)
    )
    np.testing.assert_allclose(
        _numpy(actual.permute(0, 2, 3, 1)), _numpy(expected), atol=_EXACT
    )


@pytest.mark.parametrize("value_range", [(0, 255), (0, 1), (-1, 1)])
@pytest.mark.parametrize("bins", [256, 7])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_equalization_matches_keras(keras, value_range, bins, data_format):
    low, high = value_range
    data = _images(_layout((2, 6, 7, 3), data_format)) ** 2 * (high - low) + low
    data = np.round(data * 50) / 50  # repeated values fill few bins
    if data_format == "channels_last":
        data[..., 2] = low  # a one-bin channel is left as is
    kwargs = {"value_range": value_range, "bins": bins, "data_format": data_format}
    expected = keras.layers.Equalization(**kwargs)(data)
    actual = Equalization(**kwargs)(torch.as_tensor(data))
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_EXACT)


# Tiles padded by at most one row and column: Keras's torch backend pads
# "symmetric" as "replicate", which agrees with true mirroring only there.
_CLAHE = [
    {"tile_grid_size": (2, 2)},
    {"tile_grid_size": (3, 2), "clip_limit": 2.0},
    {"tile_grid_size": (4, 5), "clip_limit": 0.0, "value_range": (0, 1)},
    {"tile_grid_size": (2, 2), "clip_limit": 10.0, "value_range": (-1, 1)},
]


@pytest.mark.parametrize("kwargs", _CLAHE)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_clahe_matches_keras(keras, kwargs, data_format):
    low, high = kwargs.get("value_range", (0, 255))
    data = _images(_layout((2, 32, 30, 3), data_format)) ** 2 * (high - low) + low
    kwargs = {**kwargs, "data_format": data_format}
    expected = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)(data)
    actual = ContrastLimitedAdaptiveHistogramEqualization(**kwargs)(
        torch.as_tensor(data)
    )
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_SAME_DRAW)


def test_clahe_keeps_integer_images_like_keras(keras):
    data = (_images((1, 16, 16, 3)) * 255).astype("uint8")
    layer_kwargs = {"tile_grid_size": (4, 4)}
    expected = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(
        **layer_kwargs
    )(data)
    actual = ContrastLimitedAdaptiveHistogramEqualization(**layer_kwargs)(
        torch.as_tensor(data)
    )
    assert actual.dtype == torch.uint8
    assert np.abs(_numpy(actual).astype(int) - _numpy(expected).astype(int)).max() <= 1


@pytest.mark.parametrize(
    "fill_mode", ["reflect", "wrap", "constant", "nearest", "mirror"]
)
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_elastic_resampling_matches_keras_map_coordinates(
    keras, fill_mode, interpolation
):
    # Keras draws its field inside the op, so the field is taken from lamina
    # and Keras's own map_coordinates samples the image along it.
    layer = RandomElasticTransform(
        scale=(0.8, 1.0),
        fill_mode=fill_mode,
        interpolation=interpolation,
        fill_value=0.5,
        value_range=(0, 1),
    )
    images = torch.as_tensor(_images((2, 12, 10, 3)))
    transformation = layer.get_random_transformation(images)
    transformation["apply_transform"][:] = True
    actual = layer.transform_images(images, transformation)
    field = layer._displacement(transformation, 12, 10)
    ys, xs = torch.meshgrid(torch.arange(12.0), torch.arange(10.0), indexing="ij")
    expected = torch.stack(
        [
            torch.stack(
                [
                    torch.as_tensor(
                        keras.ops.image.map_coordinates(
                            images[b, ..., c],
                            [ys + field[b, 1], xs + field[b, 0]],
                            order=0 if interpolation == "nearest" else 1,
                            fill_mode=fill_mode,
                            fill_value=0.5,
                        )
                    )
                    for c in range(3)
                ],
                dim=-1,
            )
            for b in range(2)
        ]
    ).clamp(0, 1)
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_SAME_DRAW)


@pytest.mark.parametrize("value_range", [(0, 255), (0, 1)])
def test_solarization_with_fixed_factors_matches_keras(keras, value_range):
    data = _images((2, 5, 6, 3), scale=value_range[1])
    expected = keras.layers.Solarization(value_range=value_range)(data)
    actual = Solarization(value_range=value_range)(torch.as_tensor(data))
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_EXACT)


_FIXED = [
    ("RandomInvert", {"factor": (1.0, 1.0), "value_range": (0, 1)}),
    ("RandomPosterization", {"factor": (4, 4)}),
    ("RandomSharpness", {"factor": (0.8, 0.8)}),
    ("RandomColorDegeneration", {"factor": (0.4, 0.4)}),
    (
        "RandomColorJitter",
        {"brightness_factor": (0.1, 0.1), "saturation_factor": (0.6, 0.6)},
    ),
]


@pytest.mark.parametrize(("name", "kwargs"), _FIXED, ids=[c[0] for c in _FIXED])
def test_fixed_factor_call_matches_keras(keras, name, kwargs):
    data = _images((2, 5, 6, 3), scale=255.0)
    theirs, ours = _layer_pair(keras, name, kwargs)
    expected = theirs(data)
    actual = ours(torch.as_tensor(data))
    np.testing.assert_allclose(_numpy(actual), _numpy(expected), atol=_SAME_DRAW)


# ---------------------------------------------------------------- inference
_INFERENCE = [
    ("RandomInvert", {}),
    ("Solarization", {"addition_factor": 0.2}),
    ("RandomPosterization", {"factor": 4}),
    ("RandomSharpness", {"factor": 0.5}),
    ("RandomColorDegeneration", {"factor": 0.5}),
    ("RandomGaussianBlur", {}),
    ("RandomColorJitter", {"brightness_factor": 0.2, "hue_factor": 0.3}),
    ("RandomErasing", {}),
    ("RandomPerspective", {}),
    ("MixUp", {}),
    ("CutMix", {}),
    ("Equalization", {}),
    ("RandomElasticTransform", {}),
    ("RandAugment", {}),
    ("AugMix", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), _INFERENCE, ids=[c[0] for c in _INFERENCE])
def test_random_layer_outside_training_matches_keras(keras, name, kwargs):
    data = _images((3, 6, 7, 3), scale=255.0)
    theirs, ours = _layer_pair(keras, name, kwargs)
    expected = theirs(data, training=False)
    actual = ours(torch.as_tensor(data), training=False)
    np.testing.assert_array_equal(_numpy(actual), _numpy(expected))
    np.testing.assert_array_equal(_numpy(actual), data)


# ------------------------------------------------------------------- configs
_CONFIGS = [
    ("AutoContrast", {}),
    ("AutoContrast", {"value_range": (1, 0), "data_format": "channels_first"}),
    ("RandomInvert", {}),
    ("RandomInvert", {"factor": (0.2, 0.5), "value_range": (0, 1), "seed": 3}),
    ("Solarization", {}),
    ("Solarization", {"addition_factor": 0.2, "threshold_factor": (0.6, 0.1)}),
    ("RandomPosterization", {"factor": 4}),
    ("RandomPosterization", {"factor": (2, 6), "value_range": (0, 1), "seed": 2}),
    ("RandomSharpness", {"factor": 0.3}),
    ("RandomColorDegeneration", {"factor": (0.1, 0.4), "seed": 1}),
    ("RandomGaussianBlur", {}),
    ("RandomGaussianBlur", {"factor": 0.5, "kernel_size": 5, "sigma": (0.2, 0.8)}),
    ("RandomColorJitter", {}),
    ("RandomColorJitter", {"value_range": (0, 1), "brightness_factor": 0.2}),
    (
        "RandomColorJitter",
        {"contrast_factor": (0.1, 0.3), "saturation_factor": 0.4, "hue_factor": 0.2},
    ),
    ("RandomErasing", {}),
    ("RandomErasing", {"factor": 0.5, "scale": 0.3, "fill_value": [1, 2, 3]}),
    ("RandomPerspective", {}),
    ("RandomPerspective", {"factor": 0.4, "scale": 0.5, "interpolation": "nearest"}),
    ("MixUp", {}),
    ("MixUp", {"alpha": 0.5, "seed": 3}),
    ("CutMix", {}),
    ("CutMix", {"factor": (0.2, 0.7), "data_format": "channels_first"}),
    ("Equalization", {}),
    ("Equalization", {"value_range": (0, 1), "bins": 64}),
    ("RandomElasticTransform", {}),
    (
        "RandomElasticTransform",
        {"factor": 0.5, "scale": (0.2, 0.6), "fill_mode": "mirror", "seed": 2},
    ),
    ("RandAugment", {}),
    ("RandAugment", {"value_range": (0, 1), "num_ops": 3, "factor": (0.2, 0.6)}),
    ("AugMix", {}),
    ("AugMix", {"num_chains": 2, "alpha": 0.5, "all_ops": False, "seed": 1}),
    ("ContrastLimitedAdaptiveHistogramEqualization", {}),
    (
        "ContrastLimitedAdaptiveHistogramEqualization",
        {"clip_limit": 2.0, "tile_grid_size": (4, 2), "value_range": (0, 1)},
    ),
]


@pytest.mark.parametrize(
    ("name", "kwargs"), _CONFIGS, ids=[f"{c[0]}-{i}" for i, c in enumerate(_CONFIGS)]
)
def test_config_matches_keras(keras, name, kwargs):
    expected = getattr(keras.layers, name)(**kwargs, name="layer").get_config()
    actual = _LAYERS[name](**kwargs, name="layer").get_config()
    assert json.loads(json.dumps(actual)) == json.loads(json.dumps(expected))
    rebuilt = _LAYERS[name].from_config(json.loads(json.dumps(expected)))
    assert json.loads(json.dumps(rebuilt.get_config())) == json.loads(
        json.dumps(actual)
    )


# --------------------------------------------------------------------- files
_FILE_LAYERS = [
    "AutoContrast",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "RandAugment",
]


def _augmenting_cnn(layers):
    return [
        layers.Input((12, 12, 3)),
        layers.AutoContrast(),
        layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2)),
        layers.RandAugment(num_ops=1),
        layers.Conv2D(4, 3),
    ]


def test_keras_saved_augmenting_model_loads_in_lamina(keras, tmp_path):
    model = keras.Sequential(_augmenting_cnn(keras.layers))
    path = str(tmp_path / "augment.keras")
    model.save(path)
    data = _images((3, 12, 12, 3), scale=255.0)
    expected = model.predict(data, verbose=0)
    restored = load_model(path)
    assert [type(layer).__name__ for layer in restored.layers[:3]] == _FILE_LAYERS
    np.testing.assert_allclose(restored.predict(data, verbose=0), expected, atol=1e-4)


def test_lamina_saved_augmenting_model_loads_in_keras(keras, tmp_path):
    import lamina

    model = lamina.Sequential(_augmenting_cnn(lamina.layers))
    path = str(tmp_path / "augment.keras")
    model.save(path)
    data = _images((3, 12, 12, 3), scale=255.0)
    expected = model.predict(data, verbose=0)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(restored.predict(data, verbose=0), expected, atol=1e-4)
