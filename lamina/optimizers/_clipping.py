"""Gradient clipping as multi-tensor kernels, with Keras's formulas."""

import torch


def clip_by_norm(grads: list[torch.Tensor], clipnorm: float) -> list[torch.Tensor]:
    """Scales each gradient so that its L2 norm is at most `clipnorm`.

    `g * clipnorm / max(norm(g), clipnorm)`, the Keras formula.

    Example:
    >>> clip_by_norm([torch.tensor([3.0, 4.0])], 1.0)[0].tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    norms = torch._foreach_norm(grads)
    torch._foreach_maximum_(norms, clipnorm)
    return torch._foreach_div(torch._foreach_mul(grads, clipnorm), norms)


def clip_by_global_norm(
    grads: list[torch.Tensor], global_clipnorm: float
) -> list[torch.Tensor]:
    """Scales all gradients together so that their joint L2 norm is at most
    `global_clipnorm`; a non-finite joint norm turns every gradient into NaN.

    Example:
    >>> grads = [torch.tensor([3.0]), torch.tensor([4.0])]
    >>> [g.item() for g in clip_by_global_norm(grads, 1.0)]
    [0.6000000238418579, 0.800000011920929]
    """
    norms = torch._foreach_norm(grads)
    norms = [norm.to(torch.float32) for norm in norms]
    global_norm = torch.linalg.vector_norm(torch.stack(norms))
    scale = global_clipnorm * torch.minimum(
        1.0 / global_norm, torch.full_like(global_norm, 1.0 / global_clipnorm)
    )
    # NaN when the norm is inf or NaN, as Keras does (inf - inf is NaN).
    scale = scale + (global_norm - global_norm)
    return torch._foreach_mul(grads, scale)


def clip_by_value(grads: list[torch.Tensor], clipvalue: float) -> list[torch.Tensor]:
    """Clamps every gradient element to `[-clipvalue, clipvalue]`.

    Example:
    >>> clip_by_value([torch.tensor([-3.0, 0.5])], 1.0)[0].tolist()
    [-1.0, 0.5]
    """
    clipped = torch._foreach_clamp_min(grads, -clipvalue)
    torch._foreach_clamp_max_(clipped, clipvalue)
    return clipped
