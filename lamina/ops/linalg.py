"""Linear algebra: factorisations, solvers, norms (Keras's `ops.linalg`).

Every function works on batches of matrices in the last two axes.

Example:
>>> import torch
>>> det(torch.eye(3) * 2).item()
8.0
>>> norm(torch.tensor([3.0, 4.0])).item()
5.0
"""

from collections.abc import Callable
from typing import Any

import torch

from lamina.ops._convert import tensors
from lamina.ops._convert import to_float
from lamina.ops._convert import to_tensor
from lamina.ops._symbolic import make_namespace_symbolic

TensorLike = Any


def _matrix(x: TensorLike) -> torch.Tensor:
    return to_float(to_tensor(x))


def cholesky(x: TensorLike, upper: bool = False) -> torch.Tensor:
    """Cholesky factor of symmetric positive-definite matrices."""
    return torch.linalg.cholesky(_matrix(x), upper=upper)


def cholesky_inverse(x: TensorLike, upper: bool = False) -> torch.Tensor:
    """Inverse of a matrix from its Cholesky factor `x`."""
    return torch.cholesky_inverse(_matrix(x), upper=upper)


def det(x: TensorLike) -> torch.Tensor:
    """Determinant."""
    return torch.linalg.det(_matrix(x))


def eig(x: TensorLike) -> tuple[torch.Tensor, torch.Tensor]:
    """Eigenvalues and eigenvectors of general (complex results)."""
    return tuple(torch.linalg.eig(_matrix(x)))


def eigh(x: TensorLike) -> tuple[torch.Tensor, torch.Tensor]:
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices."""
    return tuple(torch.linalg.eigh(_matrix(x)))


def inv(x: TensorLike) -> torch.Tensor:
    """Matrix inverse."""
    return torch.linalg.inv(_matrix(x))


def pinv(x: TensorLike, rcond: float | None = None) -> torch.Tensor:
    """Moore-Penrose pseudo-inverse (`rcond` is the relative cut-off)."""
    return torch.linalg.pinv(_matrix(x), rtol=rcond)


def lu_factor(x: TensorLike) -> tuple[torch.Tensor, torch.Tensor]:
    """Packed LU factorisation and 0-based pivot indices."""
    lu, pivots = torch.linalg.lu_factor(_matrix(x))
    return lu, pivots - 1


def matrix_rank(x: TensorLike, tol: float | None = None) -> torch.Tensor:
    """Rank by counting singular values above `tol`, as int32."""
    return torch.linalg.matrix_rank(_matrix(x), atol=tol).to(torch.int32)


def norm(
    x: TensorLike,
    ord: Any = None,
    axis: Any = None,  # noqa: A002
    keepdims: bool = False,
) -> torch.Tensor:
    """Vector norm (one axis) or matrix norm (two axes) of the given `ord`."""
    x = _matrix(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None and ord is not None and x.ndim <= 2:
        axis = tuple(range(x.ndim))
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


def qr(x: TensorLike, mode: str = "reduced") -> tuple[torch.Tensor, torch.Tensor]:
    """QR decomposition (`mode="reduced"` or `"complete"`)."""
    if mode not in ("reduced", "complete"):
        raise ValueError(
            f"qr received mode={mode!r}. Expected 'reduced' or 'complete'."
        )
    return tuple(torch.linalg.qr(_matrix(x), mode=mode))


def solve(a: TensorLike, b: TensorLike) -> torch.Tensor:
    """Solves `a @ x = b` for square `a`."""
    a, b = tensors(a, b)
    return torch.linalg.solve(to_float(a), to_float(b))


def solve_triangular(a: TensorLike, b: TensorLike, lower: bool = False) -> torch.Tensor:
    """Solves `a @ x = b` for triangular `a` (upper unless `lower=True`)."""
    a, b = (to_float(t) for t in tensors(a, b))
    if b.ndim == a.ndim - 1:
        return torch.linalg.solve_triangular(a, b.unsqueeze(-1), upper=not lower)[
            ..., 0
        ]
    return torch.linalg.solve_triangular(a, b, upper=not lower)


def svd(x: TensorLike, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """Singular value decomposition `u, s, vh` (only `s` without `compute_uv`)."""
    x = _matrix(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))


def lstsq(a: TensorLike, b: TensorLike, rcond: float | None = None) -> torch.Tensor:
    """Least-squares solution of `a @ x = b` (`rcond`: relative cut-off)."""
    a, b = (to_float(t) for t in tensors(a, b))
    if b.ndim == 1 or rcond is not None:
        return torch.linalg.pinv(a, rtol=rcond) @ b
    driver = "gelsd" if a.device.type == "cpu" else None
    return torch.linalg.lstsq(a, b, driver=driver)[0]


def jvp(fun: Callable, primals: Any, tangents: Any, has_aux: bool = False) -> Any:
    """Forward-mode Jacobian-vector product of `fun` at `primals`."""
    return torch.func.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)


# Every op above also takes KerasTensors (records a node in a functional model).
make_namespace_symbolic(globals())
