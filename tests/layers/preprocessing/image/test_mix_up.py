"""MixUp."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.mix_up import MixUp


def test_mix_up_passes_check_layer_in_inference():
    check_image_layer(MixUp, random_images(2, 5, 6, 3), (2, 5, 6, 3))


def test_mix_up_blends_images_and_labels_with_the_same_weights():
    images = random_images(6, 4, 4, 3)
    labels = torch.eye(6)
    layer = MixUp(alpha=0.5, seed=4)
    outputs = layer({"images": images, "labels": labels})
    transformation = layer.get_random_transformation(images)
    mixed = layer.transform_images(images, transformation)
    weights = transformation["mix_weight"].reshape(-1, 1, 1, 1)
    partners = images[transformation["permutation_order"]]
    torch.testing.assert_close(mixed, weights * images + (1 - weights) * partners)
    torch.testing.assert_close(outputs["labels"].sum(dim=1), torch.ones(6))


def test_mix_up_rejects_bad_alpha():
    with pytest.raises(ValueError, match="alpha > 0"):
        MixUp(alpha=0.0)
