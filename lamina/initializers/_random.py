"""Random-number helpers shared by the random initializers."""

from collections.abc import Sequence
from typing import Any

import torch

from lamina.backend import standardize_dtype

Shape = Sequence[int]


def float_dtype(dtype: Any, initializer: Any) -> torch.dtype:
    """Resolves `dtype` (default floatx) and checks it is a float type."""
    resolved = standardize_dtype(dtype)
    if not resolved.is_floating_point:
        raise ValueError(
            f"{type(initializer).__name__} draws random floats, but received "
            f"dtype={dtype!r}. Pass a float dtype such as 'float32'."
        )
    return resolved


def sampling_dtype(dtype: torch.dtype) -> torch.dtype:
    """The dtype to draw in: half types are drawn in float32, then cast."""
    return dtype if dtype in (torch.float32, torch.float64) else torch.float32


def truncated_normal(
    shape: Shape,
    mean: float,
    stddev: float,
    dtype: torch.dtype,
    generator: torch.Generator | None,
) -> torch.Tensor:
    """Normal samples, redrawn until they lie within two `stddev` of `mean`."""
    values = torch.empty(tuple(shape), dtype=sampling_dtype(dtype))
    torch.nn.init.trunc_normal_(
        values,
        mean=mean,
        std=stddev,
        a=mean - 2.0 * stddev,
        b=mean + 2.0 * stddev,
        generator=generator,
    )
    return values.to(dtype)


def normal(
    shape: Shape,
    mean: float,
    stddev: float,
    dtype: torch.dtype,
    generator: torch.Generator | None,
) -> torch.Tensor:
    """Normal samples with the given `mean` and `stddev`."""
    values = torch.randn(tuple(shape), dtype=sampling_dtype(dtype), generator=generator)
    return (values * stddev + mean).to(dtype)


def uniform(
    shape: Shape,
    minval: float,
    maxval: float,
    dtype: torch.dtype,
    generator: torch.Generator | None,
) -> torch.Tensor:
    """Uniform samples in `[minval, maxval)`."""
    values = torch.rand(tuple(shape), dtype=sampling_dtype(dtype), generator=generator)
    return (values * (maxval - minval) + minval).to(dtype)
