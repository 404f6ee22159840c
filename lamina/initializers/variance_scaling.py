"""Initializers scaled by the weight's fan-in/fan-out: Glorot, He, LeCun."""

import math
from collections.abc import Sequence
from typing import Any

import torch

from lamina.initializers._random import float_dtype
from lamina.initializers._random import normal
from lamina.initializers._random import truncated_normal
from lamina.initializers._random import uniform
from lamina.initializers.initializer import Shape
from lamina.initializers.random_initializers import RandomInitializer

_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")
# Standard deviation of a unit normal truncated to [-2, 2]; dividing by it makes
# the truncated samples have the intended variance.
_TRUNCATED_STDDEV = 0.87962566103423978


def compute_fans(
    shape: Shape,
    input_axes: Sequence[int] | None = None,
    output_axes: Sequence[int] | None = None,
) -> tuple[int, int]:
    """Returns `(fan_in, fan_out)` of a weight in Keras layout.

    Dense kernels are `(in, out)`; convolution kernels `(*spatial, in, out)`,
    whose fans are multiplied by the receptive field (product of the spatial
    sizes). When both `input_axes` and `output_axes` are given, the fans are
    the products of those axes' sizes instead.

    Example:
    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(
            shape[a] for a in output_axes
        )
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(RandomInitializer):
    """Draws values whose variance is `scale / n`, `n` set by the weight's fans.

    `n` is `fan_in` (`mode="fan_in"`), `fan_out` (`"fan_out"`) or their mean
    (`"fan_avg"`). Normal distributions use `stddev = sqrt(scale / n)` (after
    truncation at two standard deviations for `"truncated_normal"`); the
    uniform one draws in `[-limit, limit]` with `limit = sqrt(3 * scale / n)`.

    Args:
        scale: Positive scaling factor. Defaults to `1.0`.
        mode: One of `"fan_in"`, `"fan_out"`, `"fan_avg"`. Defaults to
            `"fan_in"`.
        distribution: One of `"truncated_normal"`, `"untruncated_normal"`,
            `"uniform"` (`"normal"` means `"truncated_normal"`). Defaults to
            `"truncated_normal"`.
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.
        input_axes: Axes whose sizes multiply to `fan_in` (used together with
            `output_axes`). Defaults to `None`.
        output_axes: Axes whose sizes multiply to `fan_out`. Defaults to `None`.

    Example:
    >>> values = VarianceScaling(2.0, "fan_in", "uniform", seed=0)((100, 10))
    >>> bool(values.abs().max() <= (3 * 2.0 / 100) ** 0.5)
    True
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: int | None = None,
        input_axes: Sequence[int] | None = None,
        output_axes: Sequence[int] | None = None,
    ):
        if not scale > 0.0:
            raise ValueError(
                f"{type(self).__name__} expected a positive scale, but received "
                f"scale={scale!r}."
            )
        if mode not in _MODES:
            raise ValueError(
                f"{type(self).__name__} expected mode to be one of {_MODES}, but "
                f"received mode={mode!r}."
            )
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"{type(self).__name__} expected distribution to be one of "
                f"{_DISTRIBUTIONS} (or 'normal'), but received "
                f"distribution={distribution!r}."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype, self)
        variance = self.scale / max(1.0, self._fan(shape))
        generator = self._generator()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / _TRUNCATED_STDDEV
            return truncated_normal(shape, 0.0, stddev, dtype, generator)
        if self.distribution == "untruncated_normal":
            return normal(shape, 0.0, math.sqrt(variance), dtype, generator)
        limit = math.sqrt(3.0 * variance)
        return uniform(shape, -limit, limit, dtype, generator)

    def _fan(self, shape: Shape) -> float:
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        if self.mode == "fan_in":
            return fan_in
        if self.mode == "fan_out":
            return fan_out
        return (fan_in + fan_out) / 2.0

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _FixedVarianceScaling(VarianceScaling):
    """A `VarianceScaling` preset: only the seed and axes are configurable."""

    _scale = 1.0
    _mode = "fan_in"
    _distribution = "truncated_normal"

    def __init__(
        self,
        seed: int | None = None,
        input_axes: Sequence[int] | None = None,
        output_axes: Sequence[int] | None = None,
    ):
        super().__init__(
            scale=self._scale,
            mode=self._mode,
            distribution=self._distribution,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform: `U(-limit, limit)`, `limit = sqrt(6 / fan_sum)`.

    `fan_sum` is `fan_in + fan_out`.

    Args:
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.
        input_axes: Axes whose sizes multiply to `fan_in`. Defaults to `None`.
        output_axes: Axes whose sizes multiply to `fan_out`. Defaults to `None`.

    Example:
    >>> values = GlorotUniform(seed=0)((4, 2))
    >>> bool(values.abs().max() <= 1.0)
    True
    """

    _mode = "fan_avg"
    _distribution = "uniform"


class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal: truncated, `stddev = sqrt(2 / (fan_in + fan_out))`.

    Args:
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.
        input_axes: Axes whose sizes multiply to `fan_in`. Defaults to `None`.
        output_axes: Axes whose sizes multiply to `fan_out`. Defaults to `None`.

    Example:
    >>> tuple(GlorotNormal(seed=0)((4, 2)).shape)
    (4, 2)
    """

    _mode = "fan_avg"


class HeUniform(_FixedVarianceScaling):
    """He uniform: `U(-limit, limit)` with `limit = sqrt(6 / fan_in)`.

    Args:
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.
        input_axes: Axes whose sizes multiply to `fan_in`. Defaults to `None`.
        output_axes: Axes whose sizes multiply to `fan_out`. Defaults to `None`.

    Example:
    >>> bool(HeUniform(seed=0)((6, 2)).abs().max() <= 1.0)
    True
    """

    _scale = 2.0
    _distribution = "uniform"


class HeNormal(_FixedVarianceScaling):
    """He normal: truncated normal with `stddev = sqrt(2 / fan_in)`.

    Args:
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.
        input_axes: Axes whose sizes multiply to `fan_in`. Defaults to `None`.
        output_axes: Axes whose sizes multiply to `fan_out`. Defaults to `None`.

    Example:
    >>> tuple(HeNormal(seed=0)((3, 3, 2, 4)).shape)
    (3, 3, 2, 4)
    """

    _scale = 2.0


class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform: `U(-limit, limit)` with `limit = sqrt(3 / fan_in)`.

    Args:
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.
        input_axes: Axes whose sizes multiply to `fan_in`. Defaults to `None`.
        output_axes: Axes whose sizes multiply to `fan_out`. Defaults to `None`.

    Example:
    >>> bool(LecunUniform(seed=0)((3, 2)).abs().max() <= 1.0)
    True
    """

    _distribution = "uniform"


class LecunNormal(_FixedVarianceScaling):
    """LeCun normal: truncated normal with `stddev = sqrt(1 / fan_in)`.

    Args:
        seed: Integer seed for reproducible values, or `None` to use torch's
            global generator. Defaults to `None`.
        input_axes: Axes whose sizes multiply to `fan_in`. Defaults to `None`.
        output_axes: Axes whose sizes multiply to `fan_out`. Defaults to `None`.

    Example:
    >>> tuple(LecunNormal(seed=0)((3, 2)).shape)
    (3, 2)
    """
