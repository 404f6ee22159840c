"""RandomShear."""

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_shear import RandomShear


def test_random_shear_passes_check_layer_in_inference():
    # The sign of each shear is always random, so only the
    # inference path can be compared call to call.
    check_image_layer(
        lambda: RandomShear(0.3, (0.1, 0.2)),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
    )


def test_random_shear_shears_rows_about_the_top_left_corner():
    layer = RandomShear(
        x_factor=(1.0, 1.0), fill_mode="constant", interpolation="nearest"
    )
    images = torch.arange(1.0, 5.0).reshape(1, 1, 4, 1).expand(1, 3, 4, 1)
    transformation = {"shear_factor": torch.tensor([[1.0, 0.0]])}
    sheared = layer.transform_images(images, transformation)[0, ..., 0]
    # Row y samples x + y: row 0 unchanged, row 1 shifted left by one pixel.
    np.testing.assert_array_equal(sheared, [[1, 2, 3, 4], [2, 3, 4, 0], [3, 4, 0, 0]])


def test_random_shear_draws_both_signs_within_the_factor():
    layer = RandomShear(x_factor=(0.2, 0.4), y_factor=0.1, seed=5)
    shears = layer.get_random_transformation(torch.zeros(400, 3, 3, 1))["shear_factor"]
    magnitude_x = shears[:, 0].abs()
    assert 0.2 <= float(magnitude_x.min()) and float(magnitude_x.max()) <= 0.4
    assert float(shears[:, 1].abs().max()) <= 0.1
    negative = float((shears[:, 0] < 0).float().mean())
    assert 0.4 < negative < 0.6


def test_random_shear_config_stores_the_ranges():
    config = RandomShear(0.2, (0.3, 0.1)).get_config()
    assert config["x_factor"] == (-0.2, 0.2) and config["y_factor"] == (0.1, 0.3)
    assert RandomShear.from_config(config).x_factor == (-0.2, 0.2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"x_factor": -0.1},
            r"x_factor to be a number or a pair of numbers in \[0, 1\]",
        ),
        (
            {"y_factor": (0.1, 1.1)},
            r"y_factor to be a number or a pair of numbers in \[-1, 1\]",
        ),
        ({"interpolation": "area"}, "interpolation='area'"),
    ],
)
def test_random_shear_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RandomShear(**kwargs)
