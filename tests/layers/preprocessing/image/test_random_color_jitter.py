"""RandomColorJitter."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_brightness import RandomBrightness
from lamina.layers.preprocessing.image.random_color_jitter import RandomColorJitter
from lamina.layers.preprocessing.image.random_saturation import RandomSaturation


def test_random_color_jitter_passes_check_layer_in_training():
    # Equal factor bounds fix brightness and saturation: a fixed training path.
    check_image_layer(
        lambda: RandomColorJitter(
            (0, 1), brightness_factor=(0.1, 0.1), saturation_factor=(0.6, 0.6)
        ),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=True,
    )


def test_random_color_jitter_chains_the_single_layers():
    images = random_images(2, 5, 6, 3)
    layer = RandomColorJitter(
        (0, 1), brightness_factor=(0.1, 0.1), saturation_factor=(0.6, 0.6)
    )
    expected = RandomSaturation((0.6, 0.6), value_range=(0, 1))(
        RandomBrightness((0.1, 0.1), value_range=(0, 1))(images)
    )
    torch.testing.assert_close(layer(images), expected)


def test_random_color_jitter_replays_a_transformation():
    images = random_images(3, 5, 6, 3)
    layer = RandomColorJitter((0, 1), 0.3, 0.3, 0.3, 0.3, seed=2)
    transformation = layer.get_random_transformation(images)
    assert sorted(transformation) == ["brightness", "contrast", "hue", "saturation"]
    torch.testing.assert_close(
        layer.transform_images(images, transformation),
        layer.transform_images(images, transformation),
    )


def test_random_color_jitter_without_factors_changes_nothing():
    images = random_images(2, 3, 3, 3)
    torch.testing.assert_close(RandomColorJitter()(images), images)


def test_random_color_jitter_rejects_bad_factor():
    with pytest.raises(ValueError, match="RandomBrightness expected factor"):
        RandomColorJitter(brightness_factor=3.0)
