"""RandomContrast."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_contrast import RandomContrast


def test_random_contrast_passes_check_layer_in_inference():
    # The training path is checked with a fixed factor in
    # test_base_image_preprocessing_layer.py.
    check_image_layer(
        lambda: RandomContrast(0.4),
        random_images(2, 5, 6, 3) * 255,
        (2, 5, 6, 3),
    )


def test_random_contrast_scales_around_each_channel_mean():
    images = random_images(2, 4, 4, 3)
    layer = RandomContrast(0.5, value_range=(-10, 10))
    factor = torch.tensor([2.0, 0.5]).reshape(2, 1, 1, 1)
    outputs = layer.transform_images(images, {"contrast_factor": factor})
    mean = images.mean(dim=(1, 2), keepdim=True)
    torch.testing.assert_close(outputs, (images - mean) * factor + mean)
    torch.testing.assert_close(outputs.mean(dim=(1, 2)), mean[:, 0, 0])


def test_random_contrast_clips_to_the_value_range():
    outputs = RandomContrast((0.0, 1.0), value_range=(0, 1))(random_images(16, 4, 4, 3))
    assert float(outputs.min()) >= 0.0 and float(outputs.max()) <= 1.0


def test_random_contrast_factor_follows_keras():
    # Keras 3 reads a number f as (0, f): the contrast only ever increases.
    layer = RandomContrast(0.3, seed=1)
    assert layer.factor == (0, 0.3)
    factors = layer.get_random_transformation(torch.zeros(300, 2, 2, 1))[
        "contrast_factor"
    ]
    assert 1.0 <= float(factors.min()) and float(factors.max()) <= 1.3


def test_random_contrast_rejects_bad_arguments():
    with pytest.raises(
        ValueError, match=r"factor to be a number or a pair of numbers in \[0, 1\]"
    ):
        RandomContrast(1.5)
    with pytest.raises(ValueError, match="value_range to be a pair of numbers"):
        RandomContrast(0.2, value_range=255)
