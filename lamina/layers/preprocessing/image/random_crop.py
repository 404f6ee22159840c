"""`RandomCrop`: crops a random window of the batch during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_size
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.ops.image import resize


class RandomCrop(BaseRandomImageLayer):
    """Crops every image of a batch to `(height, width)` at one random place.

    During training, when the input is larger than the target on both axes,
    one window position is drawn per batch (all images share it, as in
    Keras); a smaller input gets Keras's fallback, a target-sized window
    placed as the central window below, clipped to the image and stretched
    to `(height, width)`. Outside training the layer keeps the largest
    central window with the target's aspect ratio and resizes it to
    `(height, width)`, so the output shape never depends on `training`
    (Keras 3.15 returns the input unchanged there, contradicting its own
    documentation and output shape).

    Args:
        height: Integer, the output height.
        width: Integer, the output width.
        seed: Integer seed or `None`. With `None` the draws are unseeded and
            `get_config()` reports a seed picked at random, as in Keras.
            Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        name: Optional layer name.
        **kwargs: Base layer arguments (`dtype`, ...).

    Input shape:
        `(batch, in_height, in_width, channels)` or one image (transposed
        for `"channels_first"`).

    Output shape:
        `(batch, height, width, channels)` (transposed for
        `"channels_first"`).

    Call arguments:
        training: Whether to crop at random. Defaults to `True`, as in Keras;
            a model passes `False` in `predict` and `evaluate`.

    Example:
    >>> tuple(RandomCrop(4, 5, seed=1)(torch.rand(2, 8, 8, 3)).shape)
    (2, 4, 5, 3)
    """

    def __init__(
        self,
        height: int,
        width: int,
        seed: int | None = None,
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        check_size("RandomCrop", height, width)
        super().__init__(seed=seed, data_format=data_format, name=name, **kwargs)
        if seed is None:
            # As Keras: the config reports a concrete seed, while the draws
            # stay unseeded (torch's generator, which `torch.compile` traces).
            self.seed = int(torch.randint(1, 10**9, ()))
        self.height = height
        self.width = width

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> tuple[Any, Any] | None:
        """`(top, left)` of the window; `None` outside training.

        Random offsets are 0-d integer tensors on the images' device (no host
        sync, and `torch.compile` traces them); the fallback window of an
        input not larger than the target has Python int offsets.
        """
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        in_height, in_width = self._spatial_size(images)
        if in_height > self.height and in_width > self.width:
            top = self._uniform((), 0.0, in_height - self.height + 1.0, images, seed)
            left = self._uniform((), 0.0, in_width - self.width + 1.0, images, seed)
            return top.long(), left.long()
        crop_height, crop_width = _aspect_window(
            in_height, in_width, self.height, self.width
        )
        return int((in_height - crop_height) / 2), int((in_width - crop_width) / 2)

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return self._central_resize(images)
        top, left = transformation
        if isinstance(top, torch.Tensor) or isinstance(left, torch.Tensor):
            return self._gather_window(images, top, left)
        height_axis, width_axis = self._spatial_axes()
        window = images.narrow(
            height_axis, top, min(self.height, images.shape[height_axis] - top)
        )
        window = window.narrow(
            width_axis, left, min(self.width, images.shape[width_axis] - left)
        )
        if self._spatial_size(window) == (self.height, self.width):
            return window  # (batch, height, width, channels)
        # Keras's fallback for small inputs: the clipped window, stretched.
        return resize(window, (self.height, self.width), data_format=self.data_format)

    def _gather_window(self, images: torch.Tensor, top: Any, left: Any) -> torch.Tensor:
        """The `(height, width)` window at tensor offsets, without a host sync."""
        height_axis, width_axis = self._spatial_axes()
        device = images.device
        rows = torch.as_tensor(top, device=device).long() + torch.arange(
            self.height, device=device
        )
        columns = torch.as_tensor(left, device=device).long() + torch.arange(
            self.width, device=device
        )
        window = images.index_select(height_axis, rows.reshape(-1))
        return window.index_select(width_axis, columns.reshape(-1))  # (B, h, w, C)

    def _spatial_axes(self) -> tuple[int, int]:
        return (1, 2) if self.data_format == "channels_last" else (2, 3)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        """Crops the masks as the images."""
        return self.transform_images(segmentation_masks, transformation, training)

    def _central_resize(self, images: torch.Tensor) -> torch.Tensor:
        return resize(
            images,
            (self.height, self.width),
            crop_to_aspect_ratio=True,
            data_format=self.data_format,
        )  # (batch, height, width, channels)

    def get_config(self) -> dict[str, Any]:
        config = {"height": self.height, "width": self.width}
        return {**super().get_config(), **config}


def _aspect_window(
    in_height: int, in_width: int, height: int, width: int
) -> tuple[int, int]:
    """The largest central window of the target aspect ratio."""
    crop_height = max(min(in_height, int(in_width * height / width)), 1)
    crop_width = max(min(in_width, int(in_height * width / height)), 1)
    return crop_height, crop_width
