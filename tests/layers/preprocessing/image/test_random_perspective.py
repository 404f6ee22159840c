"""RandomPerspective."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_perspective import RandomPerspective


def test_random_perspective_passes_check_layer_in_inference():
    check_image_layer(RandomPerspective, random_images(2, 5, 6, 3), (2, 5, 6, 3))


def test_random_perspective_zero_scale_keeps_images():
    images = random_images(2, 5, 6, 3)
    torch.testing.assert_close(RandomPerspective(scale=0.0)(images), images)


def test_random_perspective_maps_end_points_onto_start_points():
    layer = RandomPerspective(scale=0.5, interpolation="nearest", seed=3)
    images = torch.zeros(1, 9, 9, 1)
    images[0, 0, 0, 0] = images[0, 8, 8, 0] = 1.0
    transformation = layer.get_random_transformation(images)
    transformation["apply_perspective"][:] = True
    warped = layer.transform_images(images, transformation)
    x, y = transformation["end_points"][0, 3].round().long().tolist()
    if x < 9 and y < 9:
        assert float(warped[0, y, x, 0]) == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 1.5}, "scale to be in"),
        ({"interpolation": "bicubic"}, "interpolation='bicubic'"),
        ({"fill_value": "black"}, "fill_value to be a number"),
    ],
)
def test_random_perspective_rejects_bad_arguments(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        RandomPerspective(**kwargs)
