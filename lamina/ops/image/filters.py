"""Image filters: Gaussian blur, Sobel edges, SSIM.

Example:
>>> import torch
>>> gaussian_blur(torch.ones(1, 5, 5, 1)).shape
torch.Size([1, 5, 5, 1])
"""

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.ops._convert import to_float
from lamina.ops._convert import to_tensor
from lamina.ops.image._layout import from_nchw
from lamina.ops.image._layout import to_nchw

TensorLike = Any


def _gaussian(
    size: int, sigma: float, dtype: torch.dtype, device: torch.device
) -> torch.Tensor:
    positions = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (positions / sigma) ** 2)
    return kernel / kernel.sum()


def _depthwise(x: torch.Tensor, kernel: torch.Tensor, padding: Any) -> torch.Tensor:
    channels = x.shape[1]
    weight = kernel.to(x.dtype).expand(channels, 1, *kernel.shape)
    return F.conv2d(x, weight, padding=padding, groups=channels)


def gaussian_blur(
    images: TensorLike,
    kernel_size: Any = (3, 3),
    sigma: Any = (1.0, 1.0),
    data_format: str | None = None,
) -> torch.Tensor:
    """Blurs with a `kernel_size = (height, width)` Gaussian of std `sigma`."""
    x, data_format, single = to_nchw(images, data_format)
    x = to_float(x)
    kernel_size = (
        (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    )
    sigma = (
        (sigma, sigma)
        if isinstance(sigma, (int, float))
        else tuple(float(s) for s in to_tensor(sigma).reshape(-1).tolist())
    )
    rows = _gaussian(int(kernel_size[0]), float(sigma[0]), x.dtype, x.device)
    cols = _gaussian(int(kernel_size[1]), float(sigma[1]), x.dtype, x.device)
    kernel = torch.outer(rows, cols)
    padded = F.pad(
        x,
        (
            int(kernel_size[1]) // 2,
            (int(kernel_size[1]) - 1) // 2,
            int(kernel_size[0]) // 2,
            (int(kernel_size[0]) - 1) // 2,
        ),
    )
    return from_nchw(_depthwise(padded, kernel, 0), data_format, single)


def sobel_edges(images: TensorLike, data_format: str | None = None) -> torch.Tensor:
    """Sobel gradients; a last axis of 2 holds `(dy, dx)` per channel."""
    x, data_format, single = to_nchw(images, data_format)
    x = to_float(x)
    sobel_x = torch.tensor(
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=x.dtype, device=x.device
    )
    edges_y = _depthwise(x, sobel_x.T, 1)
    edges_x = _depthwise(x, sobel_x, 1)
    edges = torch.stack([edges_y, edges_x], dim=-1)  # (N, C, H, W, 2)
    if data_format == "channels_last":
        edges = edges.permute(0, 2, 3, 1, 4)
    return edges.squeeze(0) if single else edges


def ssim(
    image1: TensorLike,
    image2: TensorLike,
    max_val: float = 1.0,
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
    data_format: str | None = None,
) -> torch.Tensor:
    """Structural similarity per image, averaged over pixels and channels."""
    first, data_format, single = to_nchw(image1, data_format)
    second, _, _ = to_nchw(image2, data_format)
    first, second = to_float(first), to_float(second).to(to_float(first).dtype)
    window = _gaussian(filter_size, filter_sigma, first.dtype, first.device)
    kernel = torch.outer(window, window)

    def blur(t: torch.Tensor) -> torch.Tensor:
        return _depthwise(t, kernel, 0)

    mean1, mean2 = blur(first), blur(second)
    var1 = blur(first * first) - mean1**2
    var2 = blur(second * second) - mean2**2
    covariance = blur(first * second) - mean1 * mean2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    score = ((2 * mean1 * mean2 + c1) * (2 * covariance + c2)) / (
        (mean1**2 + mean2**2 + c1) * (var1 + var2 + c2)
    )
    result = score.mean(dim=(1, 2, 3))
    return result[0] if single else result
