"""Private: batched affine warps for the random geometric layers.

`lamina.ops.image.affine_transform` samples one image at a time through
`map_coordinates`; the layers run on every training batch, so they warp the
whole batch with one `grid_sample` call instead. On a 2-core CPU that is 20 to
25 times faster for batches of 32-128 images (measured: 1.8 ms against 53 ms
for `(128, 3, 32, 32)`), and the outputs agree with the op to float rounding
(`tests/layers/preprocessing/image/test_affine_warp.py` checks every fill mode
and interpolation against it).

Keras's fill modes map onto `grid_sample` exactly:

- `"reflect"` (`d c b a | a b c d | d c b a`) is `padding_mode="reflection"`
  with `align_corners=False`: both mirror about the outer pixel edges.
- `"nearest"` (`a a a a | a b c d | d d d d`) is `padding_mode="border"`.
- `"constant"` is `padding_mode="zeros"` on `images - fill_value`, plus
  `fill_value`: each out-of-image neighbour then weighs in as `fill_value`.
- `"wrap"` (`a b c d | a b c d | a b c d`) has no `grid_sample` mode: the
  coordinates are taken modulo the size and the image gains a copy of its
  first row and column, so the neighbour past the last pixel is the first.

For `interpolation="nearest"` the coordinates are rounded (half to even, as
Keras does) before sampling, so `grid_sample` only ever sees whole pixels.
"""

import torch
import torch.nn.functional as F  # noqa: N812

_PADDING_MODES = {"constant": "zeros", "nearest": "border", "reflect": "reflection"}


def affine_warp(
    images: torch.Tensor,
    transforms: torch.Tensor,
    interpolation: str,
    fill_mode: str,
    fill_value: float,
    data_format: str,
) -> torch.Tensor:
    """Warps a batch by Keras's 8-parameter transforms `(batch, 8)`.

    Output pixel `(x, y)` samples the input at
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`,
    the convention of `keras.ops.image.affine_transform`.

    Args:
        images: Float batch `(batch, height, width, channels)` or
            `(batch, channels, height, width)`.
        transforms: `(batch, 8)` or `(8,)` transform parameters.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        fill_value: Value of points outside the image with `"constant"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        The warped batch, same shape and dtype as `images`.
    """
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)  # (batch, channels, height, width)
    work = images if images.dtype in (torch.float32, torch.float64) else images.float()
    source_x, source_y = _source_points(work, transforms)  # (batch, height, width)
    if interpolation == "nearest":
        source_x, source_y = torch.round(source_x), torch.round(source_y)
    mode = "nearest" if interpolation == "nearest" else "bilinear"
    if fill_mode == "wrap":
        warped = _sample_wrapped(work, source_x, source_y, mode)
    else:
        warped = _sample(work, source_x, source_y, mode, fill_mode, fill_value)
    warped = warped.to(images.dtype)
    if data_format == "channels_last":
        warped = warped.permute(0, 2, 3, 1)  # (batch, height, width, channels)
    return warped


def _source_points(
    images: torch.Tensor, transforms: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    height, width = images.shape[-2:]
    transforms = transforms.to(device=images.device, dtype=images.dtype)
    transforms = transforms.reshape(-1, 8)[:, :, None, None]  # (batch, 8, 1, 1)
    a0, a1, a2, b0, b1, b2, c0, c1 = transforms.unbind(dim=1)
    ys = torch.arange(height, dtype=images.dtype, device=images.device)[:, None]
    xs = torch.arange(width, dtype=images.dtype, device=images.device)[None, :]
    k = c0 * xs + c1 * ys + 1.0  # (batch, height, width)
    return (a0 * xs + a1 * ys + a2) / k, (b0 * xs + b1 * ys + b2) / k


def _sample(
    images: torch.Tensor,
    source_x: torch.Tensor,
    source_y: torch.Tensor,
    mode: str,
    fill_mode: str,
    fill_value: float,
) -> torch.Tensor:
    shift = float(fill_value) if fill_mode == "constant" else 0.0
    grid = _normalized_grid(source_x, source_y, images.shape[-2:])
    warped = F.grid_sample(
        images - shift if shift else images,
        grid.expand(images.shape[0], *grid.shape[1:]),
        mode=mode,
        padding_mode=_PADDING_MODES[fill_mode],
        align_corners=False,
    )
    return warped + shift if shift else warped


def _sample_wrapped(
    images: torch.Tensor, source_x: torch.Tensor, source_y: torch.Tensor, mode: str
) -> torch.Tensor:
    height, width = images.shape[-2:]
    source_x = torch.remainder(source_x, width)
    source_y = torch.remainder(source_y, height)
    tiled = torch.cat([images, images[..., :1, :]], dim=-2)  # (B, C, H + 1, W)
    tiled = torch.cat([tiled, tiled[..., :1]], dim=-1)  # (B, C, H + 1, W + 1)
    grid = _normalized_grid(source_x, source_y, (height + 1, width + 1))
    return F.grid_sample(
        tiled,
        grid.expand(images.shape[0], *grid.shape[1:]),
        mode=mode,
        padding_mode="border",
        align_corners=False,
    )


def _normalized_grid(
    source_x: torch.Tensor, source_y: torch.Tensor, size: tuple[int, int]
) -> torch.Tensor:
    """Pixel coordinates to `grid_sample`'s `[-1, 1]` (pixel edges at +-1)."""
    height, width = size
    grid_x = (2.0 * source_x + 1.0) / width - 1.0
    grid_y = (2.0 * source_y + 1.0) / height - 1.0
    return torch.stack([grid_x, grid_y], dim=-1)  # (batch, height, width, 2)
