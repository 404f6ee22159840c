"""Resizing images with Keras's interpolation names.

Example:
>>> import torch
>>> resize(torch.ones(1, 4, 4, 3), (2, 2)).shape
torch.Size([1, 2, 2, 3])
"""

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.ops.image._layout import from_nchw
from lamina.ops.image._layout import to_nchw

TensorLike = Any

_MODES = {
    "bilinear": "bilinear",
    "nearest": "nearest-exact",
    "bicubic": "bicubic",
    "area": "area",
}


def resize(
    images: TensorLike,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Resizes to `size = (height, width)`.

    `interpolation` is `"bilinear"`, `"nearest"`, `"bicubic"` or `"area"`;
    `antialias` low-pass filters when downsampling (bilinear and bicubic).
    """
    if interpolation not in _MODES:
        raise ValueError(
            f"resize received interpolation={interpolation!r}. Expected one of "
            f"{sorted(_MODES)}."
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "resize accepts only one of crop_to_aspect_ratio and "
            "pad_to_aspect_ratio. Set one of them to False."
        )
    if fill_mode != "constant":
        raise ValueError(
            f"resize supports only fill_mode='constant', but received {fill_mode!r}."
        )
    if len(size) != 2:
        raise ValueError(
            f"resize expected size=(height, width), but received {size!r}."
        )
    x, data_format, single = to_nchw(images, data_format)
    out_dtype = x.dtype
    if not x.is_floating_point():
        x = x.float()
    if crop_to_aspect_ratio:
        x = _crop_to_aspect(x, size)
    elif pad_to_aspect_ratio:
        x = _pad_to_aspect(x, size, fill_value)
    mode = _MODES[interpolation]
    align = False if mode in ("bilinear", "bicubic") else None
    resized = F.interpolate(
        x,
        size=tuple(size),
        mode=mode,
        align_corners=align,
        antialias=antialias and mode in ("bilinear", "bicubic"),
    )
    if not out_dtype.is_floating_point:
        info = torch.iinfo(out_dtype)
        resized = torch.round(resized).clamp(info.min, info.max)
    return from_nchw(resized.to(out_dtype), data_format, single)


def _crop_to_aspect(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    height, width = x.shape[-2:]
    target_height, target_width = size
    crop_height = max(min(height, int(width * target_height / target_width)), 1)
    crop_width = max(min(width, int(height * target_width / target_height)), 1)
    top = int((height - crop_height) / 2)
    left = int((width - crop_width) / 2)
    return x[..., top : top + crop_height, left : left + crop_width]


def _pad_to_aspect(
    x: torch.Tensor, size: tuple[int, int], fill_value: float
) -> torch.Tensor:
    height, width = x.shape[-2:]
    target_height, target_width = size
    pad_height = max(height, int(width * target_height / target_width))
    pad_width = max(width, int(height * target_width / target_height))
    top = int((pad_height - height) / 2)
    left = int((pad_width - width) / 2)
    return F.pad(x, (left, left, top, top), value=fill_value)
