"""MobileNetV3: built-in rescaling, size limits, imagenet variants."""

import numpy as np
import pytest

import lamina
from lamina.applications import mobilenet_v3


@pytest.fixture
def downloads(monkeypatch):
    """Records `(weights, file_name, origin, file_hash)` instead of loading."""
    calls = []
    monkeypatch.setattr(
        mobilenet_v3, "load_weights", lambda model, *args: calls.append(args)
    )
    return calls


def test_mobilenet_v3_can_leave_rescaling_to_the_caller():
    model = mobilenet_v3.MobileNetV3Small(
        input_shape=(32, 32, 3),
        weights=None,
        include_top=False,
        include_preprocessing=False,
    )
    assert model.layers[1].name == "conv"


def test_mobilenet_v3_takes_the_shape_of_an_input_tensor():
    inputs = lamina.Input(shape=(64, 64, 3))
    model = mobilenet_v3.MobileNetV3Large(
        input_tensor=inputs, weights=None, include_top=False, minimalistic=True
    )
    assert model.output_shape == (None, 2, 2, 960)


def test_mobilenet_v3_rejects_images_smaller_than_32():
    with pytest.raises(ValueError, match="at least 32x32"):
        mobilenet_v3.MobileNetV3Small(input_shape=(16, 16, 3), weights=None)


def test_mobilenet_v3_imagenet_rejects_minimalistic_with_other_alpha():
    with pytest.raises(ValueError, match="alpha=0.75, minimalistic=True"):
        mobilenet_v3.MobileNetV3Large(alpha=0.75, minimalistic=True)


def test_mobilenet_v3_imagenet_file_name(downloads):
    mobilenet_v3.MobileNetV3Small(alpha=0.75, input_shape=(224, 224, 3))
    file_name = "weights_mobilenet_v3_small_224_0.75_float.h5"
    origin = mobilenet_v3.BASE_WEIGHT_PATH + file_name
    assert downloads == [
        ("imagenet", file_name, origin, "cb65d4e5be93758266aa0a7f2c6708b7")
    ]


def test_mobilenet_v3_preprocess_input_returns_its_input():
    images = np.zeros((1, 4, 4, 3))
    assert mobilenet_v3.preprocess_input(images) is images
