"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE)."""

from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._value_range import rescale_values
from lamina.layers.preprocessing.image.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

_LEVELS = 256


class ContrastLimitedAdaptiveHistogramEqualization(BaseImagePreprocessingLayer):
    """Equalizes each tile's histogram, with clipped counts, and blends tiles.

    The image (in `[0, 255]`) is cut into a `tile_grid_size` grid of tiles,
    the bottom and right padded by mirroring. Each tile's 256-level
    histogram per channel is clipped at `int(clip_limit * tile_pixels / 256)`
    counts (truncated, as Keras does), the excess is spread evenly, and the
    result turned into an equalizing table. Each pixel takes the bilinear
    blend of the tables of the four nearest tile centres
    ([Zuiderveld 1994](https://doi.org/10.1016/B978-0-12-336156-1.50061-6)).
    Deterministic: it runs in training and inference alike, as in Keras.

    Args:
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        clip_limit: Non-negative float; `0` turns clipping off. Defaults to
            `4.0`.
        tile_grid_size: `(rows, columns)` of tiles. Defaults to `(8, 8)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)`.

    Output shape:
        Same as the input, in the input's dtype.

    Example:
    >>> layer = ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
    >>> tuple(layer(torch.rand(1, 8, 8, 3) * 255).shape)
    (1, 8, 8, 3)
    """

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        clip_limit: float = 4.0,
        tile_grid_size: tuple[int, int] = (8, 8),
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        owner = "ContrastLimitedAdaptiveHistogramEqualization"
        check_value_range(owner, value_range)
        if (
            isinstance(clip_limit, bool)
            or not isinstance(clip_limit, (int, float))
            or clip_limit < 0
        ):
            raise ValueError(
                f"{owner} expected clip_limit to be a non-negative number (0 "
                f"turns clipping off), but received clip_limit={clip_limit!r}."
            )
        if not (
            isinstance(tile_grid_size, (tuple, list))
            and len(tile_grid_size) == 2
            and all(
                isinstance(size, int) and not isinstance(size, bool) and size > 0
                for size in tile_grid_size
            )
        ):
            raise ValueError(
                f"{owner} expected tile_grid_size to be a pair of positive "
                f"integers (rows, columns), but received "
                f"tile_grid_size={tile_grid_size!r}."
            )
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        if self.data_format == "channels_first":
            images = images.permute(0, 2, 3, 1)  # (batch, height, width, channels)
        pixels = rescale_values(images.to(torch.float32), self.value_range, (0, 255))
        tables = self._tile_tables(pixels)  # (batch, rows + 2, cols + 2, C, 256)
        result = self._blend(pixels, tables)
        result = rescale_values(result, (0, 255), self.value_range).to(images.dtype)
        if self.data_format == "channels_first":
            result = result.permute(0, 3, 1, 2)  # (batch, channels, height, width)
        return result

    def _tile_tables(self, pixels: torch.Tensor) -> torch.Tensor:
        """Each tile's equalizing table, with the outer tiles repeated once."""
        batch, height, width, channels = pixels.shape
        rows, columns = self.tile_grid_size
        tile_h, tile_w = -(-height // rows), -(-width // columns)
        padded = _mirror_pad(pixels, tile_h * rows - height, tile_w * columns - width)
        tiles = padded.reshape(batch, rows, tile_h, columns, tile_w, channels)
        tiles = tiles.permute(0, 1, 3, 5, 2, 4).reshape(
            batch, rows, columns, channels, tile_h * tile_w
        )  # (batch, rows, columns, channels, tile pixels)
        levels = tiles.to(torch.int32).clamp(0, _LEVELS - 1).long()
        counts = torch.zeros(*tiles.shape[:-1], _LEVELS, device=pixels.device)
        counts.scatter_add_(-1, levels, torch.ones_like(tiles))  # (..., 256)
        if self.clip_limit > 0:
            # Keras counts in integers, so the limit is truncated to a count.
            limit = int(self.clip_limit * (tile_h * tile_w) / _LEVELS)
            clipped = counts.clamp(0, limit)
            excess = (counts - clipped).sum(dim=-1, keepdim=True)
            counts = clipped + excess / _LEVELS
        cdf = counts.cumsum(dim=-1)
        cdf_min = cdf.amin(dim=-1, keepdim=True)
        denominator = tile_h * tile_w - cdf_min
        denominator = torch.where(denominator == 0, 1.0, denominator)
        tables = ((cdf - cdf_min) * 255.0 / denominator).clamp(0, 255)
        tables = torch.cat([tables[:, :1], tables, tables[:, -1:]], dim=1)
        return torch.cat([tables[:, :, :1], tables, tables[:, :, -1:]], dim=2)

    def _blend(self, pixels: torch.Tensor, tables: torch.Tensor) -> torch.Tensor:
        """Bilinear blend of the four nearest tile tables at each pixel."""
        batch, height, width, channels = pixels.shape
        rows, columns = self.tile_grid_size
        tile_h, tile_w = -(-height // rows), -(-width // columns)
        device = pixels.device
        y0, y1, wy = _neighbours(height, tile_h, rows, device)
        x0, x1, wx = _neighbours(width, tile_w, columns, device)
        y0, y1, wy = y0[:, None, None], y1[:, None, None], wy[:, None, None]
        x0, x1, wx = x0[:, None], x1[:, None], wx[:, None]
        b = torch.arange(batch, device=device)[:, None, None, None]
        c = torch.arange(channels, device=device)
        level = pixels.clamp(0, 255).to(torch.int32).long()  # (B, H, W, C)
        top = tables[b, y0, x0, c, level] * (1 - wx) + tables[b, y0, x1, c, level] * wx
        bottom = (
            tables[b, y1, x0, c, level] * (1 - wx) + tables[b, y1, x1, c, level] * wx
        )
        return top * (1 - wy) + bottom * wy  # (batch, height, width, channels)

    def get_config(self) -> dict[str, Any]:
        config = {
            "value_range": self.value_range,
            "clip_limit": self.clip_limit,
            "tile_grid_size": self.tile_grid_size,
        }
        return {**super().get_config(), **config}


def _mirror_pad(pixels: torch.Tensor, pad_h: int, pad_w: int) -> torch.Tensor:
    """Pads the bottom and right of `(B, H, W, C)` by mirroring, edge included."""
    if pad_h:
        pixels = torch.cat([pixels, pixels.flip(1)[:, :pad_h]], dim=1)
    if pad_w:
        pixels = torch.cat([pixels, pixels.flip(2)[:, :, :pad_w]], dim=2)
    return pixels


def _neighbours(
    size: int, tile: int, count: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per pixel row (or column): the two nearest tile indices in the table
    padded by one tile each side, and the weight of the second."""
    position = (torch.arange(size, device=device) - tile / 2.0) / tile + 1.0
    first = torch.floor(position)
    weight = position - first
    second = (first + 1).clamp(0, count + 1).long()
    return first.clamp(0, count + 1).long(), second, weight
