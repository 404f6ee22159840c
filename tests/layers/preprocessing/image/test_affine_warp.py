"""The batched warp behind the geometric layers equals `ops.image.affine_transform`."""

import itertools
import math

import pytest
import torch

from lamina.layers.preprocessing.image._affine import affine_warp
from lamina.ops.image import affine_transform


def _transforms(batch_size):
    generator = torch.Generator().manual_seed(0)
    angle = torch.rand(batch_size, generator=generator) * 2 * math.pi
    scale = 0.6 + torch.rand(batch_size, generator=generator)
    zeros = torch.zeros(batch_size)
    return torch.stack(
        [
            torch.cos(angle) * scale,
            -torch.sin(angle),
            torch.full((batch_size,), 3.3),
            torch.sin(angle),
            torch.cos(angle) / scale,
            torch.full((batch_size,), -2.2),
            zeros,
            zeros,
        ],
        dim=1,
    )


@pytest.mark.parametrize(
    ("interpolation", "fill_mode"),
    list(
        itertools.product(
            ["bilinear", "nearest"], ["reflect", "wrap", "constant", "nearest"]
        )
    ),
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_affine_warp_matches_the_op(interpolation, fill_mode, data_format):
    images = torch.rand(4, 7, 9, 3, generator=torch.Generator().manual_seed(1))
    if data_format == "channels_first":
        images = images.permute(0, 3, 1, 2)
    transforms = _transforms(4)
    expected = affine_transform(
        images, transforms, interpolation, fill_mode, 0.7, data_format
    )
    actual = affine_warp(images, transforms, interpolation, fill_mode, 0.7, data_format)
    torch.testing.assert_close(actual, expected, atol=2e-6, rtol=0)


@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
def test_affine_warp_rounds_half_pixels_like_the_op(fill_mode):
    images = torch.rand(2, 5, 6, 1, generator=torch.Generator().manual_seed(2))
    shifts = torch.tensor(
        [[1, 0, -2.5, 0, 1, 1.5, 0, 0], [1, 0, 7.5, 0, 1, -6.5, 0, 0.0]]
    )
    expected = affine_transform(images, shifts, "nearest", fill_mode, -1.0)
    actual = affine_warp(images, shifts, "nearest", fill_mode, -1.0, "channels_last")
    # Same pixels; "constant" adds and removes fill_value (float rounding).
    torch.testing.assert_close(actual, expected, atol=1e-6, rtol=0)


def test_affine_warp_keeps_integer_masks_integer():
    masks = torch.randint(0, 5, (2, 6, 6, 1))
    warped = affine_warp(
        masks, _transforms(2), "nearest", "reflect", 0.0, "channels_last"
    )
    assert warped.dtype == masks.dtype
    assert set(warped.unique().tolist()) <= set(masks.unique().tolist())
