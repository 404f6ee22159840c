"""`Resizing`: resizes images to a fixed height and width."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_choice
from lamina.layers.preprocessing.image._arguments import check_size
from lamina.layers.preprocessing.image.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from lamina.ops.image import resize

INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area")


class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to `(height, width)`.

    By default the aspect ratio may change. `crop_to_aspect_ratio=True`
    first keeps the largest central window with the target's aspect ratio;
    `pad_to_aspect_ratio=True` instead pads the short side evenly with
    `fill_value`. Integer images stay integer (rounded and clipped). The
    layer acts in training and inference alike.

    Args:
        height: Integer, the output height.
        width: Integer, the output width.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"` or `"area"`.
            Defaults to `"bilinear"`. (Keras's `"lanczos3"`/`"lanczos5"` are
            refused, as by Keras's torch backend.)
        crop_to_aspect_ratio: Whether to crop to the target aspect ratio
            first. Defaults to `False`.
        pad_to_aspect_ratio: Whether to pad to the target aspect ratio first.
            Defaults to `False`.
        fill_mode: How padding is filled; only `"constant"`. Defaults to
            `"constant"`.
        fill_value: Padding value with `pad_to_aspect_ratio=True`. Defaults to
            `0.0`.
        antialias: Whether to low-pass filter when downsampling (bilinear and
            bicubic). Defaults to `False`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, in_height, in_width, channels)` or one image (transposed
        for `"channels_first"`).

    Output shape:
        `(batch, height, width, channels)` (transposed for
        `"channels_first"`).

    Example:
    >>> tuple(Resizing(16, 8)(torch.rand(2, 32, 32, 3)).shape)
    (2, 16, 8, 3)
    """

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        pad_to_aspect_ratio: bool = False,
        fill_mode: str = "constant",
        fill_value: float = 0.0,
        antialias: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        _check_arguments(
            height, width, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio
        )
        check_choice("Resizing", "fill_mode", fill_mode, ("constant",))
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> tuple[int, int]:
        """The input `(height, width)`: the resize depends only on it."""
        return self._spatial_size(self._images_of(data))

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        return self._resize(images, self.interpolation)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        """Resizes the masks with nearest-neighbour sampling."""
        masks, single = self._as_batch(segmentation_masks)
        outputs = self._resize(masks, "nearest")
        return outputs[0] if single else outputs

    def _resize(self, images: torch.Tensor, interpolation: str) -> torch.Tensor:
        return resize(
            images,
            (self.height, self.width),
            interpolation=interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )  # (batch, height, width, channels)

    def get_config(self) -> dict[str, Any]:
        config = {
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }
        return {**super().get_config(), **config}


def _check_arguments(
    height: Any,
    width: Any,
    interpolation: Any,
    crop_to_aspect_ratio: Any,
    pad_to_aspect_ratio: Any,
) -> None:
    check_size("Resizing", height, width)
    if interpolation in ("lanczos3", "lanczos5"):
        raise ValueError(
            f"Resizing received interpolation={interpolation!r}, but Lanczos "
            f"resampling is not available on PyTorch (Keras's torch backend "
            f"refuses it too). Use interpolation='bicubic' with antialias=True "
            f"for a similar result."
        )
    check_choice("Resizing", "interpolation", interpolation, INTERPOLATIONS)
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Resizing received crop_to_aspect_ratio=True and "
            "pad_to_aspect_ratio=True; the two exclude each other. Set one of "
            "them to False."
        )
