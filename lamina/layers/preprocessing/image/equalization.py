"""`Equalization`: flattens the histogram of each channel during training."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._value_range import rescale_values
from lamina.layers.preprocessing.image.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class Equalization(BaseImagePreprocessingLayer):
    """Spreads each channel's intensities evenly over the value range.

    Working in `[0, 255]`, the pixels of a channel are counted into `bins`
    bins and each pixel is replaced by its bin's rescaled cumulative count,
    rounded. As in Keras 3, the histogram of a channel is taken over the
    whole batch, a channel that fills at most one bin is left unchanged, and
    the layer equalizes only in training; in inference the images pass
    through.

    Args:
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        bins: Integer number of histogram bins. Defaults to `256`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`.

    Output shape:
        Same as the input, as floats.

    Call arguments:
        training: Whether to equalize. Defaults to `True`, as in Keras; a
            model passes `False` in `predict` and `evaluate`.

    Example:
    >>> Equalization()(torch.tensor([[[10.0], [20.0], [20.0]]]))[..., 0].tolist()
    [[0.0, 255.0, 255.0]]
    """

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        bins: int = 256,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        check_value_range("Equalization", value_range)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
            raise ValueError(
                f"Equalization expected bins to be an integer >= 2, but "
                f"received bins={bins!r}."
            )
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = sorted(value_range)
        self.bins = bins

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if not training:
            return images
        images = self._to_compute_dtype(images)
        if self.data_format == "channels_last":
            images = images.permute(3, 0, 1, 2)  # (channels, batch, height, width)
        else:
            images = images.permute(1, 0, 2, 3)  # (channels, batch, height, width)
        pixels = rescale_values(images, self.value_range, (0, 255))
        channels = pixels.reshape(pixels.shape[0], -1)  # (channels, pixels)
        equalized = _equalize(channels, self.bins).reshape(pixels.shape)
        equalized = rescale_values(equalized, (0, 255), self.value_range)
        if self.data_format == "channels_last":
            return equalized.permute(1, 2, 3, 0)  # (batch, height, width, channels)
        return equalized.permute(1, 0, 2, 3)  # (batch, channels, height, width)

    def get_config(self) -> dict[str, Any]:
        config = {"bins": self.bins, "value_range": self.value_range}
        return {**super().get_config(), **config}


def _equalize(channels: torch.Tensor, bins: int) -> torch.Tensor:
    """Equalizes each row of `(channels, pixels)` values in `[0, 255]`."""
    # Keras bins the pixels and reads the table with two differently rounded
    # formulas; both are kept so pixels on a bin edge land where Keras's do.
    indices = (channels * (bins - 1) / 255.0).to(torch.int32).clamp(0, bins - 1)
    histogram = torch.zeros(channels.shape[0], bins, device=channels.device)
    histogram.scatter_add_(1, indices.long(), torch.ones_like(channels))
    cdf = histogram.cumsum(dim=1)
    first = torch.where(cdf > 0, cdf, torch.inf).amin(dim=1, keepdim=True)
    denominator = cdf[:, -1:] - first
    denominator = torch.where(denominator == 0, 1.0, denominator)
    table = torch.round((cdf - first) * 255 / denominator).clamp(0, 255)
    lookup = ((channels / 255.0) * (bins - 1)).clamp(0, bins - 1).to(torch.int64)
    equalized = torch.gather(table, 1, lookup)  # (channels, pixels)
    filled_bins = (histogram > 0).sum(dim=1, keepdim=True)
    return torch.where(filled_bins <= 1, channels, equalized)
