"""RandomPosterization."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_posterization import RandomPosterization


def test_random_posterization_passes_check_layer_in_training():
    # Equal bounds keep the bit count fixed: a fixed training path.
    check_image_layer(
        lambda: RandomPosterization((3, 3), value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=True,
    )


def test_random_posterization_clears_low_bits():
    images = torch.tensor([[[[255.0], [100.0], [37.0]]]])
    posterized = RandomPosterization((1, 1))(images)
    assert posterized[..., 0].tolist() == [[[128.0, 0.0, 0.0]]]


def test_random_posterization_draws_bits_below_the_upper_bound():
    layer = RandomPosterization((2, 5), seed=0)
    shifts = layer.get_random_transformation(torch.zeros(2000, 1, 1, 1))
    bits = 8 - shifts["shift_factor"].long()
    assert set(bits.unique().tolist()) == {2, 3, 4}


def test_random_posterization_rejects_bad_factor():
    with pytest.raises(ValueError, match=r"factor to be a number or a pair"):
        RandomPosterization(9)
