"""RandomRotation."""

import math

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_rotation import RandomRotation


def test_random_rotation_passes_check_layer_in_inference():
    # The training path is checked with a fixed angle in
    # test_base_image_preprocessing_layer.py.
    check_image_layer(
        lambda: RandomRotation(0.2, fill_mode="constant"),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
    )


def test_random_rotation_quarter_turn_moves_pixels_counter_clockwise():
    images = torch.arange(9.0).reshape(1, 3, 3, 1)
    layer = RandomRotation((0.25, 0.25), interpolation="nearest")
    np.testing.assert_array_equal(
        layer(images)[0, ..., 0], torch.rot90(images[0, ..., 0])
    )


def test_random_rotation_angles_stay_in_range():
    layer = RandomRotation((-0.1, 0.05), seed=3)
    transformation = layer.get_random_transformation(torch.zeros(500, 4, 4, 1))
    angles = transformation["angle"]
    assert float(angles.min()) >= -36.0 and float(angles.max()) <= 18.0
    assert float(angles.max() - angles.min()) > 40.0
    matrix = transformation["rotation_matrix"]
    np.testing.assert_allclose(
        matrix[:, 0], np.cos(np.radians(angles.numpy())), atol=1e-6
    )


def test_random_rotation_keeps_a_constant_image_with_reflect():
    images = torch.full((4, 7, 5, 2), 3.0)
    torch.testing.assert_close(RandomRotation(0.5)(images), images)


def test_random_rotation_fills_corners_with_fill_value():
    layer = RandomRotation((0.125, 0.125), fill_mode="constant", fill_value=-1.0)
    rotated = layer(torch.ones(1, 9, 9, 1))
    assert float(rotated[0, 0, 0, 0]) == -1.0 and float(rotated[0, 4, 4, 0]) == 1.0


def test_random_rotation_channels_first_matches_channels_last():
    images = random_images(3, 6, 5, 2)
    layer = RandomRotation(0.3, data_format="channels_first")
    transformation = layer.get_random_transformation(images.permute(0, 3, 1, 2))
    last = RandomRotation(0.3).transform_images(images, transformation)
    first = layer.transform_images(images.permute(0, 3, 1, 2), transformation)
    torch.testing.assert_close(first, last.permute(0, 3, 1, 2))


def test_random_rotation_moves_masks_with_nearest_sampling():
    layer = RandomRotation(0.3)
    masks = torch.randint(0, 4, (2, 6, 6, 1))
    transformation = layer.get_random_transformation(masks)
    moved = layer.transform_segmentation_masks(masks, transformation)
    assert moved.dtype == masks.dtype and set(moved.unique().tolist()) <= {0, 1, 2, 3}


def test_random_rotation_factor_number_means_symmetric_range():
    assert RandomRotation(0.2).factor == (-0.2, 0.2)
    assert RandomRotation(-0.2).factor == (-0.2, 0.2)
    assert RandomRotation((0.3, -0.1)).factor == (-0.1, 0.3)
    assert math.isclose(RandomRotation(1).factor[1], 1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"factor": 1.5}, "factor to be a number or a pair"),
        ({"factor": (0.1, 0.2, 0.3)}, "factor to be a number or a pair"),
        ({"factor": "big"}, "factor to be a number or a pair"),
        ({"factor": 0.1, "fill_mode": "mirror"}, "fill_mode='mirror'. Expected one of"),
        ({"factor": 0.1, "interpolation": "bicubic"}, "interpolation='bicubic'"),
        ({"factor": 0.1, "fill_value": "black"}, "fill_value to be a number"),
    ],
)
def test_random_rotation_rejects_bad_arguments(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        RandomRotation(**kwargs)
