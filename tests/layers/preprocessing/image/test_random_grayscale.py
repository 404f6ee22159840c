"""RandomGrayscale."""

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_grayscale import RandomGrayscale


def test_random_grayscale_passes_check_layer_in_inference():
    # The training path is checked with factor=1 in
    # test_base_image_preprocessing_layer.py.
    check_image_layer(
        lambda: RandomGrayscale(0.5, data_format="channels_first"),
        random_images(2, 3, 5, 6),
        (2, 3, 5, 6),
    )


def test_random_grayscale_turns_about_factor_of_the_images_grey():
    images = random_images(1000, 2, 2, 3)
    outputs = RandomGrayscale(0.3, seed=4)(images)
    grey = (outputs[..., :1] == outputs).flatten(1).all(1)
    unchanged = (outputs == images).flatten(1).all(1)
    assert bool((grey | unchanged).all())
    assert 0.25 < float(grey.float().mean()) < 0.35


def test_random_grayscale_uses_keras_luma_weights():
    outputs = RandomGrayscale(1.0)(torch.tensor([[[[1.0, 0.5, 0.0]]]]))
    np.testing.assert_allclose(outputs[0, 0, 0], [0.5924] * 3, rtol=1e-4)


def test_random_grayscale_config_leaves_out_the_seed_like_keras():
    config = RandomGrayscale(0.2, seed=3).get_config()
    assert "seed" not in config and config["factor"] == 0.2


@pytest.mark.parametrize("factor", [-0.1, 1.5])
def test_random_grayscale_rejects_factor_outside_unit_interval(factor):
    with pytest.raises(ValueError, match="factor to be in \\[0, 1\\]"):
        RandomGrayscale(factor)


def test_random_grayscale_rejects_four_channels():
    with pytest.raises(ValueError, match="expected 1 or 3 channels"):
        RandomGrayscale(1.0)(random_images(2, 4, 4, 4))
