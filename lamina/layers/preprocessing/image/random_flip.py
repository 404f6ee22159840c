"""`RandomFlip`: flips images at random during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_choice
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


class RandomFlip(BaseRandomImageLayer):
    """Flips each image with probability 0.5 during training.

    With `"horizontal_and_vertical"` one draw decides both flips, so an image
    is either unchanged or turned by 180 degrees (Keras's behaviour).
    Outside training the images pass through.

    Args:
        mode: `"horizontal"` (left-right), `"vertical"` (upside down) or
            `"horizontal_and_vertical"`. Defaults to
            `"horizontal_and_vertical"`.
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`
        (transposed for `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to flip. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> images = torch.tensor([[[[1.0], [2.0], [3.0]]]])
    >>> RandomFlip("horizontal")(images, training=False)[0, 0, :, 0].tolist()
    [1.0, 2.0, 3.0]
    """

    def __init__(
        self,
        mode: str = HORIZONTAL_AND_VERTICAL,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        check_choice("RandomFlip", "mode", mode, MODES)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = mode

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """`{"flips": (batch, 1, 1, 1) booleans, "input_shape": shape}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        flips = self._uniform((images.shape[0], 1, 1, 1), 0.0, 1.0, images, seed) <= 0.5
        return {"flips": flips, "input_shape": tuple(images.shape)}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        return self._flip(images, transformation, training)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        """Flips the masks as the images."""
        masks, single = self._as_batch(segmentation_masks)
        outputs = self._flip(masks, transformation, training)
        return outputs[0] if single else outputs

    def _flip(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        flips = transformation["flips"].reshape(-1, 1, 1, 1).to(images.device)
        width_axis, height_axis = (
            (2, 1) if self.data_format == "channels_last" else (3, 2)
        )
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = torch.where(flips, images.flip(width_axis), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = torch.where(flips, images.flip(height_axis), images)
        return images

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mode": self.mode}
