"""Resizing."""

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.resizing import Resizing
from lamina.ops.image import resize


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"interpolation": "nearest", "data_format": "channels_first"},
        {"interpolation": "bicubic", "crop_to_aspect_ratio": True},
        {"interpolation": "area", "pad_to_aspect_ratio": True, "fill_value": 1.0},
    ],
)
def test_resizing_passes_check_layer(kwargs):
    # Every case runs the same resize op; a cold torch.compile of it costs
    # seconds, so only the first case compiles.
    check_image_layer(
        lambda: Resizing(4, 6, **kwargs),
        random_images(2, 8, 5, 3),
        (2, 8, 4, 6) if kwargs.get("data_format") else (2, 4, 6, 3),
        check_compile=not kwargs,
    )


def test_resizing_equals_the_resize_op():
    images = random_images(2, 9, 7, 3)
    layer = Resizing(5, 4, "bicubic", pad_to_aspect_ratio=True, fill_value=0.5)
    expected = resize(
        images, (5, 4), "bicubic", pad_to_aspect_ratio=True, fill_value=0.5
    )
    torch.testing.assert_close(layer(images), expected)


def test_resizing_pads_the_short_side_with_fill_value():
    outputs = Resizing(4, 8, "nearest", pad_to_aspect_ratio=True, fill_value=-1.0)(
        torch.ones(1, 4, 4, 1)
    )
    np.testing.assert_array_equal(outputs[0, 0, :, 0], [-1, -1, 1, 1, 1, 1, -1, -1])


def test_resizing_keeps_integer_images_integer():
    images = torch.randint(0, 256, (1, 6, 6, 3), dtype=torch.uint8)
    resized = Resizing(3, 3)(images)
    assert resized.dtype == torch.uint8


def test_resizing_moves_masks_with_nearest_sampling():
    masks = torch.randint(0, 3, (2, 8, 8, 1))
    outputs = Resizing(4, 4)(
        {"images": random_images(2, 8, 8, 3), "segmentation_masks": masks}
    )
    assert outputs["images"].shape == (2, 4, 4, 3)
    assert set(outputs["segmentation_masks"].unique().tolist()) <= {0, 1, 2}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interpolation": "lanczos3"}, "Lanczos resampling is not available"),
        ({"interpolation": "cubic"}, "interpolation='cubic'. Expected one of"),
        (
            {"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True},
            "exclude each other",
        ),
        ({"fill_mode": "reflect"}, "fill_mode='reflect'"),
    ],
)
def test_resizing_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Resizing(4, 4, **kwargs)


def test_resizing_rejects_bad_sizes():
    with pytest.raises(ValueError, match="width to be a positive integer"):
        Resizing(4, None)
