"""RandomColorDegeneration."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_color_degeneration import (
    RandomColorDegeneration,
)


def test_random_color_degeneration_passes_check_layer_in_training():
    check_image_layer(
        lambda: RandomColorDegeneration((0.5, 0.5), value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=True,
    )


def test_random_color_degeneration_full_factor_gives_grey_images():
    grey = RandomColorDegeneration((1.0, 1.0), value_range=(0, 1))(
        random_images(2, 4, 4, 3)
    )
    torch.testing.assert_close(grey[..., 0], grey[..., 1])
    torch.testing.assert_close(grey[..., 1], grey[..., 2])


def test_random_color_degeneration_needs_rgb_images():
    with pytest.raises(ValueError, match="works on RGB images"):
        RandomColorDegeneration(0.5)(torch.zeros(1, 4, 4, 2))


def test_random_color_degeneration_rejects_bad_factor():
    with pytest.raises(ValueError, match=r"factor to be a number or a pair"):
        RandomColorDegeneration(2.0)
