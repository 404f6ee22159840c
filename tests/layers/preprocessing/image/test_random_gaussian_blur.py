"""RandomGaussianBlur."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_gaussian_blur import RandomGaussianBlur


def test_random_gaussian_blur_passes_check_layer_in_inference():
    check_image_layer(
        lambda: RandomGaussianBlur(value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
    )


def test_random_gaussian_blur_matches_a_separable_gaussian():
    images = random_images(1, 7, 7, 1)
    layer = RandomGaussianBlur(kernel_size=3, value_range=(0, 1))
    transformation = {
        "should_apply_blur": torch.tensor([True]),
        "blur_factor": torch.tensor([0.8, 0.8]),
    }
    blurred = layer.transform_images(images, transformation)
    taps = torch.exp(-0.5 * (torch.tensor([-1.0, 0.0, 1.0]) / 0.8) ** 2)
    taps = taps / taps.sum()
    kernel = torch.outer(taps, taps)
    expected = (images[0, 2:5, 2:5, 0] * kernel).sum()
    torch.testing.assert_close(blurred[0, 3, 3, 0], expected)


def test_random_gaussian_blur_keeps_images_it_does_not_pick():
    images = random_images(2, 5, 5, 3)
    layer = RandomGaussianBlur(factor=(0.0, 0.0), value_range=(0, 1))
    torch.testing.assert_close(layer(images), images)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kernel_size": 4}, "kernel_size to be an odd positive integer"),
        ({"kernel_size": (3, 3, 3)}, "kernel_size to be an odd positive integer"),
        ({"sigma": 2.0}, "sigma to be a number or a pair"),
        ({"factor": 1.5}, "factor to be a number or a pair"),
    ],
)
def test_random_gaussian_blur_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RandomGaussianBlur(**kwargs)
