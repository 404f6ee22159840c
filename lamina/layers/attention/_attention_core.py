"""Helpers shared by the projected attention layers (`MultiHeadAttention`,
`GroupedQueryAttention`): einsum equations, masks and the fused kernel.

The fused path calls `torch.nn.functional.scaled_dot_product_attention` with
the same arguments Keras's torch backend passes (a boolean mask turned into
an additive bias of `-0.7 * max_float`), so both give the same numbers, also
for rows where every key is masked (they average all values).
"""

import string
from typing import Any
from typing import NamedTuple

import numpy as np
import torch

from lamina.layers.keras_tensor import KerasTensor

Shape = tuple[int | None, ...]

_LETTERS = string.ascii_lowercase


def projection_equation(
    free_dims: int, bound_dims: int, output_dims: int
) -> tuple[str, str, int]:
    """`(equation, bias_axes, output_rank)` of a projection inside attention.

    The first `free_dims` input axes pass through, the next `bound_dims` are
    contracted with the kernel, which adds `output_dims` new axes.

    Example:
    >>> projection_equation(2, 1, 2)
    ('abc,cde->abde', 'de', 4)
    """
    free = _LETTERS[:free_dims]
    bound = _LETTERS[free_dims : free_dims + bound_dims]
    start = free_dims + bound_dims
    new = _LETTERS[start : start + output_dims]
    return f"{free}{bound},{bound}{new}->{free}{new}", new, len(free + new)


def attention_equations(rank: int, attention_axes: tuple[int, ...]) -> tuple[str, str]:
    """Einsum equations `(key, query) -> scores` and `(scores, value) -> output`.

    Projected tensors are `(batch, ..., heads, channels)` of rank `rank`;
    every axis other than `attention_axes` and the channels is a batch axis
    of the scores `(<batch axes>, <query attention axes>, <key attention axes>)`.

    Example:
    >>> attention_equations(4, (1,))
    ('aecd,abcd->acbe', 'acbe,aecd->abcd')
    """
    target = _LETTERS[:rank]
    batch_axes = [axis for axis in range(rank - 1) if axis not in attention_axes]
    source = list(target)
    for offset, axis in enumerate(attention_axes):
        source[axis] = _LETTERS[rank + offset]
    source = "".join(source)
    product = "".join(
        [target[axis] for axis in batch_axes]
        + [target[axis] for axis in attention_axes]
        + [source[axis] for axis in attention_axes]
    )
    return f"{source},{target}->{product}", f"{product},{source}->{target}"


def call_shape(value: Any) -> Shape | None:
    """The shape a layer is built for: batch axis unknown, `None` for `None`.

    Example:
    >>> call_shape(torch.ones(2, 3))
    (None, 3)
    """
    if value is None:
        return None
    if isinstance(value, KerasTensor):
        return tuple(value.shape)
    return (None, *np.shape(value)[1:])


def as_list(shape: Shape) -> list[int | None]:
    """A shape as the JSON list Keras writes in `build_config`."""
    return [None if dim is None else int(dim) for dim in shape]


def attached_mask(tensor: Any) -> torch.Tensor | None:
    """The Keras mask an upstream layer (`Embedding(mask_zero=True)`) attached."""
    return getattr(tensor, "_keras_mask", None)


def causal_mask(query_length: int, value_length: int, device: Any) -> torch.Tensor:
    """`(1, T, S)` boolean mask, true where key position <= query position.

    Example:
    >>> causal_mask(2, 3, "cpu").int().tolist()
    [[[1, 0, 0], [1, 1, 0]]]
    """
    ones = torch.ones(query_length, value_length, dtype=torch.bool, device=device)
    return ones.tril().unsqueeze(0)  # (1, T, S)


def sliding_window_mask(
    query_length: int, value_length: int, window: int, device: Any
) -> torch.Tensor:
    """`(1, T, S)` boolean band: true where `|query pos - key pos| < window`.

    Example:
    >>> sliding_window_mask(3, 3, 2, "cpu").int().tolist()
    [[[1, 1, 0], [1, 1, 1], [0, 1, 1]]]
    """
    rows = torch.arange(query_length, device=device).reshape(1, -1, 1)
    columns = torch.arange(value_length, device=device).reshape(1, 1, -1)
    return (rows - columns).abs() < window  # (1, T, S)


def merge_masks(
    query: torch.Tensor,
    value: torch.Tensor,
    query_mask: Any,
    value_mask: Any,
    key_mask: Any,
    attention_mask: Any,
    use_causal_mask: bool,
    sliding_window: int | None,
) -> torch.Tensor | None:
    """One boolean `(B, T, S)` mask (or broadcastable) from every mask source.

    The query mask becomes `(B, T, 1)`, the value and key masks `(B, 1, S)`,
    the causal and sliding-window masks `(1, T, S)`; all are combined with
    logical and, as Keras does.
    """
    device = query.device
    parts = []
    if query_mask is not None:
        parts.append(_as_bool(query_mask, device).unsqueeze(-1))  # (B, T, 1)
    for mask in (value_mask, key_mask):
        if mask is not None:
            parts.append(_as_bool(mask, device).unsqueeze(-2))  # (B, 1, S)
    if use_causal_mask:
        parts.append(causal_mask(query.shape[1], value.shape[1], device))
    if sliding_window is not None:
        parts.append(
            sliding_window_mask(query.shape[1], value.shape[1], sliding_window, device)
        )
    if attention_mask is not None:
        parts.insert(0, _as_bool(attention_mask, device))
    if not parts:
        return None
    merged = parts[0]
    for part in parts[1:]:
        merged = merged & part  # broadcast to (B, T, S)
    return merged


class CallMasks(NamedTuple):
    """What a projected attention layer's call needs from its mask arguments."""

    key: torch.Tensor  # the key tensor, `value` when none was given
    query_mask: torch.Tensor | None  # becomes the output's mask
    attention_mask: torch.Tensor | None  # merged boolean (B, T, S)
    causal_only: bool  # the only mask is causal: the kernel builds it


def resolve_call_masks(
    query: torch.Tensor,
    value: torch.Tensor,
    key: torch.Tensor | None,
    explicit_masks: tuple[Any, Any, Any, Any],
    use_causal_mask: bool,
    sliding_window: int | None,
    may_skip_causal: bool,
) -> CallMasks:
    """Merges explicit masks `(query, value, key, attention)`, the masks
    attached to the inputs (the key's only when a key is given), the causal
    and the sliding-window masks, as Keras does.

    `may_skip_causal`: whether a causal-only mask may be left to the fused
    kernel (not when a subclass computes attention itself).
    """
    query_mask, value_mask, key_mask, attention_mask = explicit_masks
    if query_mask is None:
        query_mask = attached_mask(query)
    if value_mask is None:
        value_mask = attached_mask(value)
    if key is None:
        key = value
    elif key_mask is None:
        key_mask = attached_mask(key)
    masks = (query_mask, value_mask, key_mask, attention_mask)
    if (
        may_skip_causal
        and use_causal_mask
        and sliding_window is None
        and all(mask is None for mask in masks)
    ):
        return CallMasks(key, None, None, True)
    merged = merge_masks(
        query,
        value,
        *masks,
        use_causal_mask=use_causal_mask,
        sliding_window=sliding_window,
    )
    return CallMasks(key, query_mask, merged, False)


def _as_bool(mask: Any, device: Any) -> torch.Tensor:
    mask = torch.as_tensor(mask, device=device)
    return mask if mask.dtype == torch.bool else mask != 0


def expand_mask(mask: torch.Tensor, rank: int, num_attention_axes: int) -> torch.Tensor:
    """Inserts size-1 axes before the attention axes (the heads axis first)
    until `mask` has the scores' rank.

    Example:
    >>> tuple(expand_mask(torch.ones(2, 3, 4), 4, 1).shape)
    (2, 1, 3, 4)
    """
    axis = -2 * num_attention_axes - 1
    while mask.ndim < rank:
        mask = mask.unsqueeze(axis)
    return mask


def large_negative(dtype: torch.dtype) -> float:
    """The additive bias Keras's torch backend gives masked scores."""
    return -0.7 * (65500.0 if dtype == torch.float16 else 3.38953e38)


def fused_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    mask: torch.Tensor | None,
    scale: float,
    is_causal: bool,
    flash_attention: bool | None,
) -> torch.Tensor:
    """Attention over `(B, T, N, H)` tensors with PyTorch's fused kernel.

    `mask` is boolean and broadcastable to `(B, N, T, S)`. `flash_attention=
    True` restricts PyTorch to its flash kernel (an error where the inputs or
    the device do not allow it).
    """
    bias = None
    if mask is not None:
        bias = torch.zeros(mask.shape, dtype=query.dtype, device=query.device)
        bias = bias.masked_fill(~mask, large_negative(query.dtype))  # (B, 1, T, S)
    query = query.transpose(1, 2).contiguous()  # (B, N, T, H)
    key = key.transpose(1, 2).contiguous()  # (B, N, S, H)
    value = value.transpose(1, 2).contiguous()  # (B, N, S, Hv)
    if flash_attention:
        backends = [torch.nn.attention.SDPBackend.FLASH_ATTENTION]
        with torch.nn.attention.sdpa_kernel(backends=backends):
            output = torch.nn.functional.scaled_dot_product_attention(
                query, key, value, attn_mask=bias, is_causal=is_causal, scale=scale
            )
    else:
        output = torch.nn.functional.scaled_dot_product_attention(
            query, key, value, attn_mask=bias, is_causal=is_causal, scale=scale
        )  # (B, N, T, Hv)
    return output.transpose(1, 2)  # (B, T, N, Hv)


def clone_initializer(initializer: Any) -> Any:
    """A fresh copy, so that each projection draws its own values."""
    return type(initializer).from_config(initializer.get_config())


def check_dropout(owner: str, dropout: Any) -> None:
    """Raises unless `dropout` is a number in [0, 1)."""
    if not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(
            f"{owner} expected dropout to be a float in [0, 1), but received "
            f"dropout={dropout!r}."
        )


def check_sliding_window(owner: str, sliding_window: Any) -> None:
    """Raises unless `sliding_window` is `None` or a positive integer."""
    if sliding_window is None:
        return
    if (
        not isinstance(sliding_window, int)
        or isinstance(sliding_window, bool)
        or sliding_window <= 0
    ):
        raise ValueError(
            f"{owner} expected sliding_window to be None or a positive integer, "
            f"but received sliding_window={sliding_window!r}."
        )


def check_flash_attention(owner: str, flash_attention: Any, dropout: float) -> None:
    """Raises for `flash_attention=True` with dropout, which Keras refuses too."""
    if flash_attention and dropout > 0.0:
        raise ValueError(
            f"{owner} received flash_attention=True with dropout={dropout}, but "
            f"the flash kernel has no attention dropout. Pass dropout=0.0, or "
            f"flash_attention=None."
        )


def standardize_output_shape(output_shape: Any) -> tuple[int, ...] | None:
    """`MultiHeadAttention`'s `output_shape` as a tuple (`None` when unset)."""
    if not output_shape:
        return None
    if isinstance(output_shape, int) and not isinstance(output_shape, bool):
        return (output_shape,)
    if isinstance(output_shape, (list, tuple)) and all(
        isinstance(dim, int) and not isinstance(dim, bool) and dim > 0
        for dim in output_shape
    ):
        return tuple(output_shape)
    raise ValueError(
        f"MultiHeadAttention expected output_shape to be a positive int or a "
        f"tuple of them, but received output_shape={output_shape!r}. Example: "
        f"output_shape=64."
    )


def standardize_attention_axes(attention_axes: Any) -> tuple[int, ...] | None:
    """`MultiHeadAttention`'s `attention_axes` as a tuple (`None` when unset)."""
    if attention_axes is None:
        return None
    if isinstance(attention_axes, int) and not isinstance(attention_axes, bool):
        return (attention_axes,)
    if (
        isinstance(attention_axes, (list, tuple))
        and attention_axes
        and all(
            isinstance(axis, int) and not isinstance(axis, bool)
            for axis in attention_axes
        )
    ):
        return tuple(attention_axes)
    raise ValueError(
        f"MultiHeadAttention expected attention_axes to be an int or a tuple of "
        f"ints, but received attention_axes={attention_axes!r}. Example: "
        f"attention_axes=(1, 2)."
    )
