"""A penalty that pushes the rows or columns of a matrix to be orthogonal."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina.backend import epsilon
from lamina.regularizers.regularizer import Regularizer
from lamina.regularizers.regularizer import check_factor

_MODES = ("rows", "columns")


class OrthogonalRegularizer(Regularizer):
    """Penalises the cosine similarity between rows (or columns) of a matrix.

    `penalty = factor * 0.5 * sum(abs(off_diagonal(U @ U.T))) / num_pairs`,
    where `U` holds the L2-normalised rows (`mode="rows"`) or columns and
    `num_pairs = n * (n - 1) / 2`.

    Args:
        factor: Strength of the penalty. Defaults to `0.01`.
        mode: `"rows"` or `"columns"`. Defaults to `"rows"`.

    Example:
    >>> float(OrthogonalRegularizer(1.0)(torch.eye(3)))
    0.0
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = check_factor(self, "factor", factor)
        if mode not in _MODES:
            raise ValueError(
                f"OrthogonalRegularizer expected mode to be one of {_MODES}, "
                f"but received mode={mode!r}."
            )
        self.mode = mode

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2:
            raise ValueError(
                f"OrthogonalRegularizer needs a rank-2 weight, but received "
                f"shape {tuple(x.shape)}. Apply it to Dense-style kernels."
            )
        vectors = x if self.mode == "rows" else x.T  # (n, features)
        vectors = F.normalize(vectors, dim=1, eps=epsilon())
        size = vectors.shape[0]
        similarity = vectors @ vectors.T  # (n, n)
        off_diagonal = similarity * (
            1.0 - torch.eye(size, dtype=x.dtype, device=x.device)
        )
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * torch.sum(torch.abs(off_diagonal)) / num_pairs

    def get_config(self) -> dict[str, Any]:
        return {"factor": self.factor, "mode": self.mode}
