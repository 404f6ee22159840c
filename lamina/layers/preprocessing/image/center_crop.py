"""`CenterCrop`: keeps the central window of each image."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_size
from lamina.layers.preprocessing.image.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from lamina.ops.image import resize


class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the central `(height, width)` window of each image.

    An input smaller than the target on either axis is instead cropped to
    the target's aspect ratio and resized (bilinear) to `(height, width)`,
    as Keras's `smart_resize` does. The layer acts in training and inference
    alike.

    Args:
        height: Integer, the output height.
        width: Integer, the output width.
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
    >>> images = torch.arange(16.0).reshape(1, 4, 4, 1)
    >>> CenterCrop(2, 2)(images)[0, ..., 0].tolist()
    [[5.0, 6.0], [9.0, 10.0]]
    """

    def __init__(
        self, height: int, width: int, data_format: str | None = None, **kwargs: Any
    ) -> None:
        check_size("CenterCrop", height, width)
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any]:
        """`{"input_shape": shape}`: the crop depends only on the shape."""
        return {"input_shape": tuple(self._images_of(data).shape)}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        in_height, in_width = self._spatial_size(images)
        if in_height < self.height or in_width < self.width:
            return resize(
                images,
                (self.height, self.width),
                crop_to_aspect_ratio=True,
                data_format=self.data_format,
            )  # (batch, height, width, channels)
        top = (in_height - self.height) // 2
        left = (in_width - self.width) // 2
        if self.data_format == "channels_last":
            return images[:, top : top + self.height, left : left + self.width, :]
        return images[:, :, top : top + self.height, left : left + self.width]

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        """Crops the masks as the images."""
        return self.transform_images(segmentation_masks, transformation, training)

    def get_config(self) -> dict[str, Any]:
        config = {"height": self.height, "width": self.width}
        return {**super().get_config(), **config}
