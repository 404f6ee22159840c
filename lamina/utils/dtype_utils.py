"""`standardize_dtype`: Keras's canonical dtype name for any dtype spelling."""

from typing import Any

import numpy as np

from lamina.backend.config import dtype_name
from lamina.backend.config import floatx
from lamina.backend.config import standardize_dtype as to_torch_dtype

# Python types map as Keras maps them on its torch backend.
_PYTHON_TYPES = {bool: "bool", int: "int32", float: "float32", str: "string"}


def standardize_dtype(dtype: Any) -> str:
    """Returns the Keras name (`"float32"`, `"int64"`, ...) of a dtype.

    Accepts a name, a NumPy dtype or type, a torch dtype, a Python type or
    `None` (meaning `floatx()`). `lamina.backend.standardize_dtype` gives the
    torch dtype instead.

    Args:
        dtype: The dtype in any spelling.

    Returns:
        The dtype's name as a string.

    Example:
    >>> import torch
    >>> standardize_dtype(torch.float16), standardize_dtype(np.int32)
    ('float16', 'int32')
    """
    if dtype is None:
        return floatx()
    if dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]
    if dtype == "string":
        return "string"
    if isinstance(dtype, type) and issubclass(dtype, np.generic):
        dtype = np.dtype(dtype)
    if isinstance(dtype, np.dtype):
        dtype = dtype.name
    try:
        return dtype_name(to_torch_dtype(dtype))
    except (TypeError, ValueError, KeyError) as err:
        raise ValueError(
            f"standardize_dtype received dtype={dtype!r}, which is not a dtype. "
            f"Pass a name such as 'float32', a NumPy or a torch dtype."
        ) from err
