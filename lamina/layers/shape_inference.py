"""Output shapes of symbolic calls, found by running the layer on fake data.

A layer called on `KerasTensor`s runs its ordinary eager code on tensors of
the `meta` device (no memory, no arithmetic). Unknown axes (`None`) get a
placeholder size; the call runs twice with different placeholders, and every
output axis whose size changed between the runs is unknown too. Layers whose
code cannot run on `meta` fall back to small real tensors of zeros.
"""

from typing import Any

import torch

from lamina.backend.config import standardize_dtype
from lamina.backend.device import get_device
from lamina.layers.keras_tensor import KerasTensor
from lamina.utils import tree

_PLACEHOLDERS = ((2, 3), (3, 5))  # (batch axis, other unknown axes) per run


def infer_output_spec(layer: Any, inputs: Any, kwargs: dict, *args: Any) -> Any:
    """Returns `KerasTensor`s describing `layer(inputs, *args, **kwargs)`."""
    try:
        runs = [
            _run(layer, inputs, args, kwargs, "meta", sizes) for sizes in _PLACEHOLDERS
        ]
    except (RuntimeError, NotImplementedError, ValueError, TypeError):
        device = get_device()
        runs = [_run(layer, inputs, args, kwargs, device, s) for s in _PLACEHOLDERS]
    return tree.map_structure(_to_spec, _zip_runs(*runs))


def _run(
    layer: Any, inputs: Any, args: tuple, kwargs: dict, device: Any, sizes: tuple
) -> Any:
    def fake(value: Any) -> Any:
        if not isinstance(value, KerasTensor):
            return value
        return _fake_tensor(value, device, sizes)

    outputs = layer(
        tree.map_structure(fake, inputs),
        *tree.map_structure(fake, list(args)),
        **tree.map_structure(fake, kwargs),
    )
    return outputs


def _fake_tensor(
    spec: KerasTensor, device: Any, sizes: tuple[int, int]
) -> torch.Tensor:
    batch_size, unknown_size = sizes
    shape = [
        (batch_size if axis == 0 else unknown_size) if dim is None else dim
        for axis, dim in enumerate(spec.shape)
    ]
    tensor = torch.zeros(shape, dtype=standardize_dtype(spec.dtype), device=device)
    if spec.has_mask:
        tensor._keras_mask = torch.ones(
            shape[: len(spec.mask_shape)], dtype=torch.bool, device=device
        )
    return tensor


class _RunPair:
    def __init__(self, first: Any, second: Any) -> None:
        self.first = first
        self.second = second


def _zip_runs(first: Any, second: Any) -> Any:
    if isinstance(first, (list, tuple)):
        return type(first)(_zip_runs(a, b) for a, b in zip(first, second, strict=True))
    if isinstance(first, dict):
        return {key: _zip_runs(first[key], second[key]) for key in first}
    return _RunPair(first, second)


def _to_spec(pair: _RunPair) -> Any:
    first, second = pair.first, pair.second
    if not isinstance(first, torch.Tensor):
        return first
    shape = tuple(
        a if a == b else None for a, b in zip(first.shape, second.shape, strict=True)
    )
    spec = KerasTensor(shape, first.dtype)
    mask = getattr(first, "_keras_mask", None)
    if mask is not None:
        spec.has_mask = True
        spec.mask_shape = tuple(
            a if a == b else None
            for a, b in zip(mask.shape, second._keras_mask.shape, strict=True)
        )
    return spec
