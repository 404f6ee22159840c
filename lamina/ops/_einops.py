"""Private: the einops `rearrange` pattern language (no ellipsis, as Keras)."""

import math
import re

import torch


def _groups(side: str) -> list[list[str]]:
    """`"b (h w) c"` -> `[["b"], ["h", "w"], ["c"]]`."""
    tokens = re.findall(r"\w+|\([^)]*\)", side)
    return [token.strip("()").split() for token in tokens]


def rearrange(tensor: torch.Tensor, pattern: str, **axes_lengths: int) -> torch.Tensor:
    """Splits grouped input axes, permutes, then merges the output groups."""
    if "->" not in pattern:
        raise ValueError(
            f"rearrange expected a pattern such as 'b h w -> b (h w)', but "
            f"received {pattern!r}. Separate the two sides with '->'."
        )
    left, right = pattern.split("->")
    inputs, outputs = _groups(left), _groups(right)
    if len(inputs) != tensor.ndim:
        raise ValueError(
            f"rearrange pattern {pattern!r} names {len(inputs)} input axes, but "
            f"the tensor has shape {tuple(tensor.shape)}."
        )
    sizes = dict(axes_lengths)
    for group, dim in zip(inputs, tensor.shape, strict=True):
        unknown = [name for name in group if name not in sizes]
        known = math.prod(sizes[name] for name in group if name in sizes)
        if unknown:
            sizes[unknown[0]] = dim // known
    elementary = [name for group in inputs for name in group]
    split = tensor.reshape([sizes[name] for name in elementary])
    order = [elementary.index(name) for group in outputs for name in group]
    merged = [math.prod(sizes[name] for name in group) for group in outputs]
    return split.permute(order).reshape(merged)
