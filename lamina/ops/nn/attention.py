"""Scaled dot-product attention on Keras's `(batch, seq, heads, dim)` layout.

Example:
>>> import torch
>>> q = torch.ones(1, 4, 2, 8)
>>> tuple(dot_product_attention(q, q, q).shape)
(1, 4, 2, 8)
"""

import math
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.ops._convert import tensors
from lamina.ops._convert import to_tensor

TensorLike = Any


def dot_product_attention(
    query: TensorLike,
    key: TensorLike,
    value: TensorLike,
    bias: TensorLike | None = None,
    mask: TensorLike | None = None,
    scale: float | None = None,
    is_causal: bool = False,
    flash_attention: bool | None = None,
    attn_logits_soft_cap: float | None = None,
) -> torch.Tensor:
    """`softmax(query @ key.T * scale + bias) @ value` over 4-D inputs.

    Inputs are `(batch, seq, heads, dim)`; `key`/`value` may have fewer heads
    (grouped-query attention). `mask` is boolean, true where attention is
    allowed.
    """
    query, key, value = tensors(query, key, value)
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            f"dot_product_attention expected 4-D (batch, seq, heads, dim) inputs, "
            f"but received shapes {tuple(query.shape)}, {tuple(key.shape)}, "
            f"{tuple(value.shape)}."
        )
    if bias is not None and mask is not None:
        raise ValueError(
            "dot_product_attention received both bias and mask. Pass only one."
        )
    dtype = torch.promote_types(
        torch.promote_types(query.dtype, key.dtype), value.dtype
    )
    q, k, v = (t.to(dtype).transpose(1, 2) for t in (query, key, value))  # (b, h, s, d)
    groups = q.shape[1] // k.shape[1]
    if groups > 1:
        k = k.repeat_interleave(groups, dim=1)
        v = v.repeat_interleave(groups, dim=1)
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    logits = torch.matmul(q, k.transpose(-1, -2)) * scale
    if attn_logits_soft_cap is not None:
        logits = torch.tanh(logits / attn_logits_soft_cap) * attn_logits_soft_cap
    if bias is not None:
        logits = logits + to_tensor(bias, device=q.device).to(dtype)
    allowed = None if mask is None else to_tensor(mask, device=q.device).bool()
    if is_causal:
        causal = torch.ones(
            q.shape[2], k.shape[2], dtype=torch.bool, device=q.device
        ).tril()
        allowed = causal if allowed is None else allowed & causal
    if allowed is not None:
        logits = logits.masked_fill(~allowed, torch.finfo(dtype).min * 0.7)
    weights = F.softmax(logits.float(), dim=-1).to(dtype)
    return torch.matmul(weights, v).transpose(1, 2)
