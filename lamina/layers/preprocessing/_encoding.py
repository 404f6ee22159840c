"""Turns integer category indices into one-hot, multi-hot or count vectors.

The layout follows Keras 3: `"one_hot"` adds a last axis of size `depth`
(replacing a last axis of size 1); `"multi_hot"` and `"count"` fold the
sample axis (axis 1 of a batch, axis 0 of a single sample) into a last axis
of size `depth`. Indices outside `[0, depth)` contribute nothing, as in
TensorFlow's `one_hot` and `bincount`.
"""

import torch

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def encode_categorical(
    indices: torch.Tensor,
    output_mode: str,
    depth: int,
    dtype: torch.dtype,
    count_weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Encodes `indices` as Keras's `encode_categorical_inputs` does.

    Args:
        indices: Integer tensor of category indices.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"` or `"count"`.
        depth: Number of categories, the size of the new last axis.
        dtype: Dtype of the result (of `count_weights` when given).
        count_weights: Optional weights, same shape as `indices`, summed
            instead of ones in `"count"` mode.

    Returns:
        The encoded tensor.

    Example:
    >>> encode_categorical(torch.tensor([[0, 2, 2]]), "count", 3, torch.float32)
    tensor([[1., 0., 2.]])
    """
    if output_mode == "int":
        return indices.to(dtype)
    if indices.ndim == 0:
        indices = indices.unsqueeze(-1)  # (1,)
        if count_weights is not None:
            count_weights = count_weights.reshape(1)
    if output_mode == "one_hot":
        return one_hot(indices, depth, dtype)
    return _bincount(indices, depth, dtype, output_mode, count_weights)


def one_hot(indices: torch.Tensor, depth: int, dtype: torch.dtype) -> torch.Tensor:
    """One-hot along a new last axis; a last axis of size 1 is replaced."""
    if indices.ndim > 1 and indices.shape[-1] == 1:
        indices = indices.squeeze(-1)  # (batch, ...)
    categories = torch.arange(depth, device=indices.device)
    return (indices.unsqueeze(-1) == categories).to(dtype)  # (..., depth)


def _bincount(
    indices: torch.Tensor,
    depth: int,
    dtype: torch.dtype,
    output_mode: str,
    count_weights: torch.Tensor | None,
) -> torch.Tensor:
    """Counts each sample's categories with one `scatter_add` (no one-hot blowup)."""
    sample_axis = 1 if indices.ndim > 1 else 0
    indices = indices.movedim(sample_axis, -1)  # (..., samples)
    if count_weights is not None:
        count_weights = count_weights.movedim(sample_axis, -1)
        dtype = count_weights.dtype
    leading = indices.shape[:-1]
    flat = indices.reshape(-1, indices.shape[-1])  # (rows, samples)
    valid = (flat >= 0) & (flat < depth)
    if count_weights is None:
        values = valid.to(dtype)
    else:
        values = torch.where(valid, count_weights.reshape(flat.shape).to(dtype), 0)
    positions = torch.where(valid, flat, 0).to(torch.int64)
    counts = torch.zeros(flat.shape[0], depth, dtype=dtype, device=flat.device)
    counts = counts.scatter_add(1, positions, values)  # (rows, depth)
    if output_mode == "multi_hot":
        counts = (counts > 0).to(dtype)
    return counts.reshape(*leading, depth)  # (..., depth)
