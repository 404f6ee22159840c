"""CenterCrop."""

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.center_crop import CenterCrop
from lamina.ops.image import resize


@pytest.mark.parametrize(
    ("data_format", "shape", "expected"),
    [
        ("channels_last", (2, 7, 9, 3), (2, 4, 5, 3)),
        ("channels_first", (2, 3, 7, 9), (2, 3, 4, 5)),
        ("channels_last", (2, 3, 9, 3), (2, 4, 5, 3)),  # smaller: resized
    ],
)
def test_center_crop_passes_check_layer(data_format, shape, expected):
    # The resize path is the resize op that test_resizing.py compiles.
    check_image_layer(
        lambda: CenterCrop(4, 5, data_format=data_format),
        random_images(*shape),
        expected,
        check_compile=shape[1] >= 4,
    )


def test_center_crop_keeps_the_central_window():
    images = torch.arange(30.0).reshape(1, 5, 6, 1)
    np.testing.assert_array_equal(
        CenterCrop(3, 2)(images)[0, ..., 0], [[8, 9], [14, 15], [20, 21]]
    )


def test_center_crop_resizes_an_input_smaller_than_the_target():
    images = random_images(2, 4, 10, 3)
    expected = resize(images, (6, 6), crop_to_aspect_ratio=True)
    torch.testing.assert_close(CenterCrop(6, 6)(images), expected)


def test_center_crop_acts_in_training_and_inference_and_on_singlerandom_images():
    images = random_images(6, 6, 2)
    assert CenterCrop(2, 3)(images, training=False).shape == (2, 3, 2)
    assert CenterCrop(2, 3)(images, training=True).shape == (2, 3, 2)


def test_center_crop_rejects_bad_sizes():
    with pytest.raises(ValueError, match="height to be a positive integer"):
        CenterCrop(-1, 3)
