"""RandomZoom."""

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_zoom import RandomZoom


def test_random_zoom_passes_check_layer_in_inference():
    # The training path is checked with a fixed zoom in
    # test_base_image_preprocessing_layer.py.
    check_image_layer(
        lambda: RandomZoom(0.2, (-0.1, 0.3), interpolation="nearest"),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
    )


def test_random_zoom_in_by_half_magnifies_the_centre():
    images = torch.arange(16.0).reshape(1, 4, 4, 1)
    zoomed = RandomZoom((-0.5, -0.5), interpolation="nearest")(images)[0, ..., 0]
    # Output pixel x samples 0.5 x + 0.75: the central 2 x 2 block, doubled.
    np.testing.assert_array_equal(
        zoomed, [[5, 5, 6, 6], [5, 5, 6, 6], [9, 9, 10, 10], [9, 9, 10, 10]]
    )


def test_random_zoom_without_width_factor_keeps_the_aspect_ratio():
    transformation = RandomZoom(0.4, seed=1).get_random_transformation(
        torch.zeros(50, 3, 3, 1)
    )
    assert torch.equal(transformation["height_zoom"], transformation["width_zoom"])
    zooms = transformation["height_zoom"]
    assert float(zooms.min()) >= 0.6 and float(zooms.max()) <= 1.4


def test_random_zoom_draws_each_axis_from_its_range():
    layer = RandomZoom((0.1, 0.2), (-0.3, -0.2), seed=2)
    transformation = layer.get_random_transformation(torch.zeros(200, 3, 3, 1))
    height, width = transformation["height_zoom"], transformation["width_zoom"]
    assert 1.1 <= float(height.min()) and float(height.max()) <= 1.2
    assert 0.7 <= float(width.min()) and float(width.max()) <= 0.8


def test_random_zoom_wrap_fill_repeats_the_image():
    images = torch.arange(4.0).reshape(1, 1, 4, 1)
    zoomed = RandomZoom(
        (0.0, 0.0), (1.0, 1.0), fill_mode="wrap", interpolation="nearest"
    )(images)
    # Width scale 2 about x = 1.5: x samples 2 x - 1.5, wrapped into [0, 4).
    np.testing.assert_array_equal(zoomed[0, 0, :, 0], [2.0, 0.0, 2.0, 0.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"height_factor": -1.0},
            r"height_factor to be a number or a pair of numbers in \(-1, 1\]",
        ),
        ({"height_factor": 0.1, "width_factor": (0.1, 2.0)}, "width_factor"),
        ({"height_factor": [0.1]}, "height_factor"),
        ({"height_factor": 0.1, "fill_mode": "edge"}, "fill_mode='edge'"),
    ],
)
def test_random_zoom_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RandomZoom(**kwargs)
