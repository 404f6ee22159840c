"""Private: the random rectangles of `CutMix` and `RandomErasing`.

Example:
>>> import torch
>>> box_mask(torch.tensor([1.0]), torch.tensor([3.0]), torch.tensor([0.0]),
...          torch.tensor([1.0]), 2, 4)[0].int().tolist()
[[0, 1, 1, 0], [0, 0, 0, 0]]
"""

import torch


def box_mask(
    x0: torch.Tensor,
    x1: torch.Tensor,
    y0: torch.Tensor,
    y1: torch.Tensor,
    height: int,
    width: int,
) -> torch.Tensor:
    """`(batch, height, width)` booleans: pixels with `x0 <= x < x1` and
    `y0 <= y < y1`, one box per image."""
    ys = torch.arange(height, dtype=x0.dtype, device=x0.device)[:, None]
    xs = torch.arange(width, dtype=x0.dtype, device=x0.device)[None, :]
    x0, x1 = x0[:, None, None], x1[:, None, None]  # (batch, 1, 1)
    y0, y1 = y0[:, None, None], y1[:, None, None]
    return (xs >= x0) & (xs < x1) & (ys >= y0) & (ys < y1)


def expand_mask(mask: torch.Tensor, channels: int, data_format: str) -> torch.Tensor:
    """Repeats a `(batch, height, width)` mask on the channel axis."""
    if data_format == "channels_last":
        return mask[..., None].expand(*mask.shape, channels)  # (B, H, W, C)
    return mask[:, None].expand(mask.shape[0], channels, *mask.shape[1:])
