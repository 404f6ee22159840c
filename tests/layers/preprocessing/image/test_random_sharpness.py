"""RandomSharpness."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_sharpness import RandomSharpness


def test_random_sharpness_passes_check_layer_in_training():
    check_image_layer(
        lambda: RandomSharpness((0.8, 0.8), value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=True,
    )


def test_random_sharpness_half_keeps_images_and_zero_smooths():
    images = random_images(2, 5, 6, 3)
    kept = RandomSharpness((0.5, 0.5), value_range=(0, 1))(images)
    torch.testing.assert_close(kept, images)
    smoothed = RandomSharpness((0.0, 0.0), value_range=(0, 1))(images)
    assert float(smoothed[:, 1:-1, 1:-1].std()) < float(images[:, 1:-1, 1:-1].std())


def test_random_sharpness_channels_first_matches_channels_last():
    images = random_images(2, 5, 6, 3)
    layer = RandomSharpness(0.9, data_format="channels_first")
    transformation = layer.get_random_transformation(images.permute(0, 3, 1, 2))
    last = RandomSharpness(0.9).transform_images(images, transformation)
    first = layer.transform_images(images.permute(0, 3, 1, 2), transformation)
    torch.testing.assert_close(first.permute(0, 2, 3, 1), last)


def test_random_sharpness_rejects_bad_factor():
    with pytest.raises(ValueError, match=r"factor to be a number or a pair"):
        RandomSharpness(-0.5)
