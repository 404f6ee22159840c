"""RandomElasticTransform."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_elastic_transform import (
    RandomElasticTransform,
)


def test_random_elastic_transform_passes_check_layer_in_inference():
    check_image_layer(
        lambda: RandomElasticTransform(value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
    )


@pytest.mark.parametrize(
    "fill_mode", ["reflect", "wrap", "constant", "nearest", "mirror"]
)
def test_random_elastic_transform_keeps_constant_images(fill_mode):
    images = torch.full((2, 12, 10, 3), 0.5)
    layer = RandomElasticTransform(fill_mode=fill_mode, fill_value=0.5)
    torch.testing.assert_close(layer(images), images)


def test_random_elastic_transform_moves_pixels_by_a_smooth_field():
    images = random_images(2, 32, 32, 1)
    layer = RandomElasticTransform(
        (1.0, 1.0), scale=(1.0, 1.0), value_range=(0, 1), seed=1
    )
    bent = layer(images)
    assert 0.0 < float((bent - images).abs().mean()) < 0.5


def test_random_elastic_transform_zero_scale_changes_nothing():
    images = random_images(2, 6, 6, 3)
    assert RandomElasticTransform(scale=0.0).get_random_transformation(images) is None
    torch.testing.assert_close(RandomElasticTransform(scale=0.0)(images), images)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fill_mode": "edge"}, "fill_mode='edge'"),
        ({"interpolation": "bicubic"}, "interpolation='bicubic'"),
        ({"scale": 2.0}, "scale to be a number or a pair"),
    ],
)
def test_random_elastic_transform_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RandomElasticTransform(**kwargs)
