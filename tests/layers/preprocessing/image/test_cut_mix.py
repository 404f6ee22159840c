"""CutMix."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.cut_mix import CutMix


def test_cut_mix_passes_check_layer_in_inference():
    check_image_layer(CutMix, random_images(2, 5, 6, 3), (2, 5, 6, 3))


def test_cut_mix_labels_follow_the_pasted_area():
    images = torch.arange(8.0).reshape(8, 1, 1, 1).expand(8, 10, 10, 1)
    layer = CutMix(seed=2)
    transformation = layer.get_random_transformation(images)
    mixed = layer.transform_images(images, transformation)
    own = (mixed == images).float().mean(dim=(1, 2, 3))
    labels = layer.transform_labels(torch.eye(8), transformation)
    torch.testing.assert_close(labels.diagonal(), own, atol=0.25, rtol=0)
    torch.testing.assert_close(labels.sum(dim=1), torch.ones(8))


def test_cut_mix_leaves_a_single_image_alone():
    image = random_images(5, 5, 3)
    torch.testing.assert_close(CutMix()(image), image)


def test_cut_mix_rejects_bad_factor():
    with pytest.raises(ValueError, match=r"factor to be a number or a pair"):
        CutMix(factor=2.0)
