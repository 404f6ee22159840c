"""The orthogonal initializer (Saxe et al., 2014)."""

from typing import Any

import torch

from lamina.initializers._random import float_dtype
from lamina.initializers.initializer import Shape
from lamina.initializers.random_initializers import RandomInitializer


class Orthogonal(RandomInitializer):
    """Makes a matrix with orthonormal columns (or rows, if wider than tall).

    A weight of more than two dimensions is treated as the matrix
    `(prod(shape[:-1]), shape[-1])` and reshaped back. The matrix is the `Q` of
    the QR decomposition of a random normal matrix, with signs fixed so the
    result is uniformly distributed. See https://arxiv.org/abs/1312.6120.

    Args:
        gain: Factor applied to the orthogonal matrix. Defaults to `1.0`.
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.

    Example:
    >>> q = Orthogonal(seed=0)((4, 3))
    >>> torch.allclose(q.T @ q, torch.eye(3), atol=1e-5)
    True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(
                f"Orthogonal initializer needs a weight of rank 2 or more, but "
                f"received shape={shape} of rank {len(shape)}. Use another "
                f"initializer (e.g. 'zeros') for vectors."
            )
        dtype = float_dtype(dtype, self)
        num_rows = 1
        for size in shape[:-1]:
            num_rows *= size
        num_cols = shape[-1]
        work_dtype = torch.float64 if dtype == torch.float64 else torch.float32
        flat_shape = (max(num_rows, num_cols), min(num_rows, num_cols))
        random = torch.randn(flat_shape, dtype=work_dtype, generator=self._generator())
        q, r = torch.linalg.qr(random)  # q: (max, min)
        q = q * torch.sign(torch.diagonal(r))  # uniform over orthogonal matrices
        if num_rows < num_cols:
            q = q.T  # (num_rows, num_cols)
        return (self.gain * q).reshape(shape).to(dtype)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "gain": self.gain}
