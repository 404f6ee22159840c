"""`RandomGrayscale`: turns images grey at random during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.ops.image import rgb_to_grayscale


class RandomGrayscale(BaseRandomImageLayer):
    """Replaces each image by its grey version with probability `factor`.

    The grey value `0.2989 R + 0.587 G + 0.114 B` is repeated on the three
    channels, so the shape is kept. Outside training the images pass
    through.

    Args:
        factor: Float in `[0, 1]`, the probability of turning an image grey.
            Defaults to `0.5`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, 3)` or one image, with 1 or 3 channels
        (transposed for `"channels_first"`).

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to turn images grey. Defaults to `True`, as in
            Keras; a model passes `False` in `predict` and `evaluate`.

    Example:
    >>> image = torch.tensor([[[1.0, 0.0, 0.0]]])
    >>> [round(value, 4) for value in RandomGrayscale(1.0)(image)[0, 0].tolist()]
    [0.2989, 0.2989, 0.2989]
    """

    def __init__(
        self,
        factor: float = 0.5,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(factor, bool) or not isinstance(factor, (int, float)):
            raise TypeError(
                f"RandomGrayscale expected factor to be a float in [0, 1], but "
                f"received factor={factor!r}."
            )
        if not 0 <= factor <= 1:
            raise ValueError(
                f"RandomGrayscale expected factor to be in [0, 1] (the "
                f"probability of turning an image grey), but received "
                f"factor={factor!r}."
            )
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> torch.Tensor | None:
        """A `(batch, 1, 1, 1)` boolean tensor: which images turn grey."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        draws = self._uniform((images.shape[0],), 0.0, 1.0, images, seed)
        return (draws < self.factor).reshape(-1, 1, 1, 1)

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        self._check_channels(images, (1, 3))
        images = self._to_compute_dtype(images)
        gray = rgb_to_grayscale(images, data_format=self.data_format)  # 1 channel
        apply = transformation.to(images.device).reshape(-1, 1, 1, 1)
        return torch.where(apply, gray, images)  # broadcasts the grey channel

    def get_config(self) -> dict[str, Any]:
        config = {**super().get_config(), "factor": self.factor}
        # Keras 3 leaves the seed out of this layer's config; so do we, so
        # the configs (and files) are the same.
        del config["seed"]
        return config
