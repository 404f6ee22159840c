"""AugMix."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.aug_mix import AugMix


def test_aug_mix_passes_check_layer_in_inference():
    check_image_layer(lambda: AugMix((0, 1)), random_images(2, 5, 6, 3), (2, 5, 6, 3))


def test_aug_mix_with_seed_repeats_its_chains():
    images = random_images(2, 8, 8, 3)
    first, second = AugMix((0, 1), seed=3), AugMix((0, 1), seed=3)
    torch.testing.assert_close(first(images), second(images))


def test_aug_mix_weights_form_a_mixture():
    layer = AugMix((0, 1), num_chains=4, all_ops=False, seed=0)
    transformation = layer.get_random_transformation(random_images(2, 8, 8, 3))
    torch.testing.assert_close(
        transformation["chain_mixing_weights"].sum(), torch.tensor(1.0)
    )
    assert len(transformation["chain_transforms"]) == 4
    names = {
        step["layer_name"]
        for chain in transformation["chain_transforms"]
        for step in chain
    }
    assert not names & {"random_brightness", "random_contrast"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_chains": 0}, "num_chains to be a positive integer"),
        ({"chain_depth": 1.5}, "chain_depth to be a positive integer"),
        ({"alpha": -1.0}, "alpha to be a positive number"),
    ],
)
def test_aug_mix_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AugMix(**kwargs)
