"""`DTypePolicy`: the compute and variable dtypes of a layer."""

from typing import Any

import numpy as np
import torch

from lamina.backend.config import dtype_name
from lamina.backend.config import standardize_dtype

# The two policies whose compute dtype differs from their variable dtype.
MIXED_POLICIES = {
    "mixed_float16": ("float16", "float32"),
    "mixed_bfloat16": ("bfloat16", "float32"),
}


class DTypePolicy:
    """The dtypes a layer computes in and keeps its weights in.

    A layer's policy decides two dtypes: `compute_dtype`, which its inputs
    are cast to and its outputs come out in, and `variable_dtype`, which its
    weights are created in. A plain dtype name such as `"float32"` sets
    both. `"mixed_float16"` and `"mixed_bfloat16"` compute in float16 or
    bfloat16 (under `torch.autocast`) while the weights stay float32, which
    is mixed precision training. Passing a policy name as a layer's `dtype=`
    is the same as passing the policy; `set_dtype_policy` picks the one
    layers get when they are given none.

    Args:
        name: The policy name: `"mixed_float16"`, `"mixed_bfloat16"` or a
            dtype name such as `"float32"`. Defaults to the global policy's
            name (`lamina.config.dtype_policy()`).

    Example:
    >>> policy = DTypePolicy("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
    >>> policy
    <DTypePolicy "mixed_float16">
    """

    def __init__(self, name: str | None = None) -> None:
        if name is None:
            from lamina.backend.config import dtype_policy

            name = dtype_policy().name
        self._compute_dtype, self._variable_dtype = _parse_name(name)
        self._name = name
        self._quantization_mode = None

    @property
    def name(self) -> str:
        """The policy's name, e.g. `"mixed_float16"`."""
        return self._name

    @property
    def compute_dtype(self) -> str:
        """The dtype of the layer's inputs, computations and outputs."""
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype the layer creates its weights in."""
        return self._variable_dtype

    @property
    def quantization_mode(self) -> None:
        """Always `None`: lamina has no quantized policies."""
        return self._quantization_mode

    def convert_input(self, x: Any, autocast: bool, dtype: Any) -> Any:
        """Returns `x` as a tensor, its floats cast to `dtype` if `autocast`.

        Arrays become tensors; integer and boolean values keep their dtype;
        anything that is neither tensor nor array is returned unchanged.

        Example:
        >>> DTypePolicy("float16").convert_input(np.ones(2), True, "float16").dtype
        torch.float16
        """
        if not isinstance(x, torch.Tensor):
            if not hasattr(x, "__array__"):
                return x
            x = torch.as_tensor(np.asarray(x))
        dtype = standardize_dtype(dtype)
        if autocast and x.is_floating_point() and x.dtype != dtype:
            return x.to(dtype)
        return x

    def get_config(self) -> dict[str, Any]:
        """Returns `{"name": ...}`, the constructor argument."""
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "DTypePolicy":
        """Rebuilds a policy from `get_config()`'s dict."""
        return cls(**config)

    def __repr__(self) -> str:
        class_name = type(self).__name__
        if class_name == "FloatDTypePolicy":  # an alias: it prints as Keras's
            class_name = "DTypePolicy"
        return f'<{class_name} "{self._name}">'

    def __eq__(self, other: object) -> bool:
        plain = (DTypePolicy, FloatDTypePolicy)
        if type(self) in plain:
            if type(other) not in plain:
                return False
        elif type(other) is not type(self):
            return False
        return self._name == other._name

    # Policies compare by name, as in Keras, and like Keras's are unhashable.
    __hash__ = None  # type: ignore[assignment]


class FloatDTypePolicy(DTypePolicy):
    """Keras's other name for `DTypePolicy`; it behaves the same.

    Example:
    >>> FloatDTypePolicy("float16") == DTypePolicy("float16")
    True
    """


def _parse_name(name: Any) -> tuple[str, str]:
    """The `(compute_dtype, variable_dtype)` names of a policy name."""
    if not isinstance(name, str):
        raise TypeError(
            f"DTypePolicy expected name to be a string such as 'mixed_float16' "
            f"or 'float32', but received name={name!r} of type "
            f"{type(name).__name__}. Pass the policy's name."
        )
    if name in MIXED_POLICIES:
        return MIXED_POLICIES[name]
    try:
        return (dtype_name(standardize_dtype(name)),) * 2
    except ValueError:
        raise ValueError(
            f"DTypePolicy received name={name!r}, which is neither a mixed "
            f"precision policy nor a dtype. Pass 'mixed_float16', "
            f"'mixed_bfloat16', or a dtype name such as 'float32' or "
            f"'bfloat16'."
        ) from None
