"""Colour-space conversions: grayscale, HSV.

Example:
>>> import torch
>>> rgb_to_grayscale(torch.ones(2, 2, 3)).shape
torch.Size([2, 2, 1])
"""

from typing import Any

import torch

from lamina.ops._convert import to_tensor
from lamina.ops.image._layout import channel_axis

TensorLike = Any


def _check_rank(images: torch.Tensor) -> None:
    if images.ndim not in (3, 4):
        raise ValueError(
            f"Expected images of rank 3 or 4, but received shape {tuple(images.shape)}."
        )


def rgb_to_grayscale(
    images: TensorLike, data_format: str | None = None
) -> torch.Tensor:
    """Luma `0.2989 R + 0.587 G + 0.114 B`, keeping a channel axis of size 1."""
    images = to_tensor(images)
    _check_rank(images)
    axis = channel_axis(data_format)
    if images.shape[axis] == 1:
        return images.clone()
    if images.shape[axis] != 3:
        raise ValueError(
            f"rgb_to_grayscale expected 1 or 3 channels on axis {axis}, but "
            f"received shape {tuple(images.shape)}."
        )
    red, green, blue = images.unbind(dim=axis)
    gray = (0.2989 * red + 0.587 * green + 0.114 * blue).to(images.dtype)
    return gray.unsqueeze(axis)


def _float_planes(images: TensorLike, data_format: str | None) -> tuple:
    images = to_tensor(images)
    _check_rank(images)
    if not images.is_floating_point():
        raise ValueError(
            f"Expected float images, but received dtype {images.dtype}. Cast "
            f"the images to float32 (values in [0, 1])."
        )
    axis = channel_axis(data_format)
    return images.unbind(dim=axis), axis


def rgb_to_hsv(images: TensorLike, data_format: str | None = None) -> torch.Tensor:
    """RGB in [0, 1] to hue, saturation, value in [0, 1]."""
    (red, green, blue), axis = _float_planes(images, data_format)
    value = torch.maximum(torch.maximum(red, green), blue)
    spread = value - torch.minimum(torch.minimum(red, green), blue)
    safe_value = torch.where(value > 0, value, torch.ones_like(value))
    safe_spread = torch.where(spread > 0, spread, torch.ones_like(spread))
    saturation = torch.where(value > 0, spread / safe_value, torch.zeros_like(value))
    scale = 1.0 / (6.0 * safe_spread)
    hue = torch.where(
        value == green,
        scale * (blue - red) + 2.0 / 6.0,
        scale * (red - green) + 4.0 / 6.0,
    )
    hue = torch.where(value == red, scale * (green - blue), hue)
    hue = torch.where(spread > 0, hue, torch.zeros_like(hue))
    hue = hue + (hue < 0).to(hue.dtype)
    return torch.stack([hue, saturation, value], dim=axis)


def hsv_to_rgb(images: TensorLike, data_format: str | None = None) -> torch.Tensor:
    """Hue, saturation, value in [0, 1] to RGB in [0, 1]."""
    (hue, saturation, value), axis = _float_planes(images, data_format)
    sector = torch.remainder(hue, 1.0) * 6.0
    red = torch.clamp(torch.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    green = torch.clamp(2.0 - torch.abs(sector - 2.0), 0.0, 1.0)
    blue = torch.clamp(2.0 - torch.abs(sector - 4.0), 0.0, 1.0)
    gray = 1.0 - saturation
    planes = [value * (gray + saturation * c) for c in (red, green, blue)]
    return torch.stack(planes, dim=axis)
