"""`Bidirectional`: runs a recurrent layer forwards and backwards, then merges."""

import copy
from typing import Any

import torch

from lamina.layers.layer import Layer
from lamina.layers.recurrent._serialization import deserialize_layer
from lamina.layers.recurrent._serialization import serialize_layer

Tensor = torch.Tensor
_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


class Bidirectional(Layer):
    """Bidirectional wrapper for RNN layers.

    A copy of `layer` reads the sequence forwards, another copy (or
    `backward_layer`) reads it backwards; their outputs are merged. Masked
    steps give zeros in returned sequences, as in Keras.

    Args:
        layer: An `RNN` layer such as `LSTM(32)`. It is copied from its
            config into `forward_layer` (named `forward_<name>`).
        merge_mode: How to merge the two outputs: `"concat"`, `"sum"`,
            `"mul"`, `"ave"`, or `None` for a list of both. Defaults to
            `"concat"`.
        weights: Keras 2 style initial weights, forward then backward.
            Defaults to `None`.
        backward_layer: The backward layer, with `go_backwards=True`.
            Defaults to a copy of `layer` reading backwards.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        The wrapped layer's output with the last axis doubled for
        `"concat"`; with `return_state`, followed by the forward then the
        backward states.

    Call arguments:
        sequences: The input.
        initial_state: Forward states followed by backward states.
        mask: Boolean `(batch, timesteps)`.
        training: Whether dropout is active.

    Example:
    >>> from lamina.layers import LSTM
    >>> tuple(Bidirectional(LSTM(4))(torch.ones(2, 5, 3)).shape)
    (2, 8)
    """

    def __init__(
        self,
        layer: Layer,
        merge_mode: str | None = "concat",
        weights: Any = None,
        backward_layer: Layer | None = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Bidirectional expected a recurrent Layer such as LSTM(32), but "
                f"received layer={layer!r}."
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                f"Bidirectional expected backward_layer to be a Layer, but "
                f"received backward_layer={backward_layer!r}."
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Bidirectional expected merge_mode to be one of 'sum', 'mul', "
                f"'ave', 'concat' or None, but received merge_mode={merge_mode!r}."
            )
        super().__init__(weights=weights, **kwargs)
        self.forward_layer = _copy_layer(layer, "forward", layer.go_backwards)
        if backward_layer is None:
            backward_layer = _copy_layer(layer, "backward", not layer.go_backwards)
        self.backward_layer = backward_layer
        self._check_pair()
        for sublayer in (self.forward_layer, self.backward_layer):
            if hasattr(sublayer, "zero_output_for_mask"):
                sublayer.zero_output_for_mask = sublayer.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True

    def _check_pair(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                f"Bidirectional needs forward and backward layers with different "
                f"go_backwards, but both have go_backwards={forward.go_backwards}. "
                f"Create backward_layer with go_backwards=True."
            )
        for name in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, name) != getattr(backward, name):
                raise ValueError(
                    f"Bidirectional needs the same {name} in both directions, but "
                    f"the forward layer has {name}={getattr(forward, name)} and "
                    f"backward_layer has {name}={getattr(backward, name)}."
                )

    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        for sublayer in (self.forward_layer, self.backward_layer):
            if not sublayer.built:
                sublayer._build_once(sequences_shape)

    def call(
        self,
        sequences: Tensor,
        initial_state: Any = None,
        mask: Any = None,
        training: bool | None = None,
    ) -> Any:
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        kwargs = {"mask": mask, "training": training}
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_reversed = self.backward_layer(
            sequences, initial_state=backward_state, **kwargs
        )
        states: list[Tensor] = []
        if self.return_state:
            states = [*y[1:], *y_reversed[1:]]
            y, y_reversed = y[0], y_reversed[0]
        if self.return_sequences:
            y_reversed = y_reversed.flip(1)  # back to forward time order
        output = self._merge(y, y_reversed)
        if self.return_state:
            return [*output, *states] if self.merge_mode is None else [output, *states]
        return output

    def _merge(self, y: Tensor, y_reversed: Tensor) -> Any:
        if self.merge_mode == "concat":
            return torch.cat([y, y_reversed], dim=-1)  # (..., 2 * units)
        if self.merge_mode == "sum":
            return y + y_reversed
        if self.merge_mode == "ave":
            return (y + y_reversed) / 2
        if self.merge_mode == "mul":
            return y * y_reversed
        return [y, y_reversed]

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if self.return_sequences:
            output_mask = mask if self.merge_mode else [mask, mask]
        else:
            output_mask = None if self.merge_mode else [None, None]
        if not self.return_state:
            return output_mask
        num_states = 2 * len(self.forward_layer.state_size)
        heads = output_mask if isinstance(output_mask, list) else [output_mask]
        return [*heads, *[None] * num_states]

    def reset_states(self, states: Any = None) -> None:
        """Resets the states of both directions of a stateful layer."""
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def reset_state(self, states: Any = None) -> None:
        """Keras 3 spelling of `reset_states`."""
        self.reset_states(states)

    @property
    def states(self) -> Any:
        forward, backward = self.forward_layer.states, self.backward_layer.states
        if forward is None or backward is None:
            return None
        return [*forward, *backward]

    def get_config(self) -> dict[str, Any]:
        config = {
            "merge_mode": self.merge_mode,
            "layer": serialize_layer(self.forward_layer),
            "backward_layer": serialize_layer(self.backward_layer),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: Any = None
    ) -> "Bidirectional":
        config = copy.deepcopy(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_layer(backward, custom_objects)
        return cls(**config)


def _copy_layer(layer: Layer, direction: str, go_backwards: bool) -> Layer:
    config = layer.get_config()
    config["name"] = f"{direction}_{layer.name.removeprefix(direction + '_')}"
    config["go_backwards"] = go_backwards
    return type(layer).from_config(config)
