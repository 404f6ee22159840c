"""`CutMix`: pastes a random patch of another image into each image."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image._boxes import box_mask
from lamina.layers.preprocessing.image._boxes import expand_mask
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.ops._convert import to_tensor
from lamina.random.seed_generator import seeded


class CutMix(BaseRandomImageLayer):
    """Replaces a random box of each image by the same box of a partner image.

    A random permutation pairs the images of the batch. Each box covers a
    fraction `1 - w` of the image (with the image's aspect ratio), where
    `w ~ Beta(a, a)` and `a` is drawn once per call from the factor's range;
    the labels are blended by the area actually kept
    ([CutMix, Yun et al. 2019](https://arxiv.org/abs/1905.04899)).
    Segmentation masks are cut like the images. A single image (rank 3) and
    calls outside training pass through.

    Args:
        factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair: the range of
            the Beta concentration `a`. Defaults to `1.0`.
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
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
    >>> data = {"images": torch.ones(4, 6, 6, 3), "labels": torch.eye(4)}
    >>> outputs = CutMix(seed=0)(data)
    >>> torch.allclose(outputs["labels"].sum(dim=1), torch.ones(4))
    True
    """

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("CutMix", "factor", factor, (0, 1))
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"permutation_order": (batch,), "batch_masks": images' shape bool,
        "mix_weight": (batch,) area kept}`; `None` for one image."""
        raw = data["images"] if isinstance(data, dict) else data
        images = self._images_of(data)
        if self._skips_draws(images, training) or to_tensor(raw).ndim == 3:
            return None
        batch_size = images.shape[0]
        height, width = self._spatial_size(images)
        source = self.generator if seed is None else seed
        with seeded(source, images.device) as device:
            alpha = torch.rand((), device=device) * (self.factor[1] - self.factor[0])
            alpha = (alpha + self.factor[0] + 1e-6).expand(batch_size)
            weights = torch.distributions.Beta(alpha, alpha).sample()  # (batch,)
            ratio = torch.sqrt(1.0 - weights)
            x0 = torch.rand(batch_size, device=device) * (width - ratio * width)
            y0 = torch.rand(batch_size, device=device) * (height - ratio * height)
            permutation = torch.randperm(batch_size, device=device)
        x1, y1 = x0 + ratio * width, y0 + ratio * height
        channel_axis = -1 if self.data_format == "channels_last" else 1
        mask = box_mask(x0, x1, y0, y1, height, width)  # (batch, height, width)
        return {
            "permutation_order": permutation,
            "batch_masks": expand_mask(
                mask, images.shape[channel_axis], self.data_format
            ),
            "mix_weight": 1.0 - (x1 - x0) * (y1 - y0) / (width * height),
        }

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        permutation = transformation["permutation_order"].to(images.device).long()
        masks = transformation["batch_masks"].to(images.device)
        return torch.where(masks, images[permutation], images)

    def transform_labels(
        self, labels: Any, transformation: Any = None, training: bool = True
    ) -> Any:
        """Blends labels `(batch, classes)` by the fraction of each image kept."""
        if not training or transformation is None:
            return labels
        labels = to_tensor(labels).to(self._dtype)
        permutation = transformation["permutation_order"].to(labels.device).long()
        weights = transformation["mix_weight"].to(labels).reshape(-1, 1)
        return weights * labels + (1.0 - weights) * labels[permutation]

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any = None, training: bool = True
    ) -> Any:
        """Cuts and pastes the masks as the images are."""
        return self.transform_images(segmentation_masks, transformation, training)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": self.factor}
