"""RandomInvert."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_invert import RandomInvert


@pytest.mark.parametrize("training", [False, True])
def test_random_invert_passes_check_layer(training):
    # A factor of (1, 1) inverts every image, so the training path is fixed.
    check_image_layer(
        lambda: RandomInvert((1.0, 1.0), value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=training,
    )


def test_random_invert_inverts_about_the_top_of_the_range():
    images = random_images(3, 4, 4, 3)
    inverted = RandomInvert((1.0, 1.0), value_range=(0, 1))(images)
    torch.testing.assert_close(inverted, 1.0 - images)
    untouched = RandomInvert((0.0, 0.0), value_range=(0, 1))(images)
    torch.testing.assert_close(untouched, images)


def test_random_invert_rate_follows_factor():
    layer = RandomInvert((0.3, 0.3), seed=1)
    applied = layer.get_random_transformation(torch.zeros(4000, 1, 1, 1))
    assert abs(float(applied["apply_inversion"].float().mean()) - 0.3) < 0.04


def test_random_invert_passes_images_through_outside_training():
    images = random_images(2, 3, 3, 3)
    torch.testing.assert_close(RandomInvert()(images, training=False), images)


def test_random_invert_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"factor to be a number or a pair"):
        RandomInvert(1.5)
    with pytest.raises(ValueError, match="value_range to be a pair of numbers"):
        RandomInvert(value_range=255)
