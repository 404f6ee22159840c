"""`BaseImagePreprocessingLayer`: what every image preprocessing layer shares.

The shared protocol follows Keras 3: `get_random_transformation(data,
training)` draws the random parameters of one call, and
`transform_images(images, transformation, training)` applies them, so the
same transformation can be replayed on other images (or on Keras's layer).
Random layers augment only when `training` is true; as in Keras, a layer
called on its own defaults to `training=True`, while `fit` passes `True` and
`predict`/`evaluate` pass `False` to every layer of the model.
"""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.layers.layer import Layer
from lamina.ops._convert import to_tensor

_DICT_KEYS = ("images", "labels", "segmentation_masks")


class BaseImagePreprocessingLayer(Layer):
    """Base of the image preprocessing layers (`Resizing`, `RandomFlip`, ...).

    Subclasses define `_transform_batch(images, transformation, training)`
    for a 4D batch and, when random, `get_random_transformation`. Inputs are
    one image `(height, width, channels)` or a batch; a dict with `"images"`
    (and optionally `"labels"` and `"segmentation_masks"`) is transformed
    consistently, as in Keras.

    Args:
        data_format: `"channels_last"` (`(batch, height, width, channels)`)
            or `"channels_first"`. Defaults to `image_data_format()`.
        bounding_box_format: Accepted only as `None`: lamina does not
            transform bounding boxes.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).
    """

    def __init__(
        self,
        data_format: str | None = None,
        bounding_box_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        if bounding_box_format is not None:
            raise ValueError(
                f"{owner} received bounding_box_format={bounding_box_format!r}, "
                f"but lamina's image preprocessing layers do not transform "
                f"bounding boxes. Pass bounding_box_format=None and transform "
                f"the boxes separately."
            )
        try:
            data_format = standardize_data_format(data_format)
        except ValueError as err:
            raise ValueError(
                f"{owner} received data_format={data_format!r}. Expected "
                f"'channels_last', 'channels_first' or None (the global "
                f"image_data_format())."
            ) from err
        super().__init__(**kwargs)
        self.data_format = data_format

    # ------------------------------------------------------------------ call
    def call(self, inputs: Any, training: bool | None = True) -> Any:
        training = True if training is None else bool(training)
        if isinstance(inputs, dict):
            return self._call_on_dict(inputs, training)
        transformation = self.get_random_transformation(inputs, training=training)
        return self.transform_images(inputs, transformation, training=training)

    def _call_on_dict(self, data: dict[str, Any], training: bool) -> dict[str, Any]:
        unknown = sorted(set(data) - set(_DICT_KEYS))
        if "images" not in data or unknown:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) accepts a dict with "
                f"the key 'images' and optionally 'labels' and "
                f"'segmentation_masks', but received keys {sorted(data)}. "
                f"Bounding boxes are not supported; pass them separately."
            )
        transformation = self.get_random_transformation(data, training=training)
        outputs = dict(data)
        outputs["images"] = self.transform_images(
            data["images"], transformation, training=training
        )
        if "labels" in data:
            outputs["labels"] = self.transform_labels(
                data["labels"], transformation, training=training
            )
        if "segmentation_masks" in data:
            outputs["segmentation_masks"] = self.transform_segmentation_masks(
                data["segmentation_masks"], transformation, training=training
            )
        return outputs

    # ------------------------------------------------------- transformations
    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> Any:
        """The random parameters of one call; `None` for deterministic layers.

        Args:
            data: The images (3D or 4D) or a dict holding them under `"images"`.
            training: Whether the layer augments.
            seed: Optional int or `SeedGenerator` for this draw instead of the
                layer's own `seed`.
        """
        return None

    def transform_images(
        self, images: Any, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        """Applies `transformation` (from `get_random_transformation`).

        Args:
            images: One image `(height, width, channels)` or a batch.
            transformation: The parameters to apply; Keras's transformation
                dicts (same keys) work too.
            training: Whether to augment; `False` gives the inference output.
        """
        batch, single = self._as_batch(images)
        outputs = self._transform_batch(batch, transformation, training)
        return outputs[0] if single else outputs

    def transform_labels(
        self, labels: Any, transformation: Any = None, training: bool = True
    ) -> Any:
        """Labels pass through unchanged."""
        return labels

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> Any:
        """Masks pass through unchanged; geometric layers move them with the
        images (nearest-neighbour sampling)."""
        return segmentation_masks

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        raise NotImplementedError(
            f"{type(self).__name__} must define _transform_batch(images, "
            f"transformation, training) for a 4D batch of images."
        )

    # --------------------------------------------------------------- helpers
    def _as_batch(self, images: Any) -> tuple[torch.Tensor, bool]:
        images = to_tensor(images)
        if images.ndim not in (3, 4):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expected one image "
                f"(rank 3) or a batch of images (rank 4) in {self.data_format} "
                f"format, but received shape {tuple(images.shape)}. Add or remove "
                f"the batch axis."
            )
        single = images.ndim == 3
        return (images[None] if single else images), single  # (batch, ...)

    def _images_of(self, data: Any) -> torch.Tensor:
        images = data["images"] if isinstance(data, dict) else data
        batch, _ = self._as_batch(images)
        return batch

    def _spatial_size(self, images: torch.Tensor) -> tuple[int, int]:
        """`(height, width)` of a 4D batch."""
        if self.data_format == "channels_last":
            return images.shape[1], images.shape[2]
        return images.shape[2], images.shape[3]

    def _check_channels(self, images: torch.Tensor, allowed: tuple[int, ...]) -> None:
        axis = -1 if self.data_format == "channels_last" else 1
        if images.shape[axis] not in allowed:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) works on RGB images "
                f"and expected {' or '.join(map(str, allowed))} channels on axis "
                f"{axis} ({self.data_format}), but received shape "
                f"{tuple(images.shape)}. Check data_format, or convert the "
                f"images to RGB."
            )

    def _to_compute_dtype(self, images: torch.Tensor) -> torch.Tensor:
        return images.to(self._dtype)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}
