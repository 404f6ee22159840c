"""Equalization."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.equalization import Equalization


def test_equalization_passes_check_layer_in_training():
    check_image_layer(
        lambda: Equalization((0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=True,
    )


def test_equalization_spreads_values_over_the_range():
    images = (random_images(1, 16, 16, 1) * 40 + 100).round()
    equalized = Equalization()(images)
    assert float(equalized.min()) == 0.0 and float(equalized.max()) == 255.0
    order = images.flatten().argsort()
    assert bool((equalized.flatten()[order].diff() >= 0).all())  # keeps order


def test_equalization_passes_images_through_outside_training():
    images = random_images(2, 3, 3, 3)
    torch.testing.assert_close(Equalization((0, 1))(images, training=False), images)


def test_equalization_rejects_bad_bins():
    with pytest.raises(ValueError, match="bins to be an integer >= 2"):
        Equalization(bins=1)
