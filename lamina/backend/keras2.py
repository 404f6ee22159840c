"""The Keras 2 `keras.backend` functions that tutorials import as `K`.

Written on `lamina.ops`; names, argument names and defaults follow Keras 2
(`K.argmax(x, axis=-1)`, `K.concatenate(tensors, axis=-1)`, ...).

Example:
>>> import torch
>>> from lamina import backend as K
>>> K.mean(K.square(torch.tensor([1.0, 3.0])))
tensor(5.)
>>> K.int_shape(torch.zeros(2, 3))
(2, 3)
"""

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from lamina import ops
from lamina import random as lamina_random
from lamina.backend.config import dtype_name
from lamina.backend.config import epsilon
from lamina.backend.config import floatx
from lamina.backend.config import image_data_format
from lamina.backend.variable import Variable
from lamina.ops._convert import result_type as _result_type
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype
from lamina.ops._symbolic import symbolic_aware

TensorLike = Any

_LEARNING_PHASE: list[int] = [0]
_UID_COUNTS: dict[str, int] = {}


# Session, values and variables.


def clear_session() -> None:
    """Resets global state: layer name counters, uids, the learning phase and
    the global dtype policy."""
    from lamina.backend.config import set_dtype_policy

    _UID_COUNTS.clear()
    _LEARNING_PHASE[0] = 0
    set_dtype_policy(None)
    try:
        from lamina.layers.naming import reset_name_counters
    except ImportError:  # layers not importable yet: nothing to reset
        return
    reset_name_counters()


def get_uid(prefix: str = "") -> int:
    """A per-prefix counter: 1 on the first call, then 2, 3, ..."""
    _UID_COUNTS[prefix] = _UID_COUNTS.get(prefix, 0) + 1
    return _UID_COUNTS[prefix]


def learning_phase() -> int:
    """The Keras 2 learning phase: 0 (inference) or 1 (training)."""
    return _LEARNING_PHASE[0]


def set_learning_phase(value: int) -> None:
    """Sets the Keras 2 learning phase to 0 or 1."""
    if value not in (0, 1):
        raise ValueError(f"set_learning_phase expected 0 or 1, but received {value!r}.")
    _LEARNING_PHASE[0] = int(value)


def _value_holder(x: Any) -> Any:
    """The tensor behind `x` (a Variable, tensor, or object with `.value`)."""
    if isinstance(x, torch.Tensor):
        return x
    value = getattr(x, "value", None)
    return value() if callable(value) else value


def get_value(x: Any) -> Any:
    """The value of `x` as NumPy (a scalar for 0-d values; numbers pass through)."""
    if isinstance(x, (int, float, np.ndarray, np.number)):
        return x
    holder = _value_holder(x)
    if holder is None:
        raise TypeError(
            f"get_value expected a tensor, Variable or number, but received "
            f"{type(x).__name__}. Pass e.g. model.optimizer.learning_rate."
        )
    array = ops.convert_to_numpy(holder)
    return array[()] if array.ndim == 0 else array


def batch_get_value(tensors: list[Any]) -> list[Any]:
    """`get_value` of each element."""
    return [get_value(x) for x in tensors]


def eval(x: Any) -> np.ndarray:  # noqa: A001 - Keras's public name
    """The value of `x` as a NumPy array."""
    return np.asarray(get_value(x))


def set_value(x: Any, value: Any) -> None:
    """Assigns `value` to the variable (or tensor) `x` in place."""
    if isinstance(x, Variable) or (
        hasattr(x, "assign") and not isinstance(x, torch.Tensor)
    ):
        x.assign(value)
        return
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"set_value expected a Variable or tensor, but received "
            f"{type(x).__name__}. Python numbers cannot be changed in place."
        )
    with torch.no_grad():
        x.copy_(torch.as_tensor(np.asarray(value), dtype=x.dtype, device=x.device))


def batch_set_value(tuples: Any) -> None:
    """`set_value` for each `(variable, value)` pair."""
    for variable_, value in tuples:
        set_value(variable_, value)


def variable(
    value: Any, dtype: Any = None, name: str | None = None, constraint: Any = None
) -> Variable:
    """A trainable `Variable` holding `value`."""
    tensor = to_tensor(value, dtype=dtype or floatx())
    return Variable(tensor.clone(), name=name)


def constant(
    value: Any, dtype: Any = None, shape: Any = None, name: str | None = None
) -> torch.Tensor:
    """A tensor holding `value` (broadcast to `shape` when given)."""
    tensor = to_tensor(value, dtype=dtype or floatx())
    return tensor if shape is None else torch.broadcast_to(tensor, tuple(shape)).clone()


def update(x: Variable, new_x: Any) -> Variable:
    """Assigns `new_x` to `x`."""
    return x.assign(new_x)


def update_add(x: Variable, increment: Any) -> Variable:
    """Adds `increment` to `x` in place."""
    return x.assign_add(increment)


def update_sub(x: Variable, decrement: Any) -> Variable:
    """Subtracts `decrement` from `x` in place."""
    return x.assign_sub(decrement)


def moving_average_update(x: Variable, value: Any, momentum: float) -> Variable:
    """`x = x * momentum + value * (1 - momentum)`, in place."""
    return x.assign(x.detach() * momentum + to_tensor(value) * (1 - momentum))


def count_params(x: Any) -> int:
    """Number of scalars in `x`."""
    return int(np.prod(int_shape(x)))


def cast_to_floatx(x: Any) -> torch.Tensor:
    """`x` as a tensor of dtype `floatx()`."""
    return to_tensor(x, dtype=floatx())


# Shapes and types.


def int_shape(x: Any) -> tuple[int | None, ...] | None:
    """The static shape as a tuple (`None` for unknown axes)."""
    shape_ = getattr(x, "shape", None)
    return None if shape_ is None else tuple(shape_)


def shape(x: TensorLike) -> torch.Tensor:
    """The shape of `x` as an int32 tensor."""
    return torch.tensor(tuple(to_tensor(x).shape), dtype=torch.int32)


def ndim(x: Any) -> int:
    """Number of axes."""
    return len(int_shape(x) or ())


def dtype(x: Any) -> str:
    """The dtype name of `x`, e.g. `"float32"`."""
    value = getattr(x, "dtype", None)
    return value if isinstance(value, str) else dtype_name(to_tensor(x).dtype)


def is_tensor(x: Any) -> bool:
    """Whether `x` is a torch tensor."""
    return isinstance(x, torch.Tensor)


def is_keras_tensor(x: Any) -> bool:
    """Whether `x` is a symbolic tensor of the functional API."""
    from lamina.layers.keras_tensor import KerasTensor

    return isinstance(x, KerasTensor)


def is_sparse(tensor: Any) -> bool:
    """Whether `tensor` is sparse (torch sparse layouts)."""
    return isinstance(tensor, torch.Tensor) and tensor.is_sparse


def to_dense(tensor: TensorLike) -> torch.Tensor:
    """A dense copy of a sparse tensor (dense tensors pass through)."""
    tensor = to_tensor(tensor)
    return tensor.to_dense() if tensor.is_sparse else tensor


def is_float_dtype(dtype: Any) -> bool:
    """Whether `dtype` is a floating-point type."""
    return torch_dtype(dtype).is_floating_point


def is_int_dtype(dtype: Any) -> bool:
    """Whether `dtype` is an integer type."""
    resolved = torch_dtype(dtype)
    return not (
        resolved.is_floating_point or resolved.is_complex or resolved == torch.bool
    )


def result_type(*dtypes: Any) -> str:
    """The dtype Keras's promotion rules give for `dtypes`."""
    return _result_type(*dtypes)


# Math and reductions (Keras 2 defaults).

abs = ops.abs  # noqa: A001
all = ops.all  # noqa: A001
any = ops.any  # noqa: A001
cast = ops.cast
cos = ops.cos
equal = ops.equal
exp = ops.exp
greater = ops.greater
greater_equal = ops.greater_equal
less = ops.less
less_equal = ops.less_equal
log = ops.log
max = ops.max  # noqa: A001
maximum = ops.maximum
mean = ops.mean
min = ops.min  # noqa: A001
minimum = ops.minimum
not_equal = ops.not_equal
prod = ops.prod
sign = ops.sign
sin = ops.sin
sqrt = ops.sqrt
square = ops.square
std = ops.std
stop_gradient = ops.stop_gradient
sum = ops.sum  # noqa: A001
var = ops.var
zeros_like = ops.zeros_like
ones_like = ops.ones_like
stack = ops.stack
sigmoid = ops.sigmoid
tanh = ops.tanh
softplus = ops.softplus
softsign = ops.softsign
elu = ops.elu
hard_sigmoid = ops.hard_sigmoid


def round(x: TensorLike) -> torch.Tensor:  # noqa: A001
    """Rounds half to even."""
    return ops.round(x)


def pow(x: TensorLike, a: Any) -> torch.Tensor:  # noqa: A001
    """`x ** a`."""
    return ops.power(x, a)


def clip(x: TensorLike, min_value: Any, max_value: Any) -> torch.Tensor:
    """Limits `x` to `[min_value, max_value]`."""
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return ops.clip(x, min_value, max_value)


def argmax(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Index of the largest value along `axis` (last by default)."""
    return ops.argmax(x, axis=axis)


def argmin(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Index of the smallest value along `axis` (last by default)."""
    return ops.argmin(x, axis=axis)


def cumsum(x: TensorLike, axis: int = 0) -> torch.Tensor:
    """Cumulative sum along `axis`."""
    return ops.cumsum(x, axis=axis)


def cumprod(x: TensorLike, axis: int = 0) -> torch.Tensor:
    """Cumulative product along `axis`."""
    return ops.cumprod(x, axis=axis)


def l2_normalize(x: TensorLike, axis: Any = None) -> torch.Tensor:
    """`x / sqrt(max(sum(x**2, axis), 1e-12))`."""
    x = ops.convert_to_tensor(x)
    squares = (
        torch.sum(torch.square(x), dim=axis, keepdim=True)
        if axis is not None
        else torch.sum(torch.square(x))
    )
    return x * torch.rsqrt(torch.clamp(squares, min=1e-12))


def relu(
    x: TensorLike,
    alpha: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
) -> torch.Tensor:
    """Rectified linear unit with Keras 2's `alpha`, `max_value`, `threshold`."""
    x = ops.convert_to_tensor(x)
    below = alpha * (x - threshold) if alpha else torch.zeros_like(x)
    out = (
        torch.where(x > threshold, x, below)
        if threshold
        else torch.where(x > 0, x, below)
    )
    return out if max_value is None else torch.clamp(out, max=max_value)


def softmax(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Softmax along `axis`."""
    return ops.softmax(x, axis=axis)


def dot(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Keras 2 `dot`: contracts the last axis of `x` with the second-last of `y`."""
    x, y = ops.convert_to_tensor(x), ops.convert_to_tensor(y)
    if x.ndim > 2 or y.ndim > 2:
        return torch.tensordot(x, y, dims=([-1], [-2 if y.ndim > 1 else -1]))
    return torch.matmul(x, y)


def batch_dot(x: TensorLike, y: TensorLike, axes: Any = None) -> torch.Tensor:
    """Per-sample dot product of two batches, over `axes` (defaults as Keras 2)."""
    x, y = ops.convert_to_tensor(x), ops.convert_to_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(
            f"batch_dot needs inputs of rank >= 2, but received shapes "
            f"{tuple(x.shape)} and {tuple(y.shape)}."
        )
    if isinstance(axes, int):
        axes = (axes, axes)
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 1 if y.ndim == 2 else y.ndim - 2)
    axis_x, axis_y = (a % n for a, n in zip(axes, (x.ndim, y.ndim), strict=True))
    if 0 in (axis_x, axis_y):
        raise ValueError(
            "batch_dot cannot contract the batch axis 0. Add a batch "
            "axis with expand_dims(x, 0)."
        )
    x = torch.movedim(x, axis_x, -1)
    y = torch.movedim(y, axis_y, 1)
    x_rest, y_rest = x.shape[1:-1], y.shape[2:]
    flat_x = x.reshape(x.shape[0], -1, x.shape[-1])
    flat_y = y.reshape(y.shape[0], y.shape[1], -1)
    result = torch.bmm(flat_x, flat_y).reshape(x.shape[0], *x_rest, *y_rest)
    return result.unsqueeze(-1) if result.ndim == 1 else result


# Shape manipulation.


def concatenate(tensors: list[TensorLike], axis: int = -1) -> torch.Tensor:
    """Joins tensors along `axis` (last by default)."""
    return ops.concatenate(tensors, axis=axis)


def reshape(x: TensorLike, shape: Any) -> torch.Tensor:
    """`x` with a new shape."""
    return ops.reshape(x, shape)


def flatten(x: TensorLike) -> torch.Tensor:
    """`x` as a 1-D tensor."""
    return ops.reshape(x, (-1,))


def batch_flatten(x: TensorLike) -> torch.Tensor:
    """`x` as `(batch, -1)`."""
    x = ops.convert_to_tensor(x)
    return x.reshape(x.shape[0], -1)


def expand_dims(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Adds a size-1 axis at `axis` (last by default)."""
    return ops.expand_dims(x, axis)


def squeeze(x: TensorLike, axis: int) -> torch.Tensor:
    """Removes the size-1 axis `axis`."""
    return ops.squeeze(x, axis)


def transpose(x: TensorLike) -> torch.Tensor:
    """Reverses the axes."""
    return ops.transpose(x)


def permute_dimensions(x: TensorLike, pattern: Any) -> torch.Tensor:
    """Permutes axes by `pattern`, e.g. `(0, 2, 1)`."""
    return ops.transpose(x, tuple(pattern))


def repeat(x: TensorLike, n: int) -> torch.Tensor:
    """`(batch, dim)` -> `(batch, n, dim)`."""
    x = ops.convert_to_tensor(x)
    return x.unsqueeze(1).expand(x.shape[0], n, x.shape[1]).clone()


def repeat_elements(x: TensorLike, rep: int, axis: int) -> torch.Tensor:
    """Repeats each element `rep` times along `axis`."""
    return ops.repeat(x, rep, axis=axis)


def tile(x: TensorLike, n: Any) -> torch.Tensor:
    """Repeats `x` `n` times along each axis."""
    return ops.tile(x, (n,) if isinstance(n, int) else n)


def reverse(x: TensorLike, axes: Any) -> torch.Tensor:
    """Reverses `x` along `axes`."""
    return ops.flip(x, axes)


def gather(reference: TensorLike, indices: TensorLike) -> torch.Tensor:
    """Rows of `reference` at `indices`."""
    return ops.take(reference, indices, axis=0)


def one_hot(indices: TensorLike, num_classes: int) -> torch.Tensor:
    """One-hot encoding on a new last axis."""
    return ops.one_hot(indices, num_classes)


def switch(condition: Any, then_expression: Any, else_expression: Any) -> Any:
    """`then_expression` where `condition` holds, else `else_expression`."""
    then_value = then_expression() if callable(then_expression) else then_expression
    else_value = else_expression() if callable(else_expression) else else_expression
    condition = ops.convert_to_tensor(condition)
    if condition.ndim == 0:
        return then_value if bool(condition) else else_value
    then_value = ops.convert_to_tensor(then_value)
    while condition.ndim < then_value.ndim:
        condition = condition.unsqueeze(-1)
    return torch.where(condition.bool(), then_value, ops.convert_to_tensor(else_value))


# Creation and random.


def zeros(shape: Any, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """Zeros of `shape`."""
    return ops.zeros(shape, dtype=dtype)


def ones(shape: Any, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """Ones of `shape`."""
    return ops.ones(shape, dtype=dtype)


def eye(size: Any, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """The identity matrix of `size` (an int or `(rows, columns)`)."""
    rows, columns = (size, size) if isinstance(size, int) else size
    return ops.eye(rows, columns, dtype=dtype)


def arange(
    start: Any, stop: Any = None, step: Any = 1, dtype: Any = "int32"
) -> torch.Tensor:
    """Evenly spaced values, int32 by default."""
    return ops.arange(start, stop, step, dtype=dtype)


def random_normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = None,
    seed: Any = None,
) -> torch.Tensor:
    """Normal samples."""
    return lamina_random.normal(shape, mean, stddev, dtype, seed)


def random_uniform(
    shape: Any,
    minval: float = 0.0,
    maxval: float = 1.0,
    dtype: Any = None,
    seed: Any = None,
) -> torch.Tensor:
    """Uniform samples from `[minval, maxval)`."""
    return lamina_random.uniform(shape, minval, maxval, dtype, seed)


def truncated_normal(
    shape: Any,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = None,
    seed: Any = None,
) -> torch.Tensor:
    """Normal samples within two standard deviations."""
    return lamina_random.truncated_normal(shape, mean, stddev, dtype, seed)


def random_bernoulli(
    shape: Any, p: float = 0.0, dtype: Any = None, seed: Any = None
) -> torch.Tensor:
    """Ones with probability `p`, zeros otherwise."""
    draws = lamina_random.uniform(shape, seed=seed)
    return (draws < p).to(torch_dtype(dtype or floatx()))


def random_normal_variable(
    shape: Any,
    mean: float,
    scale: float,
    dtype: Any = None,
    name: str | None = None,
    seed: Any = None,
) -> Variable:
    """A Variable initialised from a normal distribution."""
    return variable(random_normal(shape, mean, scale, dtype, seed), dtype, name)


def random_uniform_variable(
    shape: Any,
    low: float,
    high: float,
    dtype: Any = None,
    name: str | None = None,
    seed: Any = None,
) -> Variable:
    """A Variable initialised from a uniform distribution."""
    return variable(random_uniform(shape, low, high, dtype, seed), dtype, name)


def dropout(
    x: TensorLike, level: float, noise_shape: Any = None, seed: Any = None
) -> torch.Tensor:
    """Inverted dropout at rate `level`."""
    return lamina_random.dropout(x, level, noise_shape, seed)


# Losses and neural-network helpers.


def categorical_crossentropy(
    target: TensorLike, output: TensorLike, from_logits: bool = False, axis: int = -1
) -> torch.Tensor:
    """Categorical cross-entropy over `axis`."""
    return ops.categorical_crossentropy(target, output, from_logits, axis)


def sparse_categorical_crossentropy(
    target: TensorLike,
    output: TensorLike,
    from_logits: bool = False,
    axis: int = -1,
    ignore_class: int | None = None,
) -> torch.Tensor:
    """Cross-entropy for integer labels."""
    return ops.sparse_categorical_crossentropy(target, output, from_logits, axis)


def binary_crossentropy(
    target: TensorLike, output: TensorLike, from_logits: bool = False
) -> torch.Tensor:
    """Element-wise binary cross-entropy."""
    return ops.binary_crossentropy(target, output, from_logits)


def in_top_k(predictions: TensorLike, targets: TensorLike, k: int) -> torch.Tensor:
    """Whether each target is in the top `k` predictions."""
    return ops.in_top_k(targets, predictions, k)


def bias_add(
    x: TensorLike, bias: TensorLike, data_format: str | None = None
) -> torch.Tensor:
    """Adds `bias` along the channel axis."""
    x, bias = ops.convert_to_tensor(x), ops.convert_to_tensor(bias)
    if (data_format or image_data_format()) == "channels_first" and x.ndim > 2:
        return x + bias.reshape((1, -1) + (1,) * (x.ndim - 2))
    return x + bias


def batch_normalization(
    x: TensorLike,
    mean: TensorLike,
    var: TensorLike,
    beta: TensorLike,
    gamma: TensorLike,
    axis: int = -1,
    epsilon: float = 1e-3,
) -> torch.Tensor:
    """`(x - mean) / sqrt(var + epsilon) * gamma + beta`."""
    return ops.batch_normalization(x, mean, var, axis, beta, gamma, epsilon)


def conv1d(
    x: TensorLike,
    kernel: TensorLike,
    strides: int = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: int = 1,
) -> torch.Tensor:
    """1-D convolution."""
    return ops.conv(x, kernel, strides, padding, data_format, dilation_rate)


def conv2d(
    x: TensorLike,
    kernel: TensorLike,
    strides: Any = (1, 1),
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = (1, 1),
) -> torch.Tensor:
    """2-D convolution."""
    return ops.conv(x, kernel, strides, padding, data_format, dilation_rate)


def conv3d(
    x: TensorLike,
    kernel: TensorLike,
    strides: Any = (1, 1, 1),
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = (1, 1, 1),
) -> torch.Tensor:
    """3-D convolution."""
    return ops.conv(x, kernel, strides, padding, data_format, dilation_rate)


def pool2d(
    x: TensorLike,
    pool_size: Any,
    strides: Any = (1, 1),
    padding: str = "valid",
    data_format: str | None = None,
    pool_mode: str = "max",
) -> torch.Tensor:
    """2-D max or average pooling (`pool_mode="max"` or `"avg"`)."""
    pool = ops.max_pool if pool_mode == "max" else ops.average_pool
    return pool(x, pool_size, strides, padding, data_format)


def resize_images(
    x: TensorLike,
    height_factor: int,
    width_factor: int,
    data_format: str,
    interpolation: str = "nearest",
) -> torch.Tensor:
    """Upsamples images by integer factors."""
    x = ops.convert_to_tensor(x)
    axes = (1, 2) if data_format == "channels_last" else (2, 3)
    size = (x.shape[axes[0]] * height_factor, x.shape[axes[1]] * width_factor)
    if interpolation == "nearest":
        x = torch.repeat_interleave(x, height_factor, dim=axes[0])
        return torch.repeat_interleave(x, width_factor, dim=axes[1])
    return ops.image.resize(
        x, size, interpolation=interpolation, data_format=data_format
    )


def temporal_padding(x: TensorLike, padding: tuple[int, int] = (1, 1)) -> torch.Tensor:
    """Zero-pads axis 1 of a 3-D tensor."""
    return ops.pad(x, [(0, 0), tuple(padding), (0, 0)])


def spatial_2d_padding(
    x: TensorLike, padding: Any = ((1, 1), (1, 1)), data_format: str | None = None
) -> torch.Tensor:
    """Zero-pads the two spatial axes of a 4-D tensor."""
    pads = [tuple(p) for p in padding]
    if (data_format or image_data_format()) == "channels_first":
        return ops.pad(x, [(0, 0), (0, 0), *pads])
    return ops.pad(x, [(0, 0), *pads, (0, 0)])


def ctc_batch_cost(
    y_true: TensorLike,
    y_pred: TensorLike,
    input_length: TensorLike,
    label_length: TensorLike,
) -> torch.Tensor:
    """CTC loss per sample, `(batch, 1)`, from softmax outputs `y_pred`."""
    y_pred = ops.convert_to_tensor(y_pred)
    log_pred = torch.log(y_pred.clamp_min(epsilon()))
    label_length = ops.convert_to_tensor(label_length).reshape(-1)
    input_length = ops.convert_to_tensor(input_length).reshape(-1)
    # Keras 2 uses the last class as the blank.
    loss = ops.ctc_loss(
        y_true, log_pred, label_length, input_length, mask_index=y_pred.shape[-1] - 1
    )
    return loss.unsqueeze(1)


def ctc_decode(
    y_pred: TensorLike,
    input_length: TensorLike,
    greedy: bool = True,
    beam_width: int = 100,
    top_paths: int = 1,
) -> tuple[list, torch.Tensor]:
    """Decodes softmax outputs; returns `([paths, ...], log_probabilities)`."""
    y_pred = ops.convert_to_tensor(y_pred)
    paths, scores = ops.ctc_decode(
        torch.log(y_pred.clamp_min(epsilon())),
        input_length,
        strategy="greedy" if greedy else "beam_search",
        beam_width=beam_width,
        top_paths=top_paths,
        mask_index=y_pred.shape[-1] - 1,
    )
    return list(paths), scores


# Control flow and gradients.


def map_fn(
    fn: Callable, elems: Any, name: str | None = None, dtype: Any = None
) -> torch.Tensor:
    """Applies `fn` to each slice of `elems` along axis 0 and stacks."""
    return ops.map(fn, elems)


def foldl(
    fn: Callable, elems: TensorLike, initializer: Any = None, name: str | None = None
) -> Any:
    """Reduces `elems` left to right with `fn(accumulator, element)`."""
    elems = ops.convert_to_tensor(elems)
    items = list(elems)
    accumulator = items.pop(0) if initializer is None else initializer
    for item in items:
        accumulator = fn(accumulator, item)
    return accumulator


def foldr(
    fn: Callable, elems: TensorLike, initializer: Any = None, name: str | None = None
) -> Any:
    """Reduces `elems` right to left with `fn(accumulator, element)`."""
    return foldl(fn, ops.flip(ops.convert_to_tensor(elems), 0), initializer)


def name_scope(name: str) -> Any:
    """A no-op context manager kept for Keras 2 code."""
    return contextlib.nullcontext(name)


# The tensor functions above also take KerasTensors, recording a graph node
# (as tf.keras did), so `K.batch_flatten(layer.output)` builds a model.
for _name in (
    "argmax argmin batch_dot batch_flatten batch_normalization bias_add "
    "binary_crossentropy cast_to_floatx categorical_crossentropy clip "
    "concatenate conv1d conv2d conv3d cumprod cumsum dot dropout expand_dims "
    "flatten gather in_top_k l2_normalize one_hot permute_dimensions pool2d pow "
    "relu repeat repeat_elements reshape resize_images reverse round shape "
    "softmax sparse_categorical_crossentropy spatial_2d_padding squeeze switch "
    "temporal_padding tile to_dense transpose"
).split():
    globals()[_name] = symbolic_aware(globals()[_name])
