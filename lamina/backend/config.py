"""Global settings: float type, dtype policy, fuzz factor, image layout, limits.

These are the functions of `keras.config` (re-exported by `lamina.config`).
"""

import os
from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:
    from lamina.dtype_policies.dtype_policy import DTypePolicy

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_DATA_FORMATS = ("channels_last", "channels_first")
_FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
# The policy `set_dtype_policy` chose; `None` means "floatx()'s dtype".
_DTYPE_POLICY: "DTypePolicy | None" = None
# Flags Keras keeps globally; `None` for flash attention means "when possible".
_FLAGS: dict[str, bool | None] = {"traceback_filtering": True, "flash_attention": None}


def _limit_from_environment(variable: str) -> int | None:
    value = os.environ.get(variable)
    return None if value is None else int(value)


# Debugging caps on every `fit`, from the environment variables Keras reads.
_RUN_LIMITS: dict[str, int | None] = {
    "max_epochs": _limit_from_environment("KERAS_MAX_EPOCHS"),
    "max_steps_per_epoch": _limit_from_environment("KERAS_MAX_STEPS_PER_EPOCH"),
}


def floatx() -> str:
    """Returns the default float type as a string.

    Example:
    >>> floatx()
    'float32'
    """
    return _FLOATX


def set_floatx(value: str) -> None:
    """Sets the default float type (`"float16"`, `"bfloat16"`, `"float32"`, ...)."""
    global _FLOATX
    if value not in _FLOAT_TYPES:
        raise ValueError(
            f"set_floatx expected one of {_FLOAT_TYPES}, but received {value!r}. "
            f"Pass one of those names."
        )
    _FLOATX = value


def dtype_policy() -> "DTypePolicy":
    """Returns the dtype policy layers get when they are given no `dtype`.

    That is the policy last passed to `set_dtype_policy`, else the policy of
    `floatx()` (so `set_floatx` still changes the default until a policy is
    set).

    Example:
    >>> dtype_policy()
    <DTypePolicy "float32">
    """
    from lamina.dtype_policies.dtype_policy import DTypePolicy

    if _DTYPE_POLICY is not None:
        return _DTYPE_POLICY
    return DTypePolicy(_FLOATX)


def set_dtype_policy(policy: "str | DTypePolicy | None") -> None:
    """Sets the dtype policy of the layers created from now on.

    Args:
        policy: A policy name (`"mixed_float16"`, `"mixed_bfloat16"`,
            `"float32"`, ...) or a `DTypePolicy`. `None` (which Keras does
            not accept) goes back to the default: the policy of `floatx()`.

    Example:
    >>> set_dtype_policy("mixed_bfloat16"); dtype_policy().compute_dtype
    'bfloat16'
    >>> set_dtype_policy(None); dtype_policy()
    <DTypePolicy "float32">
    """
    from lamina.dtype_policies import get
    from lamina.dtype_policies.dtype_policy import DTypePolicy

    global _DTYPE_POLICY
    if policy is not None and not isinstance(policy, (str, DTypePolicy)):
        raise ValueError(
            f"set_dtype_policy expected a policy name such as 'mixed_float16' "
            f"or a DTypePolicy, but received policy={policy!r} of type "
            f"{type(policy).__name__}. Pass e.g. 'mixed_float16', or None for "
            f"the default policy."
        )
    _DTYPE_POLICY = None if policy is None else get(policy)


def epsilon() -> float:
    """Returns the fuzz factor used to avoid division by zero.

    Example:
    >>> epsilon()
    1e-07
    """
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor returned by `epsilon()`."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """Returns the default image layout, `"channels_last"` or `"channels_first"`.

    Example:
    >>> image_data_format()
    'channels_last'
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Sets the default image layout for convolution and pooling layers."""
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in _DATA_FORMATS:
        raise ValueError(
            f"set_image_data_format expected one of {_DATA_FORMATS}, "
            f"but received {data_format!r}."
        )
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format: str | None) -> str:
    """Returns `data_format`, or the global default when it is `None`."""
    if data_format is None:
        return image_data_format()
    if data_format not in _DATA_FORMATS:
        raise ValueError(
            f"data_format expected one of {_DATA_FORMATS}, but received "
            f"{data_format!r}."
        )
    return data_format


def backend() -> str:
    """Returns the name of the tensor engine, always `"torch"`."""
    return "torch"


def set_backend(backend: str) -> None:
    """Accepts `"torch"`, the only engine lamina runs on.

    Keras reloads itself on another backend; lamina is PyTorch throughout,
    so any other name is refused.

    Example:
    >>> set_backend("torch")
    """
    if backend != "torch":
        raise ValueError(
            f"set_backend received backend={backend!r}, but lamina runs only on "
            f"PyTorch. Pass 'torch', or use Keras itself for the "
            f"{backend!r} backend."
        )


def is_nnx_enabled() -> bool:
    """Always `False`: Flax NNX is a feature of Keras's JAX backend.

    Example:
    >>> is_nnx_enabled()
    False
    """
    return False


def enable_traceback_filtering() -> None:
    """Records that tracebacks should be filtered (Keras's default).

    lamina raises its errors at the layer boundary with their context, so
    there are no internal frames to hide; the flag is kept for Keras code.

    Example:
    >>> enable_traceback_filtering(); is_traceback_filtering_enabled()
    True
    """
    _FLAGS["traceback_filtering"] = True


def disable_traceback_filtering() -> None:
    """Records that tracebacks should be shown unfiltered.

    Example:
    >>> disable_traceback_filtering(); is_traceback_filtering_enabled()
    False
    >>> enable_traceback_filtering()
    """
    _FLAGS["traceback_filtering"] = False


def is_traceback_filtering_enabled() -> bool:
    """Whether traceback filtering is on. Defaults to `True`, as in Keras.

    Example:
    >>> is_traceback_filtering_enabled()
    True
    """
    return bool(_FLAGS["traceback_filtering"])


def enable_flash_attention() -> None:
    """Lets attention use a flash kernel where the inputs allow (the default).

    As in Keras, this resets the flag to `None`, meaning "when possible".
    lamina's `ops.dot_product_attention` does not use a flash kernel yet, so
    the flag only records the choice for Keras code that reads it.

    Example:
    >>> enable_flash_attention(); is_flash_attention_enabled() is None
    True
    """
    _FLAGS["flash_attention"] = None


def disable_flash_attention() -> None:
    """Records that attention must not use a flash kernel.

    Example:
    >>> disable_flash_attention(); is_flash_attention_enabled()
    False
    >>> enable_flash_attention()
    """
    _FLAGS["flash_attention"] = False


def is_flash_attention_enabled() -> bool | None:
    """`False` once disabled; `None` (use when possible) otherwise, as in Keras.

    Example:
    >>> is_flash_attention_enabled() is None
    True
    """
    return _FLAGS["flash_attention"]


def max_epochs() -> int | None:
    """The cap on epochs of every `fit`, or `None` for no cap.

    Set with `set_max_epochs` or the `KERAS_MAX_EPOCHS` environment variable.

    Example:
    >>> max_epochs() is None
    True
    """
    return _RUN_LIMITS["max_epochs"]


def set_max_epochs(max_epochs: int | None) -> None:
    """Caps the epochs of every later `fit` (a debugging aid), or lifts the cap.

    Args:
        max_epochs: The most epochs any `fit` runs, or `None` for no cap.

    Example:
    >>> set_max_epochs(2); max_epochs()
    2
    >>> set_max_epochs(None)
    """
    _RUN_LIMITS["max_epochs"] = _check_limit("max_epochs", max_epochs)


def max_steps_per_epoch() -> int | None:
    """The cap on batches per epoch of `fit`, `evaluate` and `predict`, or `None`.

    Set with `set_max_steps_per_epoch` or the `KERAS_MAX_STEPS_PER_EPOCH`
    environment variable.

    Example:
    >>> max_steps_per_epoch() is None
    True
    """
    return _RUN_LIMITS["max_steps_per_epoch"]


def set_max_steps_per_epoch(max_steps_per_epoch: int | None) -> None:
    """Caps the batches of each `fit` epoch, `evaluate` and `predict`, or lifts it.

    Args:
        max_steps_per_epoch: The most batches per epoch, or `None` for no cap.

    Example:
    >>> set_max_steps_per_epoch(5); max_steps_per_epoch()
    5
    >>> set_max_steps_per_epoch(None)
    """
    _RUN_LIMITS["max_steps_per_epoch"] = _check_limit(
        "max_steps_per_epoch", max_steps_per_epoch
    )


def _check_limit(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"set_{name} expected a positive integer or None, but received "
            f"{name}={value!r}. Pass e.g. {name}=2, or None to remove the cap."
        )
    return value


def standardize_dtype(dtype: str | torch.dtype | None) -> torch.dtype:
    """Turns a dtype name or torch dtype into a torch dtype (`None` -> floatx).

    Example:
    >>> standardize_dtype("float16")
    torch.float16
    """
    if dtype is None:
        dtype = _FLOATX
    if isinstance(dtype, torch.dtype):
        return dtype
    name = getattr(dtype, "name", dtype)  # numpy dtypes carry a name
    resolved = getattr(torch, str(name), None)
    if not isinstance(resolved, torch.dtype):
        raise ValueError(
            f"Unknown dtype {dtype!r}. Expected a name such as 'float32', "
            f"'int64' or 'bool', or a torch.dtype."
        )
    return resolved


def dtype_name(dtype: torch.dtype) -> str:
    """Returns Keras's name for a torch dtype, e.g. `"float32"`.

    Example:
    >>> dtype_name(torch.int64)
    'int64'
    """
    return str(dtype).removeprefix("torch.")
