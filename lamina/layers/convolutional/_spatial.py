"""Helpers shared by the convolution, pooling and spatial reshaping layers.

Argument normalisation (`kernel_size=3` becomes `(3, 3)`), the channels-first
view PyTorch's kernels compute in, and TensorFlow's `padding="same"` amounts.
"""

from typing import Any

import torch
import torch.nn.functional as F

from lamina.layers.layer import Layer

Shape = tuple[int | None, ...]

_SPATIAL_AXES = {1: ("steps",), 2: ("height", "width"), 3: ("dim1", "dim2", "dim3")}


def standardize_tuple(
    owner: str, value: Any, rank: int, name: str, allow_zero: bool = False
) -> tuple[int, ...]:
    """Turns an int or a sequence of `rank` ints into a tuple of ints.

    Example:
    >>> standardize_tuple("Conv2D", 3, 2, "kernel_size")
    (3, 3)
    """
    values = (value,) * rank if _is_int(value) else value
    lowest = 0 if allow_zero else 1
    if (
        not isinstance(values, (tuple, list))
        or len(values) != rank
        or not all(_is_int(item) and item >= lowest for item in values)
    ):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(
            f"{owner} expected {name} to be a {kind} int or a tuple of {rank} "
            f"{kind} ints, but received {name}={value!r}. Pass e.g. "
            f"{name}={(max(lowest, 1),) * rank}."
        )
    return tuple(int(item) for item in values)


def standardize_padding(owner: str, padding: Any, allowed: tuple[str, ...]) -> str:
    """Lower-cases `padding` and checks it is one of `allowed`.

    Example:
    >>> standardize_padding("Conv2D", "SAME", ("valid", "same"))
    'same'
    """
    if isinstance(padding, str) and padding.lower() in allowed:
        return padding.lower()
    raise ValueError(
        f"{owner} expected padding to be one of {allowed}, but received "
        f"padding={padding!r}."
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def describe_layout(rank: int, data_format: str) -> str:
    """The axes of an input, e.g. `(batch, height, width, channels)`."""
    spatial = ", ".join(_SPATIAL_AXES[rank])
    if data_format == "channels_last":
        return f"(batch, {spatial}, channels)"
    return f"(batch, channels, {spatial})"


def check_rank(layer: Layer, shape: Shape, rank: int, data_format: str) -> None:
    """Raises a clear error unless `shape` has `rank` spatial axes."""
    if len(shape) == rank + 2:
        return
    expected = describe_layout(rank, data_format)
    received = (None, *tuple(shape)[1:])
    hint = "Reshape the data to that layout"
    if len(shape) == rank + 1:
        add_axis = "x[..., None]" if data_format == "channels_last" else "x[:, None]"
        hint = (
            f"If the data has a single channel, add a channel axis with "
            f"{add_axis} (or reshape it to {expected})"
        )
    raise ValueError(
        f"Layer '{layer.name}' ({type(layer).__name__}) expects a "
        f"{rank + 2}-D input {expected}, but received an input of shape "
        f"{received} ({len(shape)}-D). {hint}."
    )


def spatial_shape(shape: Shape, data_format: str) -> Shape:
    """The spatial axes of a full input shape."""
    if data_format == "channels_last":
        return tuple(shape[1:-1])
    return tuple(shape[2:])


def channel_count(shape: Shape, data_format: str) -> int | None:
    """The channel axis' size of a full input shape."""
    return shape[-1] if data_format == "channels_last" else shape[1]


def to_channels_first(inputs: torch.Tensor, data_format: str) -> torch.Tensor:
    """`(batch, *spatial, channels)` as a zero-copy `(batch, channels, *spatial)`.

    The permuted view keeps the channels-last memory layout, which PyTorch's
    CPU and cuDNN convolutions accept directly (`torch.channels_last`).
    """
    if data_format == "channels_first":
        return inputs
    return inputs.movedim(-1, 1)  # (batch, channels, *spatial)


def from_channels_first(outputs: torch.Tensor, data_format: str) -> torch.Tensor:
    """Undoes `to_channels_first`."""
    if data_format == "channels_first":
        return outputs
    return outputs.movedim(1, -1)  # (batch, *spatial, channels)


def same_padding(
    sizes: tuple[int, ...],
    kernel_size: tuple[int, ...],
    strides: tuple[int, ...],
    dilation_rate: tuple[int, ...] | None = None,
) -> list[tuple[int, int]]:
    """TensorFlow's `padding="same"` amounts `(before, after)` per spatial axis.

    The output has `ceil(size / stride)` steps; the odd cell of padding goes
    after (bottom/right), as in TensorFlow.

    Example:
    >>> same_padding((5,), (4,), (1,))
    [(1, 2)]
    """
    dilation_rate = dilation_rate or (1,) * len(sizes)
    amounts = []
    for size, kernel, stride, dilation in zip(
        sizes, kernel_size, strides, dilation_rate, strict=True
    ):
        effective_kernel = (kernel - 1) * dilation + 1
        num_steps = -(-size // stride)
        total = max((num_steps - 1) * stride + effective_kernel - size, 0)
        amounts.append((total // 2, total - total // 2))
    return amounts


def pad_spatial(
    inputs: torch.Tensor, amounts: list[tuple[int, int]], value: float = 0.0
) -> torch.Tensor:
    """Pads the trailing spatial axes of a channels-first tensor."""
    flat = [side for before_after in reversed(amounts) for side in before_after]
    return F.pad(inputs, flat, value=value)  # (batch, channels, *padded)


def check_window_fits(
    layer: Layer,
    sizes: Shape,
    window: tuple[int, ...],
    what: str,
) -> None:
    """Raises when a window is larger than the (padded) input it slides over."""
    if any(
        size is not None and size < span
        for size, span in zip(sizes, window, strict=True)
    ):
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) has a {what} of size "
            f"{window}, larger than the input's spatial size {tuple(sizes)} with "
            f"padding='valid'. Use padding='same', a smaller {what}, or a larger "
            f"input."
        )


def standardize_pairs(
    owner: str, value: Any, rank: int, name: str
) -> tuple[tuple[int, int], ...]:
    """Turns `n`, `(a, b)` or `((a0, a1), (b0, b1))` into `rank` pairs.

    An int applies to both sides of every axis; a tuple of `rank` items gives
    one int (both sides) or one `(before, after)` pair per axis.

    Example:
    >>> standardize_pairs("ZeroPadding2D", (1, (2, 3)), 2, "padding")
    ((1, 1), (2, 3))
    """
    if _is_int(value) and value >= 0:
        return ((int(value), int(value)),) * rank
    if isinstance(value, (tuple, list)) and len(value) == rank:
        try:
            return tuple(
                standardize_tuple(owner, item, 2, name, allow_zero=True)
                for item in value
            )
        except ValueError:
            pass
    raise ValueError(
        f"{owner} expected {name} to be a non-negative int, a tuple of {rank} "
        f"ints, or a tuple of {rank} (before, after) pairs, but received "
        f"{name}={value!r}."
    )
