"""AutoContrast."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.auto_contrast import AutoContrast


@pytest.mark.parametrize("training", [False, True])
def test_auto_contrast_passes_check_layer(training):
    check_image_layer(
        lambda: AutoContrast((0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=training,
    )


def test_auto_contrast_stretches_each_channel_to_the_range():
    images = random_images(2, 5, 6, 3) * 0.5 + 0.25
    stretched = AutoContrast((0, 1))(images)
    torch.testing.assert_close(stretched.amin(dim=(1, 2)), torch.zeros(2, 3))
    torch.testing.assert_close(stretched.amax(dim=(1, 2)), torch.ones(2, 3))


def test_auto_contrast_channels_first_matches_channels_last():
    images = random_images(2, 5, 6, 3) * 0.5
    last = AutoContrast((0, 1))(images)
    first = AutoContrast((0, 1), data_format="channels_first")(
        images.permute(0, 3, 1, 2)
    )
    torch.testing.assert_close(first.permute(0, 2, 3, 1), last)


def test_auto_contrast_leaves_flat_channels_unchanged():
    images = torch.full((1, 3, 3, 1), 0.5)
    torch.testing.assert_close(AutoContrast((0, 1))(images), images)


def test_auto_contrast_rejects_bad_value_range():
    with pytest.raises(ValueError, match="value_range to be a pair of numbers"):
        AutoContrast(value_range=(0, 1, 2))
