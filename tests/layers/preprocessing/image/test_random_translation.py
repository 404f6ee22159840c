"""RandomTranslation."""

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.random_translation import RandomTranslation


def test_random_translation_passes_check_layer_in_inference():
    # The training path is checked with a fixed shift in
    # test_base_image_preprocessing_layer.py.
    check_image_layer(
        lambda: RandomTranslation(0.2, 0.3, data_format="channels_first"),
        random_images(2, 3, 5, 6),
        (2, 3, 5, 6),
    )


_ROW = torch.arange(1.0, 5.0).reshape(1, 1, 4, 1)  # a b c d = 1 2 3 4


@pytest.mark.parametrize(
    ("fill_mode", "expected"),
    [
        ("reflect", [2.0, 1.0, 1.0, 2.0]),  # (d c b a | a b c d)
        ("wrap", [3.0, 4.0, 1.0, 2.0]),  # (a b c d | a b c d)
        ("constant", [-1.0, -1.0, 1.0, 2.0]),  # (k k k k | a b c d)
        ("nearest", [1.0, 1.0, 1.0, 2.0]),  # (a a a a | a b c d)
    ],
)
def test_random_translation_fill_modes_follow_keras(fill_mode, expected):
    layer = RandomTranslation(0.0, (0.5, 0.5), fill_mode=fill_mode, fill_value=-1.0)
    np.testing.assert_array_equal(layer(_ROW)[0, 0, :, 0], expected)


def test_random_translation_shifts_down_by_whole_pixels():
    images = torch.arange(4.0).reshape(1, 4, 1, 1)
    layer = RandomTranslation((0.25, 0.25), 0.0, fill_mode="constant")
    np.testing.assert_array_equal(layer(images)[0, :, 0, 0], [0.0, 0.0, 1.0, 2.0])


def test_random_translation_draws_offsets_in_pixels():
    layer = RandomTranslation((-0.2, 0.1), 0.5, seed=4)
    translations = layer.get_random_transformation(torch.zeros(300, 10, 20, 1))[
        "translations"
    ]
    width_shift, height_shift = translations[:, 0], translations[:, 1]
    assert -10.0 <= float(width_shift.min()) and float(width_shift.max()) <= 10.0
    assert -2.0 <= float(height_shift.min()) and float(height_shift.max()) <= 1.0


def test_random_translation_bilinear_interpolates_half_pixels():
    layer = RandomTranslation(0.0, (0.125, 0.125), fill_mode="nearest")
    np.testing.assert_allclose(layer(_ROW)[0, 0, :, 0], [1.0, 1.5, 2.5, 3.5])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"height_factor": 1.2, "width_factor": 0.0}, "height_factor to be a number"),
        ({"height_factor": 0.1, "width_factor": (0.0, -1.5)}, "width_factor"),
        (
            {"height_factor": 0.1, "width_factor": 0.1, "fill_mode": "zeros"},
            "fill_mode",
        ),
    ],
)
def test_random_translation_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RandomTranslation(**kwargs)
