"""RandomErasing."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_erasing import RandomErasing


def test_random_erasing_passes_check_layer_in_inference():
    check_image_layer(
        lambda: RandomErasing(value_range=(0, 1)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
    )


def test_random_erasing_fills_one_box_per_image():
    images = torch.ones(50, 10, 12, 3)
    layer = RandomErasing((1.0, 1.0), scale=(0.1, 0.3), fill_value=0.0, seed=1)
    erased = layer(images)
    assert bool((erased[..., 0] == erased[..., 2]).all())  # box spans channels
    kept = (erased[..., 0] == 1).float().mean(dim=(1, 2))
    assert float(kept.max()) < 1.0 and float(kept.min()) > 0.5


def test_random_erasing_fills_per_channel_values_in_channels_first():
    layer = RandomErasing(
        (1.0, 1.0), (1.0, 1.0), [1, 2, 3], data_format="channels_first"
    )
    erased = layer(torch.zeros(2, 3, 4, 4))
    assert erased[:, :, 0, 0].tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fill_value": [1, 2]}, "fill_value to be None"),
        ({"fill_value": "black"}, "fill_value to be None"),
        ({"scale": 1.5}, "scale to be a number or a pair"),
    ],
)
def test_random_erasing_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RandomErasing(**kwargs)
