"""`BaseRandomAffineLayer`: the warp behind rotation, zoom, translation, shear."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._affine import affine_warp
from lamina.layers.preprocessing.image._arguments import check_choice
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


class BaseRandomAffineLayer(BaseRandomImageLayer):
    """Warps each image by its own random affine transform during training.

    Subclasses draw the parameters in `get_random_transformation` and turn a
    transformation into Keras's `(batch, 8)` transform parameters in
    `_transform_matrix`. Points that fall outside the input are filled
    according to `fill_mode`:

    - `"reflect"`: `(d c b a | a b c d | d c b a)`, mirrored about the edge.
    - `"wrap"`: `(a b c d | a b c d | a b c d)`, the opposite edge.
    - `"constant"`: `(k k k k | a b c d | k k k k)` with `k = fill_value`.
    - `"nearest"`: `(a a a a | a b c d | d d d d)`, the nearest pixel.

    Args:
        fill_mode: One of the modes above. Defaults to `"reflect"`.
        interpolation: `"bilinear"` or `"nearest"`. Defaults to `"bilinear"`.
        seed: Integer seed or `None`. Defaults to `None`.
        fill_value: Value outside the image with `fill_mode="constant"`.
            Defaults to `0.0`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).
    """

    def __init__(
        self,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        check_choice(owner, "fill_mode", fill_mode, FILL_MODES)
        check_choice(owner, "interpolation", interpolation, INTERPOLATIONS)
        if isinstance(fill_value, bool) or not isinstance(fill_value, (int, float)):
            raise TypeError(
                f"{owner} expected fill_value to be a number, but received "
                f"fill_value={fill_value!r}."
            )
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def _transform_matrix(
        self, transformation: dict[str, Any], images: torch.Tensor
    ) -> torch.Tensor:
        raise NotImplementedError(
            f"{type(self).__name__} must define _transform_matrix(transformation, "
            f"images) returning (batch, 8) transform parameters."
        )

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        return self._warp(images, transformation, training, self.interpolation)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        """Moves the masks with the images, sampling the nearest pixel."""
        masks, single = self._as_batch(segmentation_masks)
        outputs = self._warp(masks, transformation, training, "nearest")
        return outputs[0] if single else outputs

    def _warp(
        self,
        images: torch.Tensor,
        transformation: Any,
        training: bool,
        interpolation: str,
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        matrix = self._transform_matrix(transformation, images)  # (batch, 8)
        return affine_warp(
            images,
            matrix,
            interpolation,
            self.fill_mode,
            self.fill_value,
            self.data_format,
        )

    def get_config(self) -> dict[str, Any]:
        config = {
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }
        return {**super().get_config(), **config}
