"""`MixUp`: blends each image and label with another of the batch."""

from typing import Any

import torch

from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.ops._convert import to_tensor
from lamina.random.seed_generator import seeded


class MixUp(BaseRandomImageLayer):
    """Blends each sample with a random partner from the same batch.

    A random permutation pairs the samples and a weight `w ~ Beta(alpha,
    alpha)` is drawn per sample; images, labels and segmentation masks all
    become `w * x + (1 - w) * x[permutation]`
    ([mixup, Zhang et al. 2017](https://arxiv.org/abs/1710.09412)). Labels
    should be one-hot or probabilities. Outside training the data pass
    through.

    Args:
        alpha: Positive float, the Beta distribution's concentration.
            Defaults to `0.2`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)`, or a dict with `"images"` and
        optionally `"labels"` `(batch, classes)` and `"segmentation_masks"`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to mix. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> data = {"images": torch.ones(4, 2, 2, 3), "labels": torch.eye(4)}
    >>> MixUp(seed=0)(data)["labels"].sum(dim=1).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """

    def __init__(
        self,
        alpha: float = 0.2,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
            raise TypeError(
                f"MixUp expected alpha to be a positive float, but received "
                f"alpha={alpha!r}."
            )
        if alpha <= 0:
            raise ValueError(
                f"MixUp expected alpha > 0 (the Beta concentration), but "
                f"received alpha={alpha!r}. Try alpha=0.2."
            )
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.alpha = alpha

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"mix_weight": (batch,), "permutation_order": (batch,) int64}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        batch_size = images.shape[0]
        with seeded(self.generator if seed is None else seed, images.device) as device:
            permutation = torch.randperm(batch_size, device=device)
            concentration = torch.full((batch_size,), float(self.alpha), device=device)
            weights = torch.distributions.Beta(concentration, concentration).sample()
        return {"mix_weight": weights, "permutation_order": permutation}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training or transformation is None:
            return images
        return self._mix(self._to_compute_dtype(images), transformation)

    def transform_labels(
        self, labels: Any, transformation: Any = None, training: bool = True
    ) -> Any:
        """Blends the labels `(batch, classes)` with the same weights."""
        if not training or transformation is None:
            return labels
        return self._mix(to_tensor(labels).to(self._dtype), transformation)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> Any:
        """Blends the masks as the images are blended."""
        if not training or transformation is None:
            return segmentation_masks
        masks = to_tensor(segmentation_masks).to(self._dtype)
        return self._mix(masks, transformation)

    def _mix(self, values: torch.Tensor, transformation: Any) -> torch.Tensor:
        permutation = transformation["permutation_order"].to(values.device).long()
        weights = transformation["mix_weight"].to(values)
        weights = weights.reshape(-1, *[1] * (values.ndim - 1))  # (batch, 1, ...)
        return weights * values + (1.0 - weights) * values[permutation]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "alpha": self.alpha}
