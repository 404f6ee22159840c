"""Behaviour every image preprocessing layer shares (training flag, inputs)."""

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.input_layer import Input
from lamina.layers.preprocessing import image as image_layers
from lamina.models import Model

_RANDOM_LAYERS = [
    ("RandomFlip", {}),
    ("RandomRotation", {"factor": 0.2}),
    ("RandomZoom", {"height_factor": 0.3}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2}),
    ("RandomShear", {"x_factor": 0.3, "y_factor": 0.3}),
    ("RandomContrast", {"factor": 0.5, "value_range": (0, 1)}),
    ("RandomBrightness", {"factor": 0.5, "value_range": (0, 1)}),
    ("RandomGrayscale", {"factor": 0.5}),
    ("RandomHue", {"factor": 0.5, "value_range": (0, 1)}),
    ("RandomSaturation", {"factor": 0.5, "value_range": (0, 1)}),
]

# Factors that fix the draw: the training path then gives the same output on
# every call, so check_layer can run all its checks (torch.compile and
# save/load included) on it.
_FIXED_DRAW_LAYERS = [
    ("RandomRotation", {"factor": (0.1, 0.1)}),
    ("RandomRotation", {"factor": (0.1, 0.1), "fill_mode": "wrap"}),
    ("RandomZoom", {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3)}),
    (
        "RandomTranslation",
        {"height_factor": (0.1, 0.1), "width_factor": (-0.2, -0.2), "fill_value": 2},
    ),
    ("RandomContrast", {"factor": (-0.3, 0.3), "value_range": (0, 1)}),
    ("RandomBrightness", {"factor": (0.1, 0.1), "value_range": (0, 1)}),
    ("RandomGrayscale", {"factor": 1.0}),
    ("RandomSaturation", {"factor": (0.3, 0.3), "value_range": (0, 1)}),
]


_COMPILED_CASE = ("RandomRotation", {"factor": (0.1, 0.1)}, "channels_last")
_COMPILED_TRAINING_PATHS = [
    ("RandomFlip", {}),
    ("RandomCrop", {"height": 4, "width": 4}),
    ("RandomHue", {"factor": 0.5, "value_range": (0, 1)}),
]


def _case_id(case):
    name, kwargs = case
    return name + "-" + "-".join(map(str, kwargs.values()))


@pytest.mark.parametrize(
    ("name", "kwargs"), _FIXED_DRAW_LAYERS, ids=map(_case_id, _FIXED_DRAW_LAYERS)
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_fixed_draw_training_path_passes_check_layer(name, kwargs, data_format):
    # A cold torch.compile of a warp costs 5-10 s on CI, so the compile check
    # runs once per kind of code (the warp here; the colour ops, the crop and
    # the flip in test_random_layer_training_path_compiles).
    layer_class = getattr(image_layers, name)
    compiles = (name, kwargs, data_format) == _COMPILED_CASE
    check_image_layer(
        lambda: layer_class(**kwargs, data_format=data_format),
        random_images(2, 3, 5, 3)
        if data_format == "channels_first"
        else random_images(2, 5, 3, 3),
        training=True,
        check_compile=compiles,
    )


@pytest.mark.parametrize(
    ("name", "kwargs"), _RANDOM_LAYERS, ids=map(_case_id, _RANDOM_LAYERS)
)
def test_random_layer_augments_by_default_and_not_outside_training(name, kwargs):
    layer = getattr(image_layers, name)(**kwargs, seed=3)
    images = random_images(16, 6, 6, 3)
    assert torch.equal(layer(images, training=False), images)
    assert not torch.equal(layer(images), images)  # Keras: training=True
    assert not torch.equal(layer(images, training=True), images)


@pytest.mark.parametrize(
    ("name", "kwargs"), _RANDOM_LAYERS, ids=map(_case_id, _RANDOM_LAYERS)
)
def test_random_layer_passes_images_through_in_predict_and_evaluate(name, kwargs):
    inputs = Input((6, 6, 3))
    model = Model(inputs, getattr(image_layers, name)(**kwargs)(inputs))
    model.compile(loss="mse")
    images = random_images(8, 6, 6, 3).numpy()
    np.testing.assert_array_equal(model.predict(images, verbose=0), images)
    assert model.evaluate(images, images, verbose=0) == 0.0


@pytest.mark.parametrize(
    ("name", "kwargs"),
    _COMPILED_TRAINING_PATHS,
    ids=map(_case_id, _COMPILED_TRAINING_PATHS),
)
def test_random_layer_training_path_compiles(name, kwargs):
    layer = getattr(image_layers, name)(**kwargs)
    images = random_images(4, 6, 6, 3)
    expected_shape = layer(images, training=False).shape  # builds the layer
    torch._dynamo.reset()
    outputs = torch.compile(layer)(images, training=True)
    assert outputs.shape == expected_shape and bool(torch.isfinite(outputs).all())


@pytest.mark.parametrize(
    ("name", "kwargs"), _RANDOM_LAYERS, ids=map(_case_id, _RANDOM_LAYERS)
)
def test_random_layer_seed_repeats_and_takes_singlerandom_images(name, kwargs):
    images = random_images(4, 6, 6, 3)
    first = getattr(image_layers, name)(**kwargs, seed=11)
    second = getattr(image_layers, name)(**kwargs, seed=11)
    for _ in range(2):
        torch.testing.assert_close(first(images), second(images))
    assert first(images[0]).shape == (6, 6, 3)


@pytest.mark.parametrize(
    ("name", "kwargs"), _RANDOM_LAYERS, ids=map(_case_id, _RANDOM_LAYERS)
)
def test_random_layer_replays_its_transformation(name, kwargs):
    layer = getattr(image_layers, name)(**kwargs)
    images = random_images(4, 6, 6, 3)
    transformation = layer.get_random_transformation(images, training=True)
    first = layer.transform_images(images, transformation)
    torch.testing.assert_close(layer.transform_images(images, transformation), first)
    outputs = layer({"images": images, "labels": torch.arange(4)}, training=False)
    assert torch.equal(outputs["images"], images)
    assert torch.equal(outputs["labels"], torch.arange(4))


def test_symbolic_calls_draw_no_random_numbers():
    layer = image_layers.RandomRotation(0.2, seed=5)
    Model(inputs := Input((6, 6, 3)), layer(inputs))
    fresh = image_layers.RandomRotation(0.2, seed=5)
    images = random_images(2, 6, 6, 3)
    torch.testing.assert_close(layer(images), fresh(images))


def test_integer_images_become_floats():
    images = torch.randint(0, 255, (2, 6, 6, 3), dtype=torch.uint8)
    rotated = image_layers.RandomRotation(0.1)(images)
    assert rotated.dtype == torch.float32
    cropped = image_layers.CenterCrop(4, 4)(images)
    assert cropped.dtype == torch.float32


def test_rejects_bounding_boxes():
    with pytest.raises(ValueError, match="do not transform bounding boxes"):
        image_layers.RandomFlip(bounding_box_format="xyxy")
    with pytest.raises(ValueError, match="received keys"):
        image_layers.RandomFlip()(
            {"images": random_images(1, 2, 2, 3), "bounding_boxes": {}}
        )


def test_rejects_unknown_data_format():
    with pytest.raises(ValueError, match="data_format='NHWC'"):
        image_layers.RandomZoom(0.1, data_format="NHWC")
