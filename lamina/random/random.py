"""Random draws with Keras's signatures.

`seed` is an int (the same draw every time), a `SeedGenerator` (a new,
reproducible draw each call) or `None` (torch's global RNG).

Example:
>>> bool((normal((3,), seed=4) == normal((3,), seed=4)).all())
True
>>> randint((2,), 0, 1).tolist()
[0, 0]
"""

import math
from typing import Any

import torch

from lamina.backend.config import floatx
from lamina.ops._convert import shape_tuple
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype
from lamina.random.seed_generator import SeedGenerator
from lamina.random.seed_generator import seeded

Seed = int | SeedGenerator | None


def _float_dtype(dtype: Any) -> torch.dtype:
    resolved = torch_dtype(dtype or floatx())
    if not resolved.is_floating_point:
        raise ValueError(
            f"Expected a float dtype, but received dtype={dtype!r}. Pass a float "
            f"dtype such as 'float32', or use randint for integers."
        )
    return resolved


def normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = None,
    seed: Seed = None,
) -> torch.Tensor:
    """Samples from a normal distribution."""
    dtype = _float_dtype(dtype)
    with seeded(seed) as device:
        values = torch.randn(shape_tuple(shape), dtype=dtype, device=device)
    return values * stddev + mean


def uniform(
    shape: Any,
    minval: float = 0.0,
    maxval: float = 1.0,
    dtype: Any = None,
    seed: Seed = None,
) -> torch.Tensor:
    """Samples uniformly from `[minval, maxval)`."""
    dtype = _float_dtype(dtype)
    with seeded(seed) as device:
        values = torch.rand(shape_tuple(shape), dtype=dtype, device=device)
    return values * (maxval - minval) + minval


def randint(
    shape: Any, minval: int, maxval: int, dtype: Any = "int32", seed: Seed = None
) -> torch.Tensor:
    """Samples integers uniformly from `[minval, maxval)`."""
    with seeded(seed) as device:
        values = torch.randint(
            int(minval), int(maxval), shape_tuple(shape), device=device
        )
    return values.to(torch_dtype(dtype))


def truncated_normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = None,
    seed: Seed = None,
) -> torch.Tensor:
    """Normal samples restricted to two standard deviations around `mean`."""
    dtype = _float_dtype(dtype)
    low = 0.5 * (1 + math.erf(-2.0 / math.sqrt(2.0)))
    with seeded(seed) as device:
        unit = torch.rand(shape_tuple(shape), dtype=torch.float64, device=device)
    # Inverse-CDF sampling of the standard normal on [-2, 2].
    probability = low + unit * (1 - 2 * low)
    values = math.sqrt(2.0) * torch.erfinv(2 * probability - 1)
    return (values.clamp(-2.0, 2.0) * stddev + mean).to(dtype)


def categorical(
    logits: Any, num_samples: int, dtype: Any = "int32", seed: Seed = None
) -> torch.Tensor:
    """Draws class indices from `(batch, classes)` unnormalised log-probabilities."""
    logits = to_tensor(logits)
    probabilities = torch.softmax(logits.float(), dim=-1)
    with seeded(seed, logits.device):
        samples = torch.multinomial(probabilities, int(num_samples), replacement=True)
    return samples.to(torch_dtype(dtype))


def dropout(
    inputs: Any, rate: float, noise_shape: Any = None, seed: Seed = None
) -> torch.Tensor:
    """Zeros entries with probability `rate`, scaling the rest by `1 / (1 - rate)`."""
    inputs = to_tensor(inputs)
    if not 0 <= rate < 1:
        raise ValueError(f"dropout expected 0 <= rate < 1, but received rate={rate}.")
    shape = (
        tuple(inputs.shape)
        if noise_shape is None
        else tuple(
            dim if dim is not None else inputs.shape[i]
            for i, dim in enumerate(noise_shape)
        )
    )
    with seeded(seed, inputs.device) as device:
        keep = torch.rand(shape, device=device) >= rate
    return inputs * keep.to(inputs.dtype) / (1.0 - rate)


def shuffle(x: Any, axis: int = 0, seed: Seed = None) -> torch.Tensor:
    """A copy of `x` with its entries permuted along `axis`."""
    x = to_tensor(x)
    with seeded(seed, x.device) as device:
        order = torch.randperm(x.shape[axis], device=device)
    return torch.index_select(x, axis, order)


def gamma(
    shape: Any, alpha: float, dtype: Any = None, seed: Seed = None
) -> torch.Tensor:
    """Samples from a gamma distribution with concentration `alpha`, rate 1."""
    dtype = _float_dtype(dtype)
    with seeded(seed) as device:
        concentration = torch.as_tensor(alpha, dtype=torch.float32, device=device)
        concentration = concentration.expand(shape_tuple(shape))
        values = torch._standard_gamma(concentration.contiguous())
    return values.to(dtype)


def beta(
    shape: Any, alpha: float, beta: float, dtype: Any = None, seed: Seed = None
) -> torch.Tensor:
    """Samples from a beta distribution, as `X / (X + Y)` of two gammas."""
    dtype = _float_dtype(dtype)
    with seeded(seed) as device:
        shape = shape_tuple(shape)
        first = torch._standard_gamma(
            torch.as_tensor(alpha, dtype=torch.float32, device=device)
            .expand(shape)
            .contiguous()
        )
        second = torch._standard_gamma(
            torch.as_tensor(beta, dtype=torch.float32, device=device)
            .expand(shape)
            .contiguous()
        )
    return (first / (first + second)).to(dtype)


def binomial(
    shape: Any, counts: Any, probabilities: Any, dtype: Any = None, seed: Seed = None
) -> torch.Tensor:
    """Number of successes in `counts` trials of probability `probabilities`."""
    dtype = _float_dtype(dtype)
    with seeded(seed) as device:
        shape = shape_tuple(shape)
        trials = torch.as_tensor(counts, dtype=torch.float32, device=device).expand(
            shape
        )
        chance = torch.as_tensor(
            probabilities, dtype=torch.float32, device=device
        ).expand(shape)
        values = torch.binomial(trials.contiguous(), chance.contiguous())
    return values.to(dtype)
