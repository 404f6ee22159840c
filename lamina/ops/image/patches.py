"""Patches, padding and cropping of images.

Example:
>>> import torch
>>> extract_patches(torch.ones(1, 4, 4, 3), 2).shape
torch.Size([1, 2, 2, 12])
>>> pad_images(torch.ones(2, 2, 1), 1, 1, 1, 1).shape
torch.Size([4, 4, 1])
"""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.ops._convert import to_tensor
from lamina.ops.nn.conv import conv

TensorLike = Any


def _patch_kernel(
    size: tuple[int, ...], channels: int, dtype: torch.dtype, device: torch.device
) -> torch.Tensor:
    """An identity kernel so that patch values come out as `(*size, channels)`."""
    volume = channels
    for s in size:
        volume *= s
    eye = torch.eye(volume, dtype=dtype, device=device)
    return eye.reshape(*size, channels, volume)


def _extract(
    images: torch.Tensor,
    size: tuple[int, ...],
    strides: Any,
    dilation: Any,
    padding: str,
    data_format: str,
) -> torch.Tensor:
    channel_axis = -1 if data_format == "channels_last" else 1
    channels = images.shape[channel_axis]
    kernel = _patch_kernel(size, channels, images.dtype, images.device)
    return conv(
        images,
        kernel,
        strides=size if strides is None else strides,
        padding=padding,
        data_format=data_format,
        dilation_rate=dilation,
    )


def extract_patches(
    images: TensorLike,
    size: Any,
    strides: Any = None,
    dilation_rate: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Patches of `size` flattened into the channel axis, `(h, w, c)` order."""
    images = to_tensor(images)
    data_format = standardize_data_format(data_format)
    size = (size, size) if isinstance(size, int) else tuple(size)
    single = images.ndim == 3
    if single:
        images = images[None]
    patches = _extract(images, size, strides, dilation_rate, padding, data_format)
    return patches[0] if single else patches


def extract_patches_3d(
    volumes: TensorLike,
    size: Any,
    strides: Any = None,
    dilation_rate: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """3-D patches of `size` flattened into the channel axis."""
    volumes = to_tensor(volumes)
    data_format = standardize_data_format(data_format)
    size = (size,) * 3 if isinstance(size, int) else tuple(size)
    single = volumes.ndim == 4
    if single:
        volumes = volumes[None]
    patches = _extract(volumes, size, strides, dilation_rate, padding, data_format)
    return patches[0] if single else patches


def _sides(
    name: str,
    length: int,
    before: int | None,
    after: int | None,
    target: int | None,
    growing: bool,
) -> tuple[int, int]:
    """Resolves `before`/`after` amounts from at most two of three arguments."""
    given = [v is not None for v in (before, after, target)]
    if sum(given) != 2:
        raise ValueError(
            f"Pass exactly two of the {name} amounts (before, after, target); "
            f"received before={before}, after={after}, target={target}."
        )
    change = (
        None if target is None else (target - length if growing else length - target)
    )
    if before is None:
        before = change - after
    if after is None:
        after = change - before
    if before < 0 or after < 0:
        raise ValueError(
            f"The {name} amounts must be non-negative, but resolved to "
            f"before={before}, after={after} for a size of {length}."
        )
    return before, after


def _spatial(images: torch.Tensor, data_format: str) -> tuple[int, int]:
    if data_format == "channels_last":
        return -3, -2
    return -2, -1


def pad_images(
    images: TensorLike,
    top_padding: int | None = None,
    left_padding: int | None = None,
    bottom_padding: int | None = None,
    right_padding: int | None = None,
    target_height: int | None = None,
    target_width: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Zero-pads images to the given amounts or target size."""
    images = to_tensor(images)
    data_format = standardize_data_format(data_format)
    h_axis, w_axis = _spatial(images, data_format)
    top, bottom = _sides(
        "height", images.shape[h_axis], top_padding, bottom_padding, target_height, True
    )
    left, right = _sides(
        "width", images.shape[w_axis], left_padding, right_padding, target_width, True
    )
    pads = [0, 0] * (-h_axis)
    pads[2 * (-w_axis - 1)], pads[2 * (-w_axis - 1) + 1] = left, right
    pads[2 * (-h_axis - 1)], pads[2 * (-h_axis - 1) + 1] = top, bottom
    return torch.nn.functional.pad(images, pads)


def crop_images(
    images: TensorLike,
    top_cropping: int | None = None,
    left_cropping: int | None = None,
    bottom_cropping: int | None = None,
    right_cropping: int | None = None,
    target_height: int | None = None,
    target_width: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Crops images by the given amounts or to the target size."""
    images = to_tensor(images)
    data_format = standardize_data_format(data_format)
    h_axis, w_axis = _spatial(images, data_format)
    height, width = images.shape[h_axis], images.shape[w_axis]
    top, bottom = _sides(
        "height", height, top_cropping, bottom_cropping, target_height, False
    )
    left, right = _sides(
        "width", width, left_cropping, right_cropping, target_width, False
    )
    images = images.narrow(h_axis, top, height - top - bottom)
    return images.narrow(w_axis, left, width - left - right)
