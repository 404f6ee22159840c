"""RandomBrightness."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_brightness import RandomBrightness


def test_random_brightness_passes_check_layer_in_inference():
    # The training path is checked with a fixed offset in
    # test_base_image_preprocessing_layer.py.
    check_image_layer(
        lambda: RandomBrightness(0.2, value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
    )


def test_random_brightness_adds_one_offset_per_image_and_clips():
    images = torch.full((200, 2, 2, 3), 100.0)
    outputs = RandomBrightness((-0.2, 0.4), seed=2)(images)
    offsets = outputs - images
    assert bool((offsets == offsets[:, :1, :1, :1]).all())
    assert -51.0 <= float(offsets.min()) and float(offsets.max()) <= 102.0
    clipped = RandomBrightness((1.0, 1.0))(images)
    assert bool((clipped == 255.0).all())


def test_random_brightness_does_not_modify_its_input():
    images = random_images(2, 3, 3, 3)
    before = images.clone()
    RandomBrightness(0.5, value_range=(0, 1))(images)
    assert torch.equal(images, before)


def test_random_brightness_sorts_the_value_range():
    assert RandomBrightness(0.1, value_range=(1, 0)).value_range == [0, 1]


def test_random_brightness_rejects_bad_arguments():
    with pytest.raises(
        ValueError, match=r"factor to be a number or a pair of numbers in \[-1, 1\]"
    ):
        RandomBrightness(2.0)
    with pytest.raises(ValueError, match="value_range to be a pair of numbers"):
        RandomBrightness(0.2, value_range=(0, 1, 2))
