"""`StackedRNNCells`: several RNN cells run as one, each feeding the next."""

from typing import Any

import torch

from lamina.layers.layer import Layer
from lamina.layers.recurrent._serialization import deserialize_layer
from lamina.layers.recurrent._serialization import serialize_layer


class StackedRNNCells(Layer):
    """Wraps a list of RNN cells so that an `RNN` runs them as one stacked cell.

    At each step the first cell reads the input, each later cell reads the
    output of the one before, and the states are one list per cell.

    Args:
        cells: List of RNN cells.

    Input shape:
        `(batch, features)`, one time step.

    Output shape:
        `(batch, units)` of the last cell, and the list of new states.

    Example:
    >>> from lamina.layers import RNN, GRUCell, LSTMCell
    >>> layer = RNN(StackedRNNCells([LSTMCell(4), GRUCell(3)]))
    >>> tuple(layer(torch.ones(2, 5, 6)).shape)
    (2, 3)
    """

    def __init__(self, cells: list[Any], **kwargs: Any) -> None:
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or not hasattr(
                cell, "state_size"
            ):
                raise ValueError(
                    f"StackedRNNCells expected RNN cells (layers with "
                    f"call(inputs, states) and state_size), but received "
                    f"{cell!r}. Pass e.g. [LSTMCell(32), LSTMCell(32)]."
                )
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self) -> list[Any]:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        size = last.state_size
        return size[0] if isinstance(size, (list, tuple)) else size

    def get_initial_state(self, batch_size: int) -> list[Any]:
        states = []
        for cell in self.cells:
            if hasattr(cell, "get_initial_state"):
                states.append(cell.get_initial_state(batch_size))
                continue
            sizes = cell.state_size
            if isinstance(sizes, int):
                states.append(torch.zeros(batch_size, sizes, dtype=self._dtype))
            else:
                states.append(
                    [torch.zeros(batch_size, s, dtype=self._dtype) for s in sizes]
                )
        return states

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell._build_once(tuple(input_shape))
            size = getattr(cell, "output_size", None) or cell.state_size
            size = size[0] if isinstance(size, (list, tuple)) else size
            input_shape = (input_shape[0], size)

    def call(
        self, inputs: torch.Tensor, states: list[Any], training: bool | None = None
    ) -> tuple[torch.Tensor, list[Any]]:
        new_states = []
        for cell, cell_states in zip(self.cells, states, strict=True):
            is_list = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if is_list else [cell_states]
            if "training" in getattr(cell, "_call_arguments", ()):
                inputs, cell_states = cell(inputs, cell_states, training=training)
            else:
                inputs, cell_states = cell(inputs, cell_states)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            new_states.append(list(cell_states) if is_list else cell_states[0])
        return inputs, new_states

    def reset_dropout_mask(self) -> None:
        """Forgets the cached dropout masks of every cell."""
        for cell in self.cells:
            if hasattr(cell, "reset_dropout_mask"):
                cell.reset_dropout_mask()

    def get_config(self) -> dict[str, Any]:
        config = {"cells": [serialize_layer(cell) for cell in self.cells]}
        return {**super().get_config(), **config}

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: Any = None
    ) -> "StackedRNNCells":
        config = dict(config)
        cells = [deserialize_layer(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
