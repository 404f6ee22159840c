"""RandomHue."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_hue import RandomHue
from lamina.ops.image import rgb_to_hsv


def test_random_hue_passes_check_layer_in_inference():
    # The sign of each shift is always random, so only the
    # inference path can be compared call to call.
    check_image_layer(
        lambda: RandomHue(0.5),
        random_images(2, 5, 6, 3) * 255,
        (2, 5, 6, 3),
    )


def test_random_hue_moves_only_the_hue():
    images = random_images(2, 4, 4, 3) * 0.8 + 0.1
    layer = RandomHue(0.5, value_range=(0, 1))
    outputs = layer.transform_images(images, {"factor": torch.tensor([0.25, -0.1])})
    before, after = rgb_to_hsv(images), rgb_to_hsv(outputs)
    torch.testing.assert_close(after[..., 1:], before[..., 1:], atol=1e-5, rtol=1e-5)
    shift = torch.remainder(after[..., 0] - before[..., 0], 1.0)
    torch.testing.assert_close(shift[0], torch.full((4, 4), 0.25), atol=1e-5, rtol=0)
    torch.testing.assert_close(shift[1], torch.full((4, 4), 0.9), atol=1e-5, rtol=0)


def test_random_hue_keeps_the_value_range():
    outputs = RandomHue(1.0)(random_images(8, 4, 4, 3) * 255)
    assert float(outputs.min()) >= 0.0 and float(outputs.max()) <= 255.0


def test_random_hue_draws_shifts_up_to_half_the_factor():
    shifts = RandomHue((0.2, 0.6), seed=1).get_random_transformation(
        torch.zeros(400, 1, 1, 3)
    )["factor"]
    assert 0.1 <= float(shifts.abs().min()) and float(shifts.abs().max()) <= 0.3
    assert bool((shifts < 0).any() and (shifts > 0).any())


def test_random_hue_rejects_bad_factor():
    with pytest.raises(
        ValueError, match=r"factor to be a number or a pair of numbers in \[0, 1\]"
    ):
        RandomHue(-0.5)


def test_random_hue_rejects_images_without_three_channels():
    with pytest.raises(ValueError, match="expected 3 channels on axis -1"):
        RandomHue(0.5)(random_images(2, 4, 4, 1))
