"""`RandomGaussianBlur`: blurs some images with a random Gaussian in training."""

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)


class RandomGaussianBlur(BaseRandomImageLayer):
    """Blurs each image with probability `p` by a Gaussian of random width.

    For each image `p` is drawn from the factor's range; the blurred images
    share one pair of standard deviations per call, drawn from `sigma`
    (`sigma_x` across, `sigma_y` down). The blur pads with zeros and the
    result is clipped to `value_range`. Outside training the images pass
    through (as floats).

    Args:
        factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair: the blur
            probability. Defaults to `1.0`.
        kernel_size: Odd integer, or a pair of odd integers
            `(height, width)`. Defaults to `3`.
        sigma: A float `s` in `[0, 1]` for `(0, s)`, or a pair. Defaults to
            `1.0`.
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        seed: Integer seed or `None`. Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to blur. Defaults to `True`, as in Keras; a model
            passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = RandomGaussianBlur(kernel_size=3, sigma=(1.0, 1.0))
    >>> tuple(layer(torch.ones(2, 5, 5, 3)).shape)
    (2, 5, 5, 3)
    """

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        kernel_size: int | tuple[int, int] = 3,
        sigma: float | tuple[float, float] = 1.0,
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        factor = factor_range("RandomGaussianBlur", "factor", factor, (0, 1))
        kernel_size = _odd_sizes(kernel_size)
        sigma = factor_range("RandomGaussianBlur", "sigma", sigma, (0, 1))
        check_value_range("RandomGaussianBlur", value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.kernel_size = kernel_size
        self.sigma = sigma
        self.value_range = value_range

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor] | None:
        """`{"should_apply_blur": (batch,) bool, "blur_factor": (2,) sigmas}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        shape = (images.shape[0],)
        probability = self._uniform(shape, *self.factor, images, seed)
        threshold = self._uniform(shape, 0.0, 1.0, images, seed)
        sigmas = self._uniform((2,), *self.sigma, images, seed) + 1e-6
        return {"should_apply_blur": threshold < probability, "blur_factor": sigmas}

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        if self.data_format == "channels_last":
            images = images.permute(0, 3, 1, 2)  # (batch, channels, height, width)
        sigma_x, sigma_y = transformation["blur_factor"].to(images).unbind()
        rows = _gaussian(self.kernel_size[0], sigma_y, images)
        columns = _gaussian(self.kernel_size[1], sigma_x, images)
        channels = images.shape[1]
        kernel = torch.outer(rows, columns).expand(channels, 1, *self.kernel_size)
        padding = (self.kernel_size[0] // 2, self.kernel_size[1] // 2)
        blurred = F.conv2d(images, kernel, padding=padding, groups=channels)
        apply = transformation["should_apply_blur"].to(images.device)
        images = torch.where(apply.reshape(-1, 1, 1, 1), blurred, images)
        images = images.clamp(self.value_range[0], self.value_range[1])
        if self.data_format == "channels_last":
            images = images.permute(0, 2, 3, 1)  # (batch, height, width, channels)
        return images

    def get_config(self) -> dict[str, Any]:
        config = {
            "factor": self.factor,
            "kernel_size": self.kernel_size,
            "sigma": self.sigma,
            "value_range": self.value_range,
        }
        return {**super().get_config(), **config}


def _gaussian(size: int, sigma: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """A normalised 1D Gaussian of `size` taps; `sigma` stays a tensor."""
    positions = torch.arange(size, dtype=like.dtype, device=like.device)
    weights = torch.exp(-0.5 * ((positions - (size - 1) / 2) / sigma) ** 2)
    return weights / weights.sum()  # (size,)


def _odd_sizes(kernel_size: Any) -> tuple[int, int]:
    is_pair = isinstance(kernel_size, (tuple, list))
    sizes = list(kernel_size) if is_pair else [kernel_size, kernel_size]
    valid = len(sizes) == 2 and all(
        isinstance(size, int)
        and not isinstance(size, bool)
        and size > 0
        and size % 2 == 1
        for size in sizes
    )
    if not valid:
        raise ValueError(
            f"RandomGaussianBlur expected kernel_size to be an odd positive "
            f"integer or a pair of them, but received kernel_size="
            f"{kernel_size!r}. Use e.g. kernel_size=3 or kernel_size=(3, 5)."
        )
    return sizes[0], sizes[1]
