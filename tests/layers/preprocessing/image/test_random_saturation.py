"""RandomSaturation."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_saturation import RandomSaturation
from lamina.ops.image import rgb_to_hsv


def test_random_saturation_passes_check_layer_in_inference():
    # The training path is checked with a fixed factor in
    # test_base_image_preprocessing_layer.py.
    check_image_layer(
        lambda: RandomSaturation(0.5, value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
    )


def test_random_saturation_scales_the_saturation():
    images = random_images(2, 4, 4, 3) * 0.8 + 0.1
    layer = RandomSaturation(0.5, value_range=(0, 1))
    outputs = layer.transform_images(images, {"factor": torch.tensor([0.5, 1.0])})
    before, after = rgb_to_hsv(images), rgb_to_hsv(outputs)
    torch.testing.assert_close(after[0, ..., 1], before[0, ..., 1] * 0.5)
    torch.testing.assert_close(after[1], before[1], atol=1e-6, rtol=1e-6)
    torch.testing.assert_close(after[..., 2], before[..., 2])


def test_random_saturation_factor_one_half_keeps_therandom_images():
    images = random_images(3, 4, 4, 3)
    outputs = RandomSaturation((0.5, 0.5), value_range=(0, 1))(images)
    torch.testing.assert_close(outputs, images, atol=1e-5, rtol=1e-5)


def test_random_saturation_factor_zero_gives_greyrandom_images():
    outputs = RandomSaturation((0.0, 0.0), value_range=(0, 1))(
        random_images(3, 4, 4, 3)
    )
    torch.testing.assert_close(outputs, outputs[..., :1].expand_as(outputs))


def test_random_saturation_rejects_bad_arguments():
    with pytest.raises(
        ValueError, match=r"factor to be a number or a pair of numbers in \[-1, 1\]"
    ):
        RandomSaturation(3)
    with pytest.raises(ValueError, match="value_range"):
        RandomSaturation(0.5, value_range="0-255")


def test_random_saturation_rejects_channels_first_images_read_as_last():
    with pytest.raises(ValueError, match="Check data_format"):
        RandomSaturation(0.5)(random_images(2, 3, 4, 4))
