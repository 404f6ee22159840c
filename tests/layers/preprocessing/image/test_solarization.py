"""Solarization."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.solarization import Solarization


def test_solarization_passes_check_layer_in_training():
    # Zero factors draw zero offsets and thresholds: a fixed training path.
    check_image_layer(
        lambda: Solarization(value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=True,
    )


def test_solarization_inverts_pixels_at_or_above_the_threshold():
    layer = Solarization(value_range=(0, 255))
    images = torch.tensor([[[[10.0], [200.0]]]])
    transformation = {
        "additions": torch.zeros(1, 1, 1, 1),
        "thresholds": torch.full((1, 1, 1, 1), 100.0),
    }
    solarized = layer.transform_images(images, transformation)
    assert solarized[..., 0].tolist() == [[[10.0, 55.0]]]


def test_solarization_single_factor_means_zero_to_factor():
    layer = Solarization(addition_factor=0.4, threshold_factor=(0.6, 0.2))
    assert layer.addition_factor == (0, 0.4)
    assert layer.threshold_factor == (0.2, 0.6)


def test_solarization_passes_images_through_outside_training():
    images = random_images(2, 3, 3, 3)
    torch.testing.assert_close(Solarization()(images, training=False), images)


@pytest.mark.parametrize("argument", ["addition_factor", "threshold_factor"])
def test_solarization_rejects_factors_outside_unit_interval(argument):
    with pytest.raises(ValueError, match=rf"{argument} to be a number or a pair"):
        Solarization(**{argument: (0.2, 1.5)})
