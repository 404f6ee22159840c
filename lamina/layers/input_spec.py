"""`InputSpec`: the rank, dtype and shape a layer accepts, checked on each call."""

from typing import Any

from lamina.backend.config import dtype_name
from lamina.backend.config import standardize_dtype
from lamina.utils import tree


class InputSpec:
    """Describes the inputs a layer accepts; `Layer.__call__` checks them.

    Set `self.input_spec` in a layer's `__init__` or `build` to one spec, or
    a list (or other structure) of specs, one per input tensor. A call whose
    first argument does not match raises a `ValueError` naming the layer.
    `None` in a shape matches any size.

    Args:
        dtype: Expected dtype name, e.g. `"float32"`.
        shape: Expected shape, batch axis included (`None` for any size).
            Implies `ndim`.
        ndim: Expected rank.
        max_ndim: Largest rank accepted.
        min_ndim: Smallest rank accepted.
        axes: Dict mapping axes (negative counts from the end) to the size
            they must have, e.g. `{-1: 8}`.
        allow_last_axis_squeeze: Whether a last axis of size 1 may be added
            or dropped, on either side, when comparing `shape`. Defaults to
            `False`.
        name: Key of this input when the data is passed as a dict.
        optional: Whether the input may be `None`. Defaults to `False`.

    Example:
    >>> import torch
    >>> spec = InputSpec(min_ndim=2, axes={-1: 3})
    >>> spec
    InputSpec(min_ndim=2, axes={-1: 3})
    >>> x = torch.ones(4, 5)
    >>> assert_input_compatibility(spec, x, "dense", "Dense")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Input 0 of layer 'dense' (Dense) is incompatible ... shape (4, 5)...
    """

    def __init__(
        self,
        dtype: Any = None,
        shape: tuple[int | None, ...] | None = None,
        ndim: int | None = None,
        max_ndim: int | None = None,
        min_ndim: int | None = None,
        axes: dict[int, int | None] | None = None,
        allow_last_axis_squeeze: bool = False,
        name: str | None = None,
        optional: bool = False,
    ) -> None:
        self.dtype = None if dtype is None else dtype_name(standardize_dtype(dtype))
        self.shape = None if shape is None else _standardize_shape(shape)
        self.ndim = ndim if shape is None else len(self.shape)
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = _standardize_axes(axes)
        self._check_axes_fit_rank()

    def _check_axes_fit_rank(self) -> None:
        highest_rank = self.ndim or self.max_ndim
        if not self.axes or highest_rank is None:
            return
        if max(self.axes) > highest_rank - 1:
            raise ValueError(
                f"InputSpec received axes={self.axes}, but axis {max(self.axes)} "
                f"does not exist in inputs of rank at most {highest_rank}. Use "
                f"axes below {highest_rank}, or negative axes counted from the end."
            )

    def __repr__(self) -> str:
        parts = [
            f"dtype={self.dtype}" if self.dtype else "",
            f"shape={self.shape}" if self.shape else "",
            f"ndim={self.ndim}" if self.ndim else "",
            f"max_ndim={self.max_ndim}" if self.max_ndim else "",
            f"min_ndim={self.min_ndim}" if self.min_ndim else "",
            f"axes={self.axes}" if self.axes else "",
        ]
        return f"InputSpec({', '.join(part for part in parts if part)})"

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments Keras serialises (not `name`)."""
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
            "optional": self.optional,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "InputSpec":
        """Creates a spec from the dict `get_config()` returned."""
        return cls(**config)


def _standardize_shape(shape: Any) -> tuple[int | None, ...]:
    try:
        dims = tuple(shape)
    except TypeError as err:
        raise TypeError(
            f"InputSpec expected shape to be a tuple such as (None, 28, 28), "
            f"but received shape={shape!r}."
        ) from err
    return tuple(None if dim is None else int(dim) for dim in dims)


def _standardize_axes(axes: Any) -> dict[int, int | None]:
    axes = axes or {}
    try:
        return {int(axis): axes[axis] for axis in axes}
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"InputSpec expected axes to be a dict with integer keys such as "
            f"{{-1: 8}}, but received axes={axes!r}."
        ) from err


def assert_input_compatibility(
    input_spec: Any, inputs: Any, layer_name: str, class_name: str | None = None
) -> None:
    """Raises `ValueError` unless `inputs` match `input_spec` (Keras's rules).

    Args:
        input_spec: An `InputSpec`, a structure of them, or `None`.
        inputs: The layer's first call argument: a tensor or a structure.
        layer_name: Name of the layer, for the error message.
        class_name: Class of the layer, for the error message.
    """
    if not input_spec:
        return
    layer_name = f"'{layer_name}'" + (f" ({class_name})" if class_name else "")
    specs = tree.flatten(input_spec)
    flat_inputs = tree.flatten(_order_named_inputs(specs, inputs, layer_name))
    if len(flat_inputs) != len(specs):
        raise ValueError(
            f"Layer {layer_name} expects {len(specs)} input(s), but it received "
            f"{len(flat_inputs)} input tensors. Pass one tensor per input"
            f"{_named_hint(specs)}."
        )
    for index, (value, spec) in enumerate(zip(flat_inputs, specs, strict=True)):
        if spec is None or (value is None and spec.optional):
            continue
        _check_one_input(spec, value, f"Input {index} of layer {layer_name}")


def _order_named_inputs(specs: list[Any], inputs: Any, layer_name: str) -> Any:
    """A dict of inputs in the order of the specs' names, when all are named."""
    names = [getattr(spec, "name", None) for spec in specs]
    if not isinstance(inputs, dict) or not all(names):
        return inputs
    missing = [name for name in names if name not in inputs]
    if missing:
        raise ValueError(
            f"Layer {layer_name} expects inputs named {names}, but the data "
            f"dict has keys {list(inputs)}: {missing} missing. Pass a dict with "
            f"those keys."
        )
    return [inputs[name] for name in names]


def _named_hint(specs: list[Any]) -> str:
    names = [getattr(spec, "name", None) for spec in specs]
    if not all(names):
        return ""
    return ", e.g. as a dict {" + ", ".join(f"'{name}': ..." for name in names) + "}"


def _check_one_input(spec: InputSpec, value: Any, where: str) -> None:
    if not hasattr(value, "shape"):
        raise ValueError(
            f"{where} is incompatible with the layer: inputs to a layer should "
            f"be tensors, but received {value!r} of type {type(value).__name__}. "
            f"Pass a tensor or an array."
        )
    shape = tuple(None if dim is None else int(dim) for dim in value.shape)
    _check_rank(spec, shape, where)
    if spec.dtype is not None:
        dtype = dtype_name(standardize_dtype(value.dtype))
        if dtype != spec.dtype:
            raise ValueError(
                f"{where} is incompatible with the layer: expected "
                f"dtype={spec.dtype}, found dtype={dtype}. Cast the input to "
                f"{spec.dtype}."
            )
    for axis, size in spec.axes.items():
        if size is not None and shape[axis] not in (size, None):
            raise ValueError(
                f"{where} is incompatible with the layer: expected axis {axis} "
                f"of input shape to have value {size}, but received input with "
                f"shape {shape}. Pass data whose axis {axis} has size {size}."
            )
    if spec.shape is not None:
        _check_shape(spec, shape, where)


def _check_rank(spec: InputSpec, shape: tuple[int | None, ...], where: str) -> None:
    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze:
        if ndim != spec.ndim:
            raise ValueError(
                f"{where} is incompatible with the layer: expected "
                f"ndim={spec.ndim}, found ndim={ndim}. Full shape received: "
                f"{shape}. Reshape the input to rank {spec.ndim}."
            )
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(
            f"{where} is incompatible with the layer: expected "
            f"max_ndim={spec.max_ndim}, found ndim={ndim}. Full shape received: "
            f"{shape}. Reshape the input to at most {spec.max_ndim} axes."
        )
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(
            f"{where} is incompatible with the layer: expected "
            f"min_ndim={spec.min_ndim}, found ndim={ndim}. Full shape received: "
            f"{shape}. Add axes so the input has at least {spec.min_ndim}."
        )


def _check_shape(spec: InputSpec, shape: tuple[int | None, ...], where: str) -> None:
    expected = spec.shape
    if spec.allow_last_axis_squeeze:
        if shape and shape[-1] == 1:
            shape = shape[:-1]
        if expected and expected[-1] == 1:
            expected = expected[:-1]
    for expected_dim, dim in zip(expected, shape, strict=False):
        if expected_dim is not None and dim is not None and expected_dim != dim:
            raise ValueError(
                f"{where} is incompatible with the layer: expected "
                f"shape={spec.shape}, found shape={shape}. Reshape the data to "
                f"{spec.shape}."
            )
