"""RandAugment."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.rand_augment import RandAugment


def test_rand_augment_passes_check_layer_in_inference():
    check_image_layer(
        lambda: RandAugment((0, 1)), random_images(2, 5, 6, 3), (2, 5, 6, 3)
    )


def test_rand_augment_applies_the_drawn_operations_in_turn():
    images = random_images(3, 8, 8, 3)
    layer = RandAugment((0, 1), num_ops=2, seed=5)
    transformation = layer.get_random_transformation(images)
    expected = images
    for index in transformation["layer_idxes"].tolist():
        name = layer_names()[index]
        expected = getattr(layer, name).transform_images(
            expected, transformation["transforms"][name]
        )
    torch.testing.assert_close(layer.transform_images(images, transformation), expected)


def layer_names():
    from lamina.layers.preprocessing.image.rand_augment import _OPERATIONS

    return _OPERATIONS


def test_rand_augment_without_operations_changes_nothing():
    images = random_images(2, 4, 4, 3)
    torch.testing.assert_close(RandAugment((0, 1), num_ops=0)(images), images)


def test_rand_augment_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num_ops to be a non-negative integer"):
        RandAugment(num_ops=-1)
    with pytest.raises(ValueError, match=r"factor to be a number or a pair"):
        RandAugment(factor=1.5)
