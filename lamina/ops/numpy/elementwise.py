"""Element-wise NumPy-style math: unary functions, arithmetic, comparisons.

Example:
>>> import torch
>>> add(torch.tensor([1, 2]), 0.5).tolist()
[1.5, 2.5]
>>> sqrt(torch.tensor([4.0])).tolist()
[2.0]
"""

from typing import Any

import torch

from lamina.backend.config import dtype_name
from lamina.backend.config import floatx
from lamina.ops._convert import is_int
from lamina.ops._convert import result_type
from lamina.ops._convert import tensors
from lamina.ops._convert import to_float
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype

TensorLike = Any


def _promoted(x1: TensorLike, x2: TensorLike) -> tuple[torch.Tensor, torch.Tensor]:
    """Converts both operands to Keras's promoted dtype (Python scalars weak)."""
    dtype = result_type(_key(x1), _key(x2))
    a, b = tensors(x1, x2)
    return a.to(torch_dtype(dtype)), b.to(torch_dtype(dtype))


def _key(x: TensorLike) -> Any:
    if isinstance(x, bool):
        return bool
    if isinstance(x, (int, float)):
        return type(x)
    return to_tensor(x).dtype


def _floats(x: TensorLike) -> torch.Tensor:
    return to_float(to_tensor(x))


def _floats_pair(x1: TensorLike, x2: TensorLike) -> list[torch.Tensor]:
    a, b = _promoted(x1, x2)
    return [to_float(a), to_float(b)]


# Unary functions that return floats (integers are cast to floatx first).


def sqrt(x: TensorLike) -> torch.Tensor:
    """Square root, element-wise."""
    return torch.sqrt(_floats(x))


def exp(x: TensorLike) -> torch.Tensor:
    """Exponential, element-wise."""
    return torch.exp(_floats(x))


def exp2(x: TensorLike) -> torch.Tensor:
    """Base-2 exponential, element-wise."""
    return torch.exp2(_floats(x))


def expm1(x: TensorLike) -> torch.Tensor:
    """`exp(x) - 1`, accurate near zero."""
    return torch.expm1(_floats(x))


def log(x: TensorLike) -> torch.Tensor:
    """Natural logarithm, element-wise."""
    return torch.log(_floats(x))


def log10(x: TensorLike) -> torch.Tensor:
    """Base-10 logarithm, element-wise."""
    return torch.log10(_floats(x))


def log1p(x: TensorLike) -> torch.Tensor:
    """`log(1 + x)`, accurate near zero."""
    return torch.log1p(_floats(x))


def log2(x: TensorLike) -> torch.Tensor:
    """Base-2 logarithm, element-wise."""
    return torch.log2(_floats(x))


def sin(x: TensorLike) -> torch.Tensor:
    """Sine, element-wise."""
    return torch.sin(_floats(x))


def cos(x: TensorLike) -> torch.Tensor:
    """Cosine, element-wise."""
    return torch.cos(_floats(x))


def tan(x: TensorLike) -> torch.Tensor:
    """Tangent, element-wise."""
    return torch.tan(_floats(x))


def arcsin(x: TensorLike) -> torch.Tensor:
    """Inverse sine, element-wise."""
    return torch.arcsin(_floats(x))


def arccos(x: TensorLike) -> torch.Tensor:
    """Inverse cosine, element-wise."""
    return torch.arccos(_floats(x))


def arctan(x: TensorLike) -> torch.Tensor:
    """Inverse tangent, element-wise."""
    return torch.arctan(_floats(x))


def sinh(x: TensorLike) -> torch.Tensor:
    """Hyperbolic sine, element-wise."""
    return torch.sinh(_floats(x))


def cosh(x: TensorLike) -> torch.Tensor:
    """Hyperbolic cosine, element-wise."""
    return torch.cosh(_floats(x))


def tanh(x: TensorLike) -> torch.Tensor:
    """Hyperbolic tangent, element-wise."""
    return torch.tanh(_floats(x))


def arcsinh(x: TensorLike) -> torch.Tensor:
    """Inverse hyperbolic sine, element-wise."""
    return torch.arcsinh(_floats(x))


def arccosh(x: TensorLike) -> torch.Tensor:
    """Inverse hyperbolic cosine, element-wise."""
    return torch.arccosh(_floats(x))


def arctanh(x: TensorLike) -> torch.Tensor:
    """Inverse hyperbolic tangent, element-wise."""
    return torch.arctanh(_floats(x))


def sinc(x: TensorLike) -> torch.Tensor:
    """Normalised sinc, `sin(pi x) / (pi x)`."""
    return torch.sinc(_floats(x))


def i0(x: TensorLike) -> torch.Tensor:
    """Modified Bessel function of the first kind, order 0."""
    return torch.special.i0(_floats(x))


def cbrt(x: TensorLike) -> torch.Tensor:
    """Cube root, element-wise (real for negative inputs)."""
    x = _floats(x)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


def deg2rad(x: TensorLike) -> torch.Tensor:
    """Converts angles from degrees to radians."""
    return torch.deg2rad(_floats(x))


def rad2deg(x: TensorLike) -> torch.Tensor:
    """Converts angles from radians to degrees."""
    return torch.rad2deg(_floats(x))


def floor(x: TensorLike) -> torch.Tensor:
    """Largest integer not above `x`, as floats."""
    return torch.floor(_floats(x))


def ceil(x: TensorLike) -> torch.Tensor:
    """Smallest integer not below `x`, as floats."""
    return torch.ceil(_floats(x))


def fabs(x: TensorLike) -> torch.Tensor:
    """Absolute value, always as floats."""
    return torch.abs(_floats(x))


def reciprocal(x: TensorLike) -> torch.Tensor:
    """`1 / x`, element-wise."""
    return torch.reciprocal(_floats(x))


# Unary functions that keep the input dtype.


def abs(x: TensorLike) -> torch.Tensor:  # noqa: A001 - Keras's public name
    """Absolute value, element-wise."""
    x = to_tensor(x)
    return x if x.dtype == torch.bool else torch.abs(x)


def absolute(x: TensorLike) -> torch.Tensor:
    """Absolute value, element-wise (alias of `abs`)."""
    return abs(x)


def negative(x: TensorLike) -> torch.Tensor:
    """`-x`, element-wise."""
    return torch.negative(to_tensor(x))


def sign(x: TensorLike) -> torch.Tensor:
    """Sign of `x`: -1, 0 or 1."""
    return torch.sign(to_tensor(x))


def square(x: TensorLike) -> torch.Tensor:
    """`x * x`, element-wise (booleans become int32)."""
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


def trunc(x: TensorLike) -> torch.Tensor:
    """Rounds toward zero."""
    x = to_tensor(x)
    return x if is_int(x) else torch.trunc(x)


def round(x: TensorLike, decimals: int = 0) -> torch.Tensor:  # noqa: A001
    """Rounds half to even, to `decimals` decimal places."""
    x = to_tensor(x)
    if is_int(x):
        return torch.round(x.to(torch_dtype(floatx())), decimals=decimals).to(x.dtype)
    return torch.round(x, decimals=decimals)


def signbit(x: TensorLike) -> torch.Tensor:
    """Whether the sign bit is set (negative numbers and `-0.0`)."""
    return torch.signbit(to_tensor(x))


def conjugate(x: TensorLike) -> torch.Tensor:
    """Complex conjugate, element-wise."""
    return torch.conj(to_tensor(x)).resolve_conj()


def conj(x: TensorLike) -> torch.Tensor:
    """Complex conjugate (alias of `conjugate`)."""
    return conjugate(x)


def real(x: TensorLike) -> torch.Tensor:
    """Real part of complex numbers (real inputs pass through)."""
    x = to_tensor(x)
    return torch.real(x) if x.is_complex() else x


def imag(x: TensorLike) -> torch.Tensor:
    """Imaginary part of complex numbers (zeros for real inputs)."""
    x = to_tensor(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def angle(x: TensorLike) -> torch.Tensor:
    """Angle of complex numbers, in radians."""
    return torch.angle(_floats(x))


def isfinite(x: TensorLike) -> torch.Tensor:
    """Whether each element is finite."""
    return torch.isfinite(to_tensor(x))


def isinf(x: TensorLike) -> torch.Tensor:
    """Whether each element is positive or negative infinity."""
    return torch.isinf(to_tensor(x))


def isnan(x: TensorLike) -> torch.Tensor:
    """Whether each element is NaN."""
    return torch.isnan(to_tensor(x))


def isneginf(x: TensorLike) -> torch.Tensor:
    """Whether each element is negative infinity."""
    return torch.isneginf(to_tensor(x))


def isposinf(x: TensorLike) -> torch.Tensor:
    """Whether each element is positive infinity."""
    return torch.isposinf(to_tensor(x))


def isreal(x: TensorLike) -> torch.Tensor:
    """Whether each element has a zero imaginary part."""
    return torch.isreal(to_tensor(x))


def nan_to_num(
    x: TensorLike,
    nan: float = 0.0,
    posinf: float | None = None,
    neginf: float | None = None,
) -> torch.Tensor:
    """Replaces NaN and infinities by finite numbers."""
    return torch.nan_to_num(to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


def logical_not(x: TensorLike) -> torch.Tensor:
    """Boolean NOT, element-wise."""
    return torch.logical_not(to_tensor(x))


def bitwise_invert(x: TensorLike) -> torch.Tensor:
    """Bitwise NOT of integers (logical NOT of booleans)."""
    return torch.bitwise_not(to_tensor(x))


def bitwise_not(x: TensorLike) -> torch.Tensor:
    """Bitwise NOT (alias of `bitwise_invert`)."""
    return bitwise_invert(x)


# Binary arithmetic.


def add(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 + x2`, broadcasting."""
    return torch.add(*_promoted(x1, x2))


def subtract(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 - x2`, broadcasting."""
    a, b = _promoted(x1, x2)
    if a.dtype == torch.bool:
        return torch.logical_xor(a, b)
    return torch.subtract(a, b)


def multiply(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 * x2`, broadcasting."""
    return torch.multiply(*_promoted(x1, x2))


def divide(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """True division `x1 / x2`; integers give floats."""
    return torch.divide(*_floats_pair(x1, x2))


def true_divide(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """True division (alias of `divide`)."""
    return divide(x1, x2)


def divide_no_nan(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 / x2`, with 0 wherever `x2 == 0`."""
    a, b = _floats_pair(x1, x2)
    safe = torch.where(b == 0, torch.ones_like(b), b)
    return torch.where(b == 0, torch.zeros_like(a / safe), a / safe)


def floor_divide(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`floor(x1 / x2)`, in the promoted dtype."""
    return torch.floor_divide(*_promoted(x1, x2))


def mod(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Remainder with the sign of the divisor (Python's `%`)."""
    a, b = _promoted(x1, x2)
    if a.dtype == torch.bool:
        a, b = a.to(torch.int32), b.to(torch.int32)
    return torch.remainder(a, b)


def fmod(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Remainder with the sign of the dividend (C's `fmod`)."""
    a, b = _promoted(x1, x2)
    if a.dtype == torch.bool:
        a, b = a.to(torch.int32), b.to(torch.int32)
    return torch.fmod(a, b)


def power(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 ** x2`, broadcasting."""
    return torch.pow(*_promoted(x1, x2))


def maximum(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise maximum (NaN propagates)."""
    return torch.maximum(*_promoted(x1, x2))


def minimum(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise minimum (NaN propagates)."""
    return torch.minimum(*_promoted(x1, x2))


def fmax(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise maximum that ignores NaN."""
    return torch.fmax(*_promoted(x1, x2))


def fmin(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Element-wise minimum that ignores NaN."""
    return torch.fmin(*_promoted(x1, x2))


def arctan2(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Angle of the point `(x2, x1)`, in radians."""
    return torch.arctan2(*_floats_pair(x1, x2))


def hypot(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`sqrt(x1**2 + x2**2)`, element-wise."""
    return torch.hypot(*_floats_pair(x1, x2))


def logaddexp(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`log(exp(x1) + exp(x2))`, computed stably."""
    return torch.logaddexp(*_floats_pair(x1, x2))


def logaddexp2(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`log2(2**x1 + 2**x2)`, computed stably."""
    return torch.logaddexp2(*_floats_pair(x1, x2))


def heaviside(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Heaviside step: 0 below zero, `x2` at zero, 1 above."""
    a, b = _promoted(x1, x2)
    if is_int(a):
        a, b = a.to(torch_dtype(floatx())), b.to(torch_dtype(floatx()))
    return torch.heaviside(a, b)


def nextafter(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Next representable float after `x1` toward `x2`."""
    a, b = _promoted(x1, x2)
    if is_int(a):
        a, b = a.to(torch.float64), b.to(torch.float64)
        return torch.nextafter(a, b).to(torch_dtype(floatx()))
    return torch.nextafter(a, b)


def ldexp(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 * 2**x2`."""
    a, b = tensors(x1, x2)
    if b.is_floating_point():
        raise TypeError(
            f"ldexp expected an integer exponent x2, but received "
            f"dtype {dtype_name(b.dtype)}. Cast x2 to int32."
        )
    return torch.ldexp(to_float(a), b)


def gcd(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Greatest common divisor of integers."""
    return torch.gcd(*_promoted(x1, x2))


def lcm(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Least common multiple of integers."""
    return torch.lcm(*_promoted(x1, x2))


# Comparisons and logic: boolean results.


def equal(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 == x2`, element-wise."""
    return torch.eq(*tensors(x1, x2))


def not_equal(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 != x2`, element-wise."""
    return torch.ne(*tensors(x1, x2))


def greater(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 > x2`, element-wise."""
    return torch.gt(*tensors(x1, x2))


def greater_equal(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 >= x2`, element-wise."""
    return torch.ge(*tensors(x1, x2))


def less(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 < x2`, element-wise."""
    return torch.lt(*tensors(x1, x2))


def less_equal(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """`x1 <= x2`, element-wise."""
    return torch.le(*tensors(x1, x2))


def logical_and(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Boolean AND, element-wise."""
    return torch.logical_and(*tensors(x1, x2))


def logical_or(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Boolean OR, element-wise."""
    return torch.logical_or(*tensors(x1, x2))


def logical_xor(x1: TensorLike, x2: TensorLike) -> torch.Tensor:
    """Boolean XOR, element-wise."""
    return torch.logical_xor(*tensors(x1, x2))


def isclose(
    x1: TensorLike,
    x2: TensorLike,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    equal_nan: bool = False,
) -> torch.Tensor:
    """Whether `|x1 - x2| <= atol + rtol * |x2|`, element-wise."""
    a, b = _promoted(x1, x2)
    return torch.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(
    x1: TensorLike,
    x2: TensorLike,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    equal_nan: bool = False,
) -> torch.Tensor:
    """Whether `isclose` holds everywhere, as a 0-d boolean tensor."""
    return torch.all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def bitwise_and(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Bitwise AND of integers."""
    return torch.bitwise_and(*_promoted(x, y))


def bitwise_or(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Bitwise OR of integers."""
    return torch.bitwise_or(*_promoted(x, y))


def bitwise_xor(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Bitwise XOR of integers."""
    return torch.bitwise_xor(*_promoted(x, y))


def bitwise_left_shift(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Shifts the bits of `x` left by `y`."""
    return torch.bitwise_left_shift(*_promoted(x, y))


def left_shift(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Shifts bits left (alias of `bitwise_left_shift`)."""
    return bitwise_left_shift(x, y)


def bitwise_right_shift(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Shifts the bits of `x` right by `y`."""
    return torch.bitwise_right_shift(*_promoted(x, y))


def right_shift(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Shifts bits right (alias of `bitwise_right_shift`)."""
    return bitwise_right_shift(x, y)


def clip(x: TensorLike, x_min: TensorLike, x_max: TensorLike) -> torch.Tensor:
    """Limits values to `[x_min, x_max]`."""
    x = to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    low, high = (
        tensors(x_min, x_max) if isinstance(x_min, torch.Tensor) else (x_min, x_max)
    )
    return torch.clamp(x, low, high)
