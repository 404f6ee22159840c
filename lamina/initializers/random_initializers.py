"""Initializers that draw from a fixed normal or uniform distribution."""

import numbers
from typing import Any

import torch

from lamina.initializers._random import float_dtype
from lamina.initializers._random import normal
from lamina.initializers._random import truncated_normal
from lamina.initializers._random import uniform
from lamina.initializers.initializer import Initializer
from lamina.initializers.initializer import Shape


class RandomInitializer(Initializer):
    """Base of the initializers that draw random numbers.

    Args:
        seed: Integer seed for reproducible values, or `None` to draw from
            torch's global generator (governed by
            `lamina.utils.set_random_seed`). Defaults to `None`.

    Example:
    >>> RandomInitializer(seed=3).seed
    3
    """

    def __init__(self, seed: int | None = None):
        is_integer = isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
        if seed is not None and not is_integer:
            raise ValueError(
                f"{type(self).__name__} expected seed to be an integer or None, "
                f"but received seed={seed!r}. Pass an int for reproducible values."
            )
        self.seed = None if seed is None else int(seed)

    def _generator(self) -> torch.Generator | None:
        """A fresh CPU generator for an int seed, so each call repeats."""
        if self.seed is None:
            return None
        return torch.Generator().manual_seed(self.seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed}


def _check_stddev(initializer: Initializer, stddev: float) -> None:
    if stddev < 0:
        raise ValueError(
            f"{type(initializer).__name__} expected stddev >= 0, but received "
            f"stddev={stddev!r}. Pass a non-negative standard deviation."
        )


class RandomNormal(RandomInitializer):
    """Draws values from a normal distribution.

    Args:
        mean: Mean of the values. Defaults to `0.0`.
        stddev: Standard deviation of the values. Defaults to `0.05`.
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.

    Example:
    >>> values = RandomNormal(stddev=1.0, seed=1)((2, 3))
    >>> tuple(values.shape), values.dtype
    ((2, 3), torch.float32)
    """

    def __init__(
        self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None
    ):
        _check_stddev(self, stddev)
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype, self)
        return normal(shape, self.mean, self.stddev, dtype, self._generator())

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Draws from a normal distribution, redrawing values beyond two stddevs.

    Args:
        mean: Mean of the values. Defaults to `0.0`.
        stddev: Standard deviation before truncation. Defaults to `0.05`.
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.

    Example:
    >>> values = TruncatedNormal(stddev=1.0, seed=1)((100,))
    >>> bool(values.abs().max() <= 2.0)
    True
    """

    def __init__(
        self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None
    ):
        _check_stddev(self, stddev)
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype, self)
        return truncated_normal(shape, self.mean, self.stddev, dtype, self._generator())

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Draws values from a uniform distribution on `[minval, maxval)`.

    Args:
        minval: Lower bound (inclusive). Defaults to `-0.05`.
        maxval: Upper bound (exclusive). Defaults to `0.05`.
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.

    Example:
    >>> values = RandomUniform(0.0, 1.0, seed=1)((100,))
    >>> bool(values.min() >= 0.0 and values.max() < 1.0)
    True
    """

    def __init__(
        self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None
    ):
        if minval > maxval:
            raise ValueError(
                f"RandomUniform expected minval <= maxval, but received "
                f"minval={minval!r} and maxval={maxval!r}. Swap them."
            )
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype, self)
        return uniform(shape, self.minval, self.maxval, dtype, self._generator())

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}
