"""`Sequential`: a plain stack of layers, each feeding the next."""

from typing import Any

import torch

from lamina.backend.name_scope import name_scope
from lamina.layers.input_layer import InputLayer
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.layer import shapes_compatible
from lamina.models.functional import adjust_input_rank
from lamina.models.model import Model
from lamina.trainers.trainer import Trainer


class Sequential(Model):
    """A model that is a linear stack of layers.

    The first layer may declare the input shape (`input_shape=(784,)` or an
    `InputLayer`/`lamina.Input`); then the model is built at once, and
    `summary()` works before any data is seen. Otherwise it builds on the
    first batch.

    Args:
        layers: Layers to add, in order. Plain `torch.nn.Module`s are wrapped.
        trainable: Whether the model's weights are trained. Defaults to `True`.
        name: Model name.

    Example:
    >>> import lamina
    >>> model = lamina.Sequential([
    ...     lamina.layers.Dense(8, activation="relu", input_shape=(4,)),
    ...     lamina.layers.Dense(1),
    ... ])
    >>> model.output_shape
    (None, 1)
    """

    def __init__(
        self,
        layers: list[Any] | None = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        Layer.__init__(self, trainable=trainable, name=name, **kwargs)
        Trainer.__init__(self)
        self._stack = torch.nn.ModuleList()
        self._input_spec: KerasTensor | None = None
        self._output_spec: Any = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Appends a layer (or a `lamina.Input` tensor) to the stack."""
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        layer = _as_layer(layer, self.name)
        if isinstance(layer, InputLayer):
            if self._stack or self._input_spec is not None:
                raise ValueError(
                    f"Sequential model '{self.name}' already has layers or an "
                    f"input; an InputLayer can only come first."
                )
            self._input_spec = layer._output_tensor
            return
        if any(existing is layer for existing in self._stack):
            raise ValueError(
                f"Layer '{layer.name}' is already in Sequential model "
                f"'{self.name}'. Each layer may appear once; create a new one."
            )
        if not self._stack and self._input_spec is None:
            self._input_spec = _declared_input(layer)
        self._stack.append(layer)
        if rebuild:
            self._rebuild()

    def pop(self, rebuild: bool = True) -> Layer:
        """Removes and returns the last layer."""
        if not self._stack:
            raise TypeError(f"Sequential model '{self.name}' has no layers to pop.")
        layer = self._stack[-1]
        del self._stack[-1]
        if rebuild:
            self._rebuild()
        return layer

    @property
    def layers(self) -> list[Layer]:
        return list(self._stack)

    def _rebuild(self) -> None:
        """Runs the stack on the declared input symbolically, building it."""
        self._output_spec = None
        if self._input_spec is None or not self._stack:
            return
        tensor = self._input_spec
        with name_scope(self.name, caller=self):  # paths `sequential/dense/...`
            for layer in self._stack:
                tensor = layer(tensor)
        self._output_spec = tensor
        self.built = True
        self._build_shapes = self._input_spec.shape

    def build(self, input_shape: Any = None) -> None:
        """Builds the stack for inputs of `input_shape` (batch axis included)."""
        if input_shape is None and self._input_spec is None:
            raise ValueError(
                f"Sequential model '{self.name}' cannot be built without an "
                f"input shape. Pass build(input_shape=(None, ...)) or give the "
                f"first layer input_shape=(...)."
            )
        if self._input_spec is None:
            self._input_spec = InputLayer(batch_shape=tuple(input_shape))._output_tensor
        self._rebuild()
        self.built = True

    @property
    def inputs(self) -> list[KerasTensor]:
        return [] if self._input_spec is None else [self._input_spec]

    @property
    def outputs(self) -> list[Any]:
        return [] if self._output_spec is None else [self._output_spec]

    @property
    def input(self) -> KerasTensor:
        """The symbolic input, as in `K.function([model.input], ...)`."""
        self._require_built("input")
        return self._input_spec

    @property
    def output(self) -> Any:
        """The symbolic output of the last layer."""
        self._require_built("output")
        return self._output_spec

    @property
    def input_shape(self) -> Any:
        self._require_built("input_shape")
        return self._input_spec.shape

    @property
    def output_shape(self) -> Any:
        self._require_built("output_shape")
        return self._output_spec.shape

    def _require_built(self, what: str) -> None:
        if self._output_spec is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no {what} yet: it has not "
                f"been built. Give the first layer input_shape=(...), add a "
                f"lamina.Input, or call the model on data first."
            )

    def call(self, inputs: Any, training: bool | None = None, mask: Any = None) -> Any:
        if self._input_spec is not None:
            inputs = adjust_input_rank(inputs, self._input_spec.shape)
        outputs = inputs
        for layer in self._stack:
            outputs = layer(outputs)
        self._warn_if_shape_differs(inputs)
        return outputs

    def _warn_if_shape_differs(self, inputs: Any) -> None:
        """Keras 2 ran data of another shape than declared; so do we, warning once.

        Called after the layers computed, so that data the model cannot
        handle gets the layer's error alone.
        """
        if self._input_spec is None or not isinstance(inputs, torch.Tensor):
            return
        if inputs.device.type == "meta":
            return
        expected = self._input_spec.shape
        received = (None, *inputs.shape[1:])
        if not shapes_compatible(expected, received):
            self._stack[0].warn_shape_mismatch(expected, received)

    def _build_once(self, input_shapes: Any) -> None:
        if self._input_spec is None and isinstance(input_shapes, tuple):
            self.build(input_shapes)
        self.built = True

    def get_config(self) -> dict[str, Any]:
        from lamina.models.sequential_config import sequential_config

        return sequential_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        from lamina.models.sequential_config import sequential_from_config

        return sequential_from_config(cls, config, custom_objects)


def _as_layer(layer: Any, model_name: str) -> Layer:
    if isinstance(layer, Layer):
        return layer
    if isinstance(layer, torch.nn.Module):
        from lamina.layers.core.torch_module_wrapper import TorchModuleWrapper

        return TorchModuleWrapper(layer)
    raise TypeError(
        f"Sequential model '{model_name}' can only hold layers, but add() "
        f"received {type(layer).__name__}. Pass a lamina layer or a "
        f"torch.nn.Module."
    )


def _declared_input(layer: Layer) -> KerasTensor | None:
    declared = layer._declared_input_shape
    if declared is None:
        return None
    return InputLayer(shape=declared)._output_tensor
