"""Image files and arrays: `load_img`, `img_to_array`, `array_to_img`, `save_img`.

Also `smart_resize`, which resizes without distorting the aspect ratio. PIL
(`pip install pillow`) is imported only by the functions that read or write
images.
"""

from __future__ import annotations

import io
import os
import pathlib
import warnings
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812

from lamina.backend import floatx
from lamina.backend import standardize_data_format

# PIL's resampling filters, by Keras's names (`load_img(interpolation=...)`).
PIL_INTERPOLATION_NAMES = (
    "nearest",
    "bilinear",
    "bicubic",
    "hamming",
    "box",
    "lanczos",
)
# Tensor resizing (`smart_resize`, `image_dataset_from_directory`), as
# `torch.nn.functional.interpolate` modes; Keras's torch backend uses the same.
RESIZE_MODES = {
    "bilinear": "bilinear",
    "nearest": "nearest-exact",
    "bicubic": "bicubic",
    "area": "area",
}


def _pil_image() -> Any:
    try:
        from PIL import Image
    except ImportError as err:
        raise ImportError(
            "Reading and writing images needs Pillow, which is not installed. "
            "Install it with `pip install pillow`."
        ) from err
    return Image


def array_to_img(
    x: Any,
    data_format: str | None = None,
    scale: bool = True,
    dtype: str | None = None,
) -> Any:
    """Converts a 3-D array to a PIL image.

    Args:
        x: One image, `(height, width, channels)` (or channels first), with
            1 (grayscale), 3 (RGB) or 4 (RGBA) channels.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        scale: Stretch the values so that the minimum becomes 0 and the
            maximum 255. Defaults to `True`.
        dtype: Float dtype used for the arithmetic. Defaults to `floatx()`.

    Returns:
        A `PIL.Image.Image` in mode `"L"`, `"I"` (grayscale above 255),
        `"RGB"` or `"RGBA"`.

    Example:
    >>> import numpy as np
    >>> image = array_to_img(np.zeros((4, 5, 3)))
    >>> image.mode, image.size
    ('RGB', (5, 4))
    """
    data_format = standardize_data_format(data_format)
    image_module = _pil_image()
    x = np.asarray(x, dtype=dtype or floatx())
    if x.ndim != 3:
        raise ValueError(
            f"array_to_img expects one image of rank 3, (height, width, "
            f"channels), but received an array of shape {x.shape}. Pass a "
            "single image, e.g. images[0]."
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)  # (height, width, channels)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return image_module.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image_module.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit integer grayscale, PIL mode "I"
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(
        f"array_to_img expects 1, 3 or 4 channels, but received an array of "
        f"shape {x.shape} with {channels} channels (data_format={data_format!r}). "
        "Check data_format, or keep 1, 3 or 4 channels."
    )


def img_to_array(
    img: Any, data_format: str | None = None, dtype: str | None = None
) -> np.ndarray:
    """Converts a PIL image to a 3-D NumPy array.

    Args:
        img: A `PIL.Image.Image` (anything `np.asarray` accepts).
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        dtype: Dtype of the result. Defaults to `floatx()`.

    Returns:
        `(height, width, channels)` (or channels first); grayscale images get
        a channels axis of size 1.

    Example:
    >>> import numpy as np
    >>> img_to_array(array_to_img(np.zeros((4, 5, 1)))).shape
    (4, 5, 1)
    """
    data_format = standardize_data_format(data_format)
    x = np.asarray(img, dtype=dtype or floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        if data_format == "channels_first":
            return x.reshape((1, *x.shape))  # (1, height, width)
        return x.reshape((*x.shape, 1))  # (height, width, 1)
    raise ValueError(
        f"img_to_array expects an image of rank 2 or 3, but received shape "
        f"{x.shape}. Pass a PIL image or a (height, width[, channels]) array."
    )


def save_img(
    path: str | os.PathLike | Any,
    x: Any,
    data_format: str | None = None,
    file_format: str | None = None,
    scale: bool = True,
    **kwargs: Any,
) -> None:
    """Saves an image held in an array to a file path or file object.

    Args:
        path: File path, or a file object (then pass `file_format`).
        x: One image, as for `array_to_img`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        file_format: `"png"`, `"jpeg"`, ... Defaults to the path's suffix.
        scale: Stretch values to `[0, 255]`. Defaults to `True`.
        **kwargs: Passed on to `PIL.Image.Image.save`.

    Example:
    >>> import io, numpy as np
    >>> buffer = io.BytesIO()
    >>> save_img(buffer, np.ones((2, 2, 3)), file_format="png")
    >>> img_to_array(load_img(buffer)).shape
    (2, 2, 3)
    """
    data_format = standardize_data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(
            "save_img received an RGBA image for a JPEG file, which has no "
            "alpha channel; the image is converted to RGB. Save as PNG to keep "
            "the alpha channel.",
            stacklevel=2,
        )
        img = img.convert("RGB")
    img.save(path, format=file_format or None, **kwargs)


def load_img(
    path: str | os.PathLike | bytes | io.BytesIO,
    color_mode: str = "rgb",
    target_size: tuple[int, int] | None = None,
    interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
) -> Any:
    """Loads an image file into a PIL image.

    Args:
        path: File path, or an `io.BytesIO` holding the file.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`. Defaults to `"rgb"`.
        target_size: `(height, width)` to resize to, or `None` to keep the
            file's size. Defaults to `None`.
        interpolation: PIL resampling filter for `target_size`: `"nearest"`,
            `"bilinear"`, `"bicubic"`, `"hamming"`, `"box"` or `"lanczos"`.
            Defaults to `"nearest"`.
        keep_aspect_ratio: Crop the centre to the target aspect ratio before
            resizing, so the image is not distorted. Defaults to `False`.

    Returns:
        A `PIL.Image.Image`.

    Example:
    >>> import io, numpy as np
    >>> buffer = io.BytesIO()
    >>> save_img(buffer, np.ones((4, 6, 3)), file_format="png")
    >>> load_img(buffer, color_mode="grayscale", target_size=(2, 3)).size
    (3, 2)
    """
    img = _open_image(path)
    img = _convert_color_mode(img, color_mode)
    if target_size is None:
        return img
    width_height = (target_size[1], target_size[0])
    if img.size == width_height:
        return img
    resample = _pil_resample(interpolation)
    if not keep_aspect_ratio:
        return img.resize(width_height, resample)
    return img.resize(
        width_height, resample, box=_center_crop_box(img.size, width_height)
    )


def _open_image(path: Any) -> Any:
    image_module = _pil_image()
    if isinstance(path, io.BytesIO):
        return image_module.open(path)
    if isinstance(path, (str, bytes, pathlib.Path)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as stream:  # read fully so the file is closed
            return image_module.open(io.BytesIO(stream.read()))
    raise TypeError(
        f"load_img expects path to be a file path or io.BytesIO, but received "
        f"{type(path).__name__}. Pass a str, pathlib.Path or io.BytesIO."
    )


def _convert_color_mode(img: Any, color_mode: str) -> Any:
    if color_mode == "grayscale":
        # 8-, 16- and 32-bit grayscale images keep their depth.
        return img if img.mode in ("L", "I;16", "I") else img.convert("L")
    if color_mode == "rgba":
        return img if img.mode == "RGBA" else img.convert("RGBA")
    if color_mode == "rgb":
        return img if img.mode == "RGB" else img.convert("RGB")
    raise ValueError(
        f"load_img expects color_mode in ('grayscale', 'rgb', 'rgba'), but "
        f"received color_mode={color_mode!r}."
    )


def _pil_resample(interpolation: str) -> Any:
    if interpolation not in PIL_INTERPOLATION_NAMES:
        raise ValueError(
            f"load_img received interpolation={interpolation!r}. Supported "
            f"methods: {', '.join(PIL_INTERPOLATION_NAMES)}."
        )
    return getattr(_pil_image().Resampling, interpolation.upper())


def _center_crop_box(
    size: tuple[int, int], target: tuple[int, int]
) -> tuple[int, int, int, int]:
    """The largest centred `(left, top, right, bottom)` box of `target`'s ratio."""
    width, height = size
    target_width, target_height = target
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    top = (height - crop_height) // 2
    left = (width - crop_width) // 2
    return (left, top, left + crop_width, top + crop_height)


def smart_resize(
    x: Any,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    data_format: str = "channels_last",
) -> Any:
    """Resizes images to `size` without distorting their aspect ratio.

    Takes the largest centred crop that has the aspect ratio of `size`, then
    resizes that crop to `size`. A NumPy input gives a NumPy output; a tensor
    input gives a tensor.

    Args:
        x: One image `(height, width, channels)` or a batch
            `(batch, height, width, channels)` (channels first with
            `data_format="channels_first"`).
        size: `(height, width)` of the result.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"` or `"area"`.
            Defaults to `"bilinear"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `"channels_last"`.

    Returns:
        The resized image(s), of the input's dtype.

    Example:
    >>> import numpy as np
    >>> smart_resize(np.ones((340, 500, 3)), (200, 200)).shape
    (200, 200, 3)
    """
    if len(size) != 2:
        raise ValueError(
            f"smart_resize expects size=(height, width), but received size={size}."
        )
    images = torch.as_tensor(x)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"smart_resize expects an image (height, width, channels) or a batch "
            f"(batch, height, width, channels), but received shape "
            f"{tuple(images.shape)}."
        )
    resized = resize_images(
        images, size, interpolation, data_format, crop_to_aspect_ratio=True
    )
    return resized.numpy() if isinstance(x, np.ndarray) else resized


def resize_images(
    images: torch.Tensor,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    data_format: str = "channels_last",
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
) -> torch.Tensor:
    """Resizes one image or a batch as Keras's `ops.image.resize` (torch).

    Example:
    >>> import torch
    >>> resize_images(torch.ones(4, 6, 3), (2, 2), pad_to_aspect_ratio=True).shape
    torch.Size([2, 2, 3])
    """
    if interpolation not in RESIZE_MODES:
        raise ValueError(
            f"Resizing received interpolation={interpolation!r}. Supported "
            f"methods: {', '.join(RESIZE_MODES)}."
        )
    is_single = images.ndim == 3
    batch = images[None] if is_single else images
    out_dtype = batch.dtype
    if not batch.is_floating_point():
        batch = batch.float()
    if data_format == "channels_last":
        batch = batch.permute(0, 3, 1, 2)  # (batch, channels, height, width)
    if crop_to_aspect_ratio:
        batch = _crop_to_aspect_ratio(batch, size)
    elif pad_to_aspect_ratio:
        batch = _pad_to_aspect_ratio(batch, size)
    mode = RESIZE_MODES[interpolation]
    align_corners = False if mode in ("bilinear", "bicubic") else None
    batch = F.interpolate(
        batch, size=tuple(size), mode=mode, align_corners=align_corners
    )
    if data_format == "channels_last":
        batch = batch.permute(0, 2, 3, 1)  # (batch, height, width, channels)
    if not out_dtype.is_floating_point:
        batch = torch.round(batch)
    batch = batch.to(out_dtype)
    return batch[0] if is_single else batch


def _crop_to_aspect_ratio(batch: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    height, width = batch.shape[-2:]
    target_height, target_width = size
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return batch[..., top : top + crop_height, left : left + crop_width]


def _pad_to_aspect_ratio(batch: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    height, width = batch.shape[-2:]
    target_height, target_width = size
    padded_height = max(height, int(float(width * target_height) / target_width))
    padded_width = max(width, int(float(height * target_width) / target_height))
    top = int(float(padded_height - height) / 2)
    left = int(float(padded_width - width) / 2)
    # Keras pads the same amount on both sides (so an odd gap shrinks by one).
    return F.pad(batch, (left, left, top, top))
