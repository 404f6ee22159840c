"""`TimeDistributed`: applies a layer to every time step of a sequence."""

from typing import Any

import torch

from lamina.layers.layer import Layer
from lamina.layers.recurrent._serialization import deserialize_layer
from lamina.layers.recurrent._serialization import serialize_layer

Tensor = torch.Tensor


class TimeDistributed(Layer):
    """Applies `layer` to each time step (axis 1) of the input independently.

    The batch and time axes are folded into one, so the wrapped layer runs
    once on `(batch * timesteps, ...)` instead of once per step; every step
    shares the wrapped layer's weights.

    Args:
        layer: The layer to apply, e.g. `Dense(8)`.

    Input shape:
        `(batch, timesteps, ...)`, at least 3-D.

    Output shape:
        `(batch, timesteps, ...)` with the wrapped layer's output shape.

    Call arguments:
        inputs: The input.
        training: Passed to the wrapped layer if it takes it.
        mask: Boolean `(batch, timesteps)`, passed on folded if the wrapped
            layer takes a mask.

    Example:
    >>> from lamina.layers import Dense
    >>> tuple(TimeDistributed(Dense(8))(torch.ones(2, 10, 3)).shape)
    (2, 10, 8)
    """

    def __init__(self, layer: Layer, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(
                f"TimeDistributed expected a lamina Layer to wrap, but received "
                f"layer={layer!r}. Pass e.g. TimeDistributed(Dense(8))."
            )
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        if len(input_shape) < 3:
            raise ValueError(self._rank_message(input_shape))
        if not self.layer.built:
            self.layer._build_once((input_shape[0], *input_shape[2:]))

    def _rank_message(self, shape: Any) -> str:
        return (
            f"Layer '{self.name}' (TimeDistributed) expects input of shape "
            f"(batch, timesteps, ...) with at least 3 axes, but received shape "
            f"{tuple(shape)}. Add a time axis, or use the wrapped layer directly."
        )

    def call(
        self, inputs: Tensor, training: bool | None = None, mask: Tensor | None = None
    ) -> Tensor:
        if inputs.ndim < 3:
            raise ValueError(self._rank_message(inputs.shape))
        batch, steps = inputs.shape[:2]
        folded = inputs.reshape(batch * steps, *inputs.shape[2:])  # (batch*time, ...)
        kwargs: dict[str, Any] = {}
        arguments = self.layer._call_arguments
        if "training" in arguments:
            kwargs["training"] = training
        if "mask" in arguments and mask is not None:
            kwargs["mask"] = mask.reshape(batch * steps, *mask.shape[2:])
        outputs = self.layer(folded, **kwargs)
        return outputs.reshape(batch, steps, *outputs.shape[1:])  # (batch, time, ...)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return mask

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: Any = None
    ) -> "TimeDistributed":
        config = dict(config)
        layer = deserialize_layer(config.pop("layer"), custom_objects)
        return cls(layer, **config)
