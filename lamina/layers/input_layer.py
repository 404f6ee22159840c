"""`Input` and `InputLayer`: where a functional or Sequential model begins."""

from typing import Any

from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.node import Node


class InputLayer(Layer):
    """The entry point of a model: holds the shape of one batch of inputs.

    Args:
        shape: Shape of one sample, without the batch axis.
        batch_size: Fixed batch size, or `None`.
        dtype: Dtype of the inputs. Defaults to `floatx()`.
        sparse: Accepted for Keras compatibility; must be falsy.
        ragged: Accepted for Keras compatibility; must be falsy.
        batch_shape: Full shape including the batch axis (instead of `shape`).
        input_tensor: Accepted for Keras compatibility; must be `None`.
        optional: Whether the input may be `None`. Defaults to `False`.
        name: Layer name.

    Example:
    >>> InputLayer(shape=(3,)).output.shape
    (None, 3)
    """

    def __init__(
        self,
        shape: tuple[int | None, ...] | None = None,
        batch_size: int | None = None,
        dtype: Any = None,
        sparse: bool | None = None,
        ragged: bool | None = None,
        batch_shape: tuple[int | None, ...] | None = None,
        input_tensor: Any = None,
        optional: bool = False,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        batch_shape = _resolve_batch_shape(shape, batch_size, batch_shape, kwargs)
        if sparse:
            raise ValueError(
                f"InputLayer received sparse={sparse!r}, but lamina has no sparse "
                f"tensors. Pass dense arrays and sparse=False."
            )
        if ragged:
            raise ValueError(
                f"InputLayer received ragged={ragged!r}, but lamina has no ragged "
                f"tensors. Pad the sequences to one length (e.g. with "
                f"lamina.preprocessing.sequence.pad_sequences) and pass "
                f"ragged=False."
            )
        if input_tensor is not None:
            raise ValueError(
                "InputLayer received an input_tensor; lamina models start from "
                "shapes. Pass shape=... instead."
            )
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.batch_shape = batch_shape
        self.optional = optional
        self.built = True
        tensor = KerasTensor(batch_shape, dtype, name=self.name)
        Node(self, [], tensor, (), {})
        self._output_tensor = tensor

    def call(self, inputs: Any) -> Any:
        return inputs

    def get_config(self) -> dict[str, Any]:
        return {
            "batch_shape": list(self.batch_shape),
            "dtype": self.dtype,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }


def Input(  # noqa: N802 -- Keras's public name is capitalised
    shape: tuple[int | None, ...] | None = None,
    batch_size: int | None = None,
    dtype: Any = None,
    sparse: bool | None = None,
    ragged: bool | None = None,
    batch_shape: tuple[int | None, ...] | None = None,
    name: str | None = None,
    tensor: Any = None,
    optional: bool = False,
) -> KerasTensor:
    """Creates a symbolic input for the functional API.

    Args:
        shape: Shape of one sample, without the batch axis, e.g. `(784,)`.
        batch_size: Fixed batch size, or `None`.
        dtype: Dtype of the input. Defaults to `floatx()`.
        sparse: Must be falsy (no sparse tensors in lamina).
        ragged: Must be falsy (no ragged tensors in lamina).
        batch_shape: Full shape including the batch axis (instead of `shape`).
        name: Name of the input layer.
        tensor: Must be `None`.
        optional: Whether the input may be `None`.

    Returns:
        A `KerasTensor` to call layers on.

    Example:
    >>> Input(shape=(28, 28)).shape
    (None, 28, 28)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
        batch_shape=batch_shape,
        input_tensor=tensor,
        optional=optional,
        name=name,
    )
    return layer._output_tensor


def _resolve_batch_shape(
    shape: Any, batch_size: Any, batch_shape: Any, kwargs: dict
) -> tuple[int | None, ...]:
    legacy_shape = kwargs.pop("input_shape", None)
    legacy_batch = kwargs.pop("batch_input_shape", None)
    shape = shape if shape is not None else legacy_shape
    batch_shape = batch_shape if batch_shape is not None else legacy_batch
    if shape is not None and batch_shape is not None:
        raise ValueError(
            f"InputLayer received both shape={shape} and batch_shape={batch_shape}. "
            f"Pass only one of them."
        )
    if batch_shape is not None:
        return tuple(batch_shape)
    if shape is None:
        raise ValueError(
            "InputLayer needs a shape. Pass shape=(...) for one sample, "
            "e.g. Input(shape=(784,))."
        )
    if isinstance(shape, int):
        shape = (shape,)
    return (batch_size, *tuple(shape))
