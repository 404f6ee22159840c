"""Global numeric settings: float type, fuzz factor and image data format."""

import torch

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_DATA_FORMATS = ("channels_last", "channels_first")
_FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")


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
