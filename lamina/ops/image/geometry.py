"""Geometric transforms: sampling at coordinates, affine and projective warps.

Example:
>>> import torch
>>> identity = torch.tensor([1.0, 0, 0, 0, 1.0, 0, 0, 0])
>>> images = torch.rand(1, 4, 4, 3)
>>> torch.allclose(affine_transform(images, identity), images)
True
"""

import functools
import itertools
import math
import operator
from typing import Any

import torch

from lamina.ops._convert import to_tensor
from lamina.ops.image._layout import from_nchw
from lamina.ops.image._layout import to_nchw

TensorLike = Any

_ORDERS = {"nearest": 0, "bilinear": 1}
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _mirror(index: torch.Tensor, size: int) -> torch.Tensor:
    period = max(size - 1, 1)
    return torch.abs((index + period) % (2 * period) - period)


def _fix_index(index: torch.Tensor, size: int, fill_mode: str) -> torch.Tensor:
    if fill_mode in ("constant", "nearest"):
        return torch.clamp(index, 0, size - 1)
    if fill_mode == "wrap":
        return torch.remainder(index, size)
    if fill_mode == "mirror":
        return _mirror(index, size)
    return torch.div(_mirror(2 * index + 1, 2 * size + 1) - 1, 2, rounding_mode="floor")


def _nodes(coordinate: torch.Tensor, order: int) -> list[tuple[torch.Tensor, Any]]:
    if order == 0:
        return [(torch.round(coordinate).long(), 1.0)]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    return [(lower.long(), 1.0 - upper_weight), (lower.long() + 1, upper_weight)]


def map_coordinates(
    inputs: TensorLike,
    coordinates: TensorLike,
    order: int,
    fill_mode: str = "constant",
    fill_value: float = 0,
) -> torch.Tensor:
    """Samples `inputs` at `coordinates` (one array per input axis).

    `order` 0 is nearest, 1 linear; `fill_mode` handles points outside.
    """
    inputs = to_tensor(inputs)
    coordinates = [to_tensor(c, device=inputs.device) for c in coordinates]
    if len(coordinates) != inputs.ndim:
        raise ValueError(
            f"map_coordinates needs one coordinate array per input axis "
            f"({inputs.ndim}), but received {len(coordinates)}."
        )
    if order not in (0, 1):
        raise ValueError(
            f"map_coordinates supports order 0 or 1, but received order={order}."
        )
    if fill_mode not in _FILL_MODES:
        raise ValueError(
            f"map_coordinates received fill_mode={fill_mode!r}. "
            f"Expected one of {_FILL_MODES}."
        )
    per_axis = []
    for coordinate, size in zip(coordinates, inputs.shape, strict=True):
        coordinate = coordinate.to(torch.promote_types(coordinate.dtype, torch.float32))
        per_axis.append(
            [
                (_fix_index(i, size, fill_mode), (i >= 0) & (i < size), w)
                for i, w in _nodes(coordinate, order)
            ]
        )
    values = inputs if inputs.is_floating_point() else inputs.float()
    total = 0
    for combination in itertools.product(*per_axis):
        indices, valid, weights = zip(*combination, strict=True)
        picked = values[indices]
        if fill_mode == "constant":
            inside = functools.reduce(operator.and_, valid)
            picked = torch.where(inside, picked, torch.full_like(picked, fill_value))
        total = total + functools.reduce(operator.mul, weights) * picked
    if not inputs.is_floating_point():
        total = torch.round(total)
    return total.to(inputs.dtype)


def _warp(
    images: torch.Tensor,
    transform: torch.Tensor,
    order: int,
    fill_mode: str,
    fill_value: float,
) -> torch.Tensor:
    """Samples NCHW `images` with 8-parameter projective transforms (B, 8)."""
    batch, channels, height, width = images.shape
    dtype = torch.promote_types(transform.dtype, torch.float32)
    transform = transform.to(dtype)
    ys, xs = torch.meshgrid(
        torch.arange(height, dtype=dtype, device=images.device),
        torch.arange(width, dtype=dtype, device=images.device),
        indexing="ij",
    )
    a0, a1, a2, b0, b1, b2, c0, c1 = (transform[:, i, None, None] for i in range(8))
    k = c0 * xs + c1 * ys + 1.0
    source_x = (a0 * xs + a1 * ys + a2) / k  # (B, H, W)
    source_y = (b0 * xs + b1 * ys + b2) / k
    outputs = []
    for index in range(batch):
        coordinates = [
            torch.arange(channels, device=images.device)[:, None, None].expand(
                channels, height, width
            ),
            source_y[index].expand(channels, height, width),
            source_x[index].expand(channels, height, width),
        ]
        outputs.append(
            map_coordinates(images[index], coordinates, order, fill_mode, fill_value)
        )
    return torch.stack(outputs)


def _check_warp_args(interpolation: str, fill_mode: str) -> int:
    if interpolation not in _ORDERS:
        raise ValueError(
            f"interpolation={interpolation!r} is not supported. "
            f"Expected one of {sorted(_ORDERS)}."
        )
    if fill_mode not in _FILL_MODES:
        raise ValueError(
            f"fill_mode={fill_mode!r} is not supported. Expected one of {_FILL_MODES}."
        )
    return _ORDERS[interpolation]


def affine_transform(
    images: TensorLike,
    transform: TensorLike,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Warps images by `[a0, a1, a2, b0, b1, b2, c0, c1]` transforms.

    The output point `(x, y)` samples the input at
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`.
    """
    order = _check_warp_args(interpolation, fill_mode)
    x, data_format, single = to_nchw(images, data_format)
    transform = to_tensor(transform, device=x.device)
    if transform.ndim == 1:
        transform = transform[None]
    warped = _warp(x, transform.expand(x.shape[0], 8), order, fill_mode, fill_value)
    return from_nchw(warped, data_format, single)


def _homography(source: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The 8 parameters mapping each `target` point onto its `source` point."""
    rows = []
    rhs = []
    for i in range(4):
        x, y = target[:, i, 0], target[:, i, 1]
        u, v = source[:, i, 0], source[:, i, 1]
        zero, one = torch.zeros_like(x), torch.ones_like(x)
        rows.append(torch.stack([x, y, one, zero, zero, zero, -u * x, -u * y], -1))
        rows.append(torch.stack([zero, zero, zero, x, y, one, -v * x, -v * y], -1))
        rhs.extend([u, v])
    system = torch.stack(rows, dim=1)  # (B, 8, 8)
    return torch.linalg.solve(system, torch.stack(rhs, dim=1))


def perspective_transform(
    images: TensorLike,
    start_points: TensorLike,
    end_points: TensorLike,
    interpolation: str = "bilinear",
    fill_value: float = 0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Warps images so the four `start_points` land on `end_points`.

    Points are `(x, y)` pairs of shape `(4, 2)` or `(batch, 4, 2)`.
    """
    order = _check_warp_args(interpolation, "constant")
    x, data_format, single = to_nchw(images, data_format)
    start = to_tensor(start_points, device=x.device).to(torch.float64)
    end = to_tensor(end_points, device=x.device).to(torch.float64)
    if start.ndim == 2:
        start, end = start[None], end[None]
    transform = _homography(start, end).to(torch.float32)
    warped = _warp(x, transform.expand(x.shape[0], 8), order, "constant", fill_value)
    return from_nchw(warped, data_format, single)


def elastic_transform(
    images: TensorLike,
    alpha: float = 20.0,
    sigma: float = 5.0,
    interpolation: str = "bilinear",
    fill_mode: str = "reflect",
    fill_value: float = 0.0,
    seed: Any = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Displaces pixels by a Gaussian-smoothed random field scaled by `alpha`."""
    from lamina.ops.image.filters import gaussian_blur
    from lamina.random import uniform

    order = _check_warp_args(interpolation, fill_mode)
    x, data_format, single = to_nchw(images, data_format)
    batch, channels, height, width = x.shape
    size = int(2 * math.ceil(3 * sigma) + 1)
    noise = uniform((batch, 2, height, width), -1.0, 1.0, seed=seed).to(x.device)
    field = (
        gaussian_blur(noise, (size, size), (sigma, sigma), data_format="channels_first")
        * alpha
    )
    ys, xs = torch.meshgrid(
        torch.arange(height, device=x.device, dtype=field.dtype),
        torch.arange(width, device=x.device, dtype=field.dtype),
        indexing="ij",
    )
    outputs = []
    for index in range(batch):
        coordinates = [
            torch.arange(channels, device=x.device)[:, None, None].expand(
                channels, height, width
            ),
            (ys + field[index, 0]).expand(channels, height, width),
            (xs + field[index, 1]).expand(channels, height, width),
        ]
        outputs.append(
            map_coordinates(
                x[index].float(), coordinates, order, fill_mode, fill_value
            ).to(x.dtype)
        )
    return from_nchw(torch.stack(outputs), data_format, single)


def _kernel(method: str, distance: torch.Tensor) -> torch.Tensor:
    distance = torch.abs(distance)
    if method in ("linear", "bilinear", "trilinear"):
        return torch.clamp(1.0 - distance, min=0.0)
    if method in ("cubic", "bicubic", "tricubic"):
        out = ((1.5 * distance - 2.5) * distance) * distance + 1.0
        far = ((-0.5 * distance + 2.5) * distance - 4.0) * distance + 2.0
        out = torch.where(distance >= 1.0, far, out)
        return torch.where(distance >= 2.0, torch.zeros_like(out), out)
    radius = 3.0 if method == "lanczos3" else 5.0
    out = torch.sinc(distance) * torch.sinc(distance / radius)
    return torch.where(distance > radius, torch.zeros_like(out), out)


def _weights(
    in_size: int,
    out_size: int,
    scale: float,
    translation: float,
    method: str,
    antialias: bool,
    dtype: torch.dtype,
    device: torch.device,
) -> torch.Tensor:
    """`(out_size, in_size)` resampling weights along one axis."""
    inverse = 1.0 / scale
    kernel_scale = max(inverse, 1.0) if antialias else 1.0
    centers = (
        torch.arange(out_size, dtype=dtype, device=device) + 0.5 - translation
    ) * inverse - 0.5
    sample = torch.arange(in_size, dtype=dtype, device=device)
    weights = _kernel(method, (centers[:, None] - sample[None, :]) / kernel_scale)
    total = weights.sum(dim=1, keepdim=True)
    weights = torch.where(
        total.abs() > 1000 * torch.finfo(dtype).eps,
        weights / torch.where(total != 0, total, torch.ones_like(total)),
        torch.zeros_like(weights),
    )
    inside = (centers >= -0.5) & (centers <= in_size - 0.5)
    return weights * inside[:, None]


def scale_and_translate(
    images: TensorLike,
    output_shape: Any,
    scale: TensorLike,
    translation: TensorLike,
    spatial_dims: Any,
    method: str,
    antialias: bool = True,
) -> torch.Tensor:
    """Resamples `spatial_dims` to `output_shape` with a scale and a translation.

    Follows `jax.image.scale_and_translate`: output pixel centre `o` samples
    input location `(o + 0.5 - translation) / scale - 0.5`.
    """
    x = to_tensor(images)
    out = x if x.is_floating_point() else x.float()
    scale = to_tensor(scale).reshape(-1).tolist()
    translation = to_tensor(translation).reshape(-1).tolist()
    for i, dim in enumerate(spatial_dims):
        weights = _weights(
            out.shape[dim],
            int(output_shape[dim]),
            scale[i],
            translation[i],
            method,
            antialias,
            out.dtype,
            out.device,
        )
        out = torch.movedim(
            torch.tensordot(torch.movedim(out, dim, -1), weights.T, dims=1), -1, dim
        )
    return out
