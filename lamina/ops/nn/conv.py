"""Convolution and pooling ops on Keras layouts.

Inputs are channels_last by default (`data_format=None` reads the global
`image_data_format`); kernels are in Keras layout `(*spatial, in, out)`. Both
are fed to PyTorch's kernels through permuted views. `"same"` padding follows
TensorFlow: any odd extra row or column goes at the end.

Example:
>>> import torch
>>> images = torch.ones(1, 5, 5, 3)
>>> tuple(conv(images, torch.ones(3, 3, 3, 8), padding="same").shape)
(1, 5, 5, 8)
>>> tuple(max_pool(images, 2).shape)
(1, 2, 2, 3)
"""

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.backend.config import standardize_data_format
from lamina.ops._convert import tensors
from lamina.ops._convert import to_tensor

TensorLike = Any

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_AVG = {
    1: F.adaptive_avg_pool1d,
    2: F.adaptive_avg_pool2d,
    3: F.adaptive_avg_pool3d,
}
_ADAPTIVE_MAX = {
    1: F.adaptive_max_pool1d,
    2: F.adaptive_max_pool2d,
    3: F.adaptive_max_pool3d,
}


def _tuple(value: Any, rank: int, name: str) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * rank
    value = tuple(int(v) for v in value)
    if len(value) != rank:
        raise ValueError(
            f"{name}={value} has {len(value)} entries, but the input has {rank} "
            f"spatial axes. Pass an int or a tuple of {rank} ints."
        )
    return value


def _rank(inputs: torch.Tensor) -> int:
    rank = inputs.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"Expected inputs of rank 3, 4 or 5 (batch, spatial..., channels), "
            f"but received shape {tuple(inputs.shape)}."
        )
    return rank


def to_channels_first(inputs: torch.Tensor, data_format: str) -> torch.Tensor:
    """`(N, *spatial, C)` -> `(N, C, *spatial)` when channels_last."""
    if data_format == "channels_first":
        return inputs
    return torch.movedim(inputs, -1, 1)


def from_channels_first(outputs: torch.Tensor, data_format: str) -> torch.Tensor:
    """`(N, C, *spatial)` -> `(N, *spatial, C)` when channels_last."""
    if data_format == "channels_first":
        return outputs
    return torch.movedim(outputs, 1, -1)


def _same_padding(
    length: int, kernel: int, stride: int, dilation: int
) -> tuple[int, int]:
    effective = (kernel - 1) * dilation + 1
    out_length = -(-length // stride)
    total = max(0, (out_length - 1) * stride + effective - length)
    return total // 2, total - total // 2


def _pad_same(
    inputs: torch.Tensor,
    kernel: tuple,
    strides: tuple,
    dilation: tuple,
    value: float = 0.0,
) -> torch.Tensor:
    """Pads the spatial axes of a channels_first tensor TensorFlow-style."""
    pads = []
    for length, k, s, d in zip(
        inputs.shape[2:], kernel, strides, dilation, strict=True
    ):
        pads.append(_same_padding(length, k, s, d))
    flat = [p for pair in reversed(pads) for p in pair]
    if not any(flat):
        return inputs
    return F.pad(inputs, flat, value=value)


def _check_padding(padding: str) -> str:
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(
            f"padding={padding!r} is not supported. Expected 'valid' or 'same'."
        )
    return padding


def conv(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> torch.Tensor:
    """N-D convolution with a Keras-layout kernel `(*spatial, in / groups, out)`."""
    inputs, kernel = tensors(inputs, kernel)
    data_format = standardize_data_format(data_format)
    rank = _rank(inputs)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    x = to_channels_first(inputs, data_format)
    channels = x.shape[1]
    if channels % kernel.shape[-2]:
        raise ValueError(
            f"conv received inputs with {channels} channels and a kernel for "
            f"{kernel.shape[-2]} input channels; the first must be a multiple of "
            f"the second. Kernel shape: {tuple(kernel.shape)}."
        )
    weight = torch.permute(kernel, (rank + 1, rank, *range(rank)))  # (out, in, *k)
    if _check_padding(padding) == "same":
        x = _pad_same(x, tuple(kernel.shape[:rank]), strides, dilation)
    outputs = _CONV[rank](
        x,
        weight.to(x.dtype),
        stride=strides,
        dilation=dilation,
        groups=channels // kernel.shape[-2],
    )
    return from_channels_first(outputs, data_format)


def depthwise_conv(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> torch.Tensor:
    """Per-channel convolution; kernel `(*spatial, in, multiplier)`."""
    kernel = to_tensor(kernel)
    rank = kernel.ndim - 2
    grouped = kernel.reshape(kernel.shape[:rank] + (1, -1))  # (*k, 1, in * mult)
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


def separable_conv(
    inputs: TensorLike,
    depthwise_kernel: TensorLike,
    pointwise_kernel: TensorLike,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> torch.Tensor:
    """Depthwise convolution followed by a 1x1 pointwise convolution."""
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def _transpose_crops(
    length_kernel: int,
    stride: int,
    dilation: int,
    padding: str,
    output_padding: int | None,
) -> tuple[int, int]:
    """How much to crop from PyTorch's full transposed output, per side."""
    effective = (length_kernel - 1) * dilation + 1
    if padding == "valid":
        extra = (
            max(effective, stride) - effective
            if output_padding is None
            else output_padding
        )
        left, right = effective - 1, effective - 1 + extra
    else:
        total = (
            stride + effective - 2
            if output_padding is None
            else effective + effective % 2 - 2 + output_padding
        )
        left = min(total // 2 + total % 2, effective - 1)
        right = total - left
    return effective - 1 - left, effective - 1 - right


def conv_transpose(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: Any = 1,
    padding: str = "valid",
    output_padding: Any = None,
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> torch.Tensor:
    """Transposed convolution; kernel `(*spatial, out, in)` as in Keras."""
    inputs, kernel = tensors(inputs, kernel)
    data_format = standardize_data_format(data_format)
    rank = _rank(inputs)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    extras = (
        (None,) * rank
        if output_padding is None
        else _tuple(output_padding, rank, "output_padding")
    )
    padding = _check_padding(padding)
    x = to_channels_first(inputs, data_format)
    weight = torch.permute(kernel, (rank + 1, rank, *range(rank)))  # (in, out, *k)
    outputs = _CONV_TRANSPOSE[rank](
        x, weight.to(x.dtype), stride=strides, dilation=dilation
    )
    for dim in range(rank):
        crop_left, crop_right = _transpose_crops(
            kernel.shape[dim], strides[dim], dilation[dim], padding, extras[dim]
        )
        outputs = _crop_or_pad(outputs, dim + 2, crop_left, crop_right)
    return from_channels_first(outputs, data_format)


def _crop_or_pad(x: torch.Tensor, dim: int, left: int, right: int) -> torch.Tensor:
    """Crops `left`/`right` from axis `dim`; negative amounts zero-pad instead."""
    length = x.shape[dim]
    x = x.narrow(dim, max(left, 0), length - max(left, 0) - max(right, 0))
    if left >= 0 and right >= 0:
        return x
    pads = [0, 0] * (x.ndim - dim)  # F.pad lists the last axis first
    pads[-2], pads[-1] = max(-left, 0), max(-right, 0)
    return F.pad(x, pads)


def _pool_args(
    inputs: TensorLike, pool_size: Any, strides: Any, data_format: str | None
) -> tuple:
    inputs = to_tensor(inputs)
    data_format = standardize_data_format(data_format)
    rank = _rank(inputs)
    pool_size = _tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, rank, "strides")
    return to_channels_first(inputs, data_format), data_format, rank, pool_size, strides


def max_pool(
    inputs: TensorLike,
    pool_size: Any,
    strides: Any = None,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Max pooling over windows of `pool_size` (strides default to it)."""
    x, data_format, rank, pool_size, strides = _pool_args(
        inputs, pool_size, strides, data_format
    )
    if _check_padding(padding) == "same":
        x = _pad_same(x, pool_size, strides, (1,) * rank, value=-torch.inf)
    outputs = _MAX_POOL[rank](x, pool_size, strides)
    return from_channels_first(outputs, data_format)


def average_pool(
    inputs: TensorLike,
    pool_size: Any,
    strides: Any = None,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Average pooling; with `"same"` padding the padded cells are not counted."""
    x, data_format, rank, pool_size, strides = _pool_args(
        inputs, pool_size, strides, data_format
    )
    if _check_padding(padding) == "valid":
        return from_channels_first(_AVG_POOL[rank](x, pool_size, strides), data_format)
    ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
    dilation = (1,) * rank
    # Averages over zero padding times the window size give window sums.
    sums = _AVG_POOL[rank](
        _pad_same(x, pool_size, strides, dilation), pool_size, strides
    )
    counts = _AVG_POOL[rank](
        _pad_same(ones, pool_size, strides, dilation), pool_size, strides
    )
    return from_channels_first(sums / counts, data_format)


def _adaptive(
    table: dict, inputs: TensorLike, output_size: Any, data_format: str | None
) -> torch.Tensor:
    inputs = to_tensor(inputs)
    data_format = standardize_data_format(data_format)
    rank = _rank(inputs)
    outputs = table[rank](
        to_channels_first(inputs, data_format), _tuple(output_size, rank, "output_size")
    )
    return from_channels_first(outputs, data_format)


def adaptive_average_pool(
    inputs: TensorLike, output_size: Any, data_format: str | None = None
) -> torch.Tensor:
    """Average pooling whose windows are sized to give `output_size`."""
    return _adaptive(_ADAPTIVE_AVG, inputs, output_size, data_format)


def adaptive_max_pool(
    inputs: TensorLike, output_size: Any, data_format: str | None = None
) -> torch.Tensor:
    """Max pooling whose windows are sized to give `output_size`."""
    return _adaptive(_ADAPTIVE_MAX, inputs, output_size, data_format)


def unfold(
    x: TensorLike,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> torch.Tensor:
    """Sliding 2-D patches of a `(N, C, H, W)` tensor as `(N, C*kh*kw, L)`."""
    return F.unfold(
        to_tensor(x), kernel_size, dilation=dilation, padding=padding, stride=stride
    )


def fold(
    x: TensorLike,
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> torch.Tensor:
    """Sums patches `(N, C*kh*kw, L)` back into a `(N, C, H, W)` tensor."""
    return F.fold(
        to_tensor(x),
        output_size,
        kernel_size,
        dilation=dilation,
        padding=padding,
        stride=stride,
    )


def depth_to_space(
    x: TensorLike, block_size: int, data_format: str = "channels_last"
) -> torch.Tensor:
    """Moves channel blocks into `block_size x block_size` spatial tiles."""
    x = to_channels_first(to_tensor(x), data_format)
    batch, channels, height, width = x.shape
    b = block_size
    depth = channels // (b * b)
    x = x.reshape(batch, b, b, depth, height, width)  # TensorFlow's DCR order
    x = x.permute(0, 3, 4, 1, 5, 2).reshape(batch, depth, height * b, width * b)
    return from_channels_first(x, data_format)


def space_to_depth(
    x: TensorLike, block_size: int, data_format: str = "channels_last"
) -> torch.Tensor:
    """Moves `block_size x block_size` spatial tiles into channels."""
    x = to_channels_first(to_tensor(x), data_format)
    batch, channels, height, width = x.shape
    b = block_size
    x = x.reshape(batch, channels, height // b, b, width // b, b)
    x = x.permute(0, 3, 5, 1, 2, 4).reshape(
        batch, channels * b * b, height // b, width // b
    )
    return from_channels_first(x, data_format)
