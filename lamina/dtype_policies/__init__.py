"""Dtype policies: the compute and variable dtypes of layers (`keras.dtype_policies`).

Example:
>>> from lamina import dtype_policies
>>> dtype_policies.get("mixed_float16").variable_dtype
'float32'
"""

from lamina.dtype_policies._serialization import deserialize
from lamina.dtype_policies._serialization import get
from lamina.dtype_policies._serialization import serialize
from lamina.dtype_policies.dtype_policy import DTypePolicy
from lamina.dtype_policies.dtype_policy import FloatDTypePolicy

__all__ = [
    "DTypePolicy",
    "FloatDTypePolicy",
    "deserialize",
    "get",
    "serialize",
]
