"""`RNN`: runs a recurrent cell over the time axis of a sequence."""

from typing import Any

import torch

from lamina.layers.layer import Layer
from lamina.layers.recurrent._serialization import deserialize_layer
from lamina.layers.recurrent._serialization import serialize_layer
from lamina.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from lamina.utils import tree

Tensor = torch.Tensor


class RNN(Layer):
    """Base class of recurrent layers: applies `cell` at every time step.

    The cell maps `(input_t, states)` to `(output_t, new_states)`. A list of
    cells is stacked with `StackedRNNCells`. Masked time steps (from an
    `Embedding(mask_zero=True)` or `Masking` layer, or `mask=`) keep the
    previous states and repeat the previous output, as in Keras.

    Args:
        cell: An RNN cell (a layer with `call(inputs, states)` and a
            `state_size` attribute), or a list of cells to stack.
        return_sequences: Whether to return the output of every step
            `(batch, timesteps, units)` instead of the last one. Defaults to
            `False`.
        return_state: Whether to also return the final states. Defaults to
            `False`.
        go_backwards: Whether to process the sequence in reverse order and
            return the reversed output sequence. Defaults to `False`.
        stateful: Whether the final states of a batch are the initial states
            of the next one (reset with `reset_states()`). Defaults to `False`.
        unroll: Accepted for Keras compatibility; lamina's time loop is
            already a plain Python loop, so it changes nothing. Defaults to
            `False`.
        zero_output_for_mask: Whether masked steps output zeros instead of
            the previous output. Defaults to `False`.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, timesteps, units)` with `return_sequences`, else
        `(batch, units)`; with `return_state`, a list `[output, *states]`.

    Call arguments:
        sequences: The input, `(batch, timesteps, features)`.
        initial_state: List of initial state tensors. Defaults to zeros (or
            the stored states of a stateful layer).
        mask: Boolean `(batch, timesteps)`, `False` at steps to skip.
        training: Whether dropout is active.

    Example:
    >>> from lamina.layers import SimpleRNNCell
    >>> tuple(RNN(SimpleRNNCell(4))(torch.ones(2, 5, 3)).shape)
    (2, 4)
    """

    # Rank of the input sequences; ConvLSTM layers add spatial axes.
    _sequence_ndim = 3

    def __init__(
        self,
        cell: Any,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ) -> None:
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        _check_cell(cell, type(self).__name__)
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.states: list[Any] | None = None
        state_size = cell.state_size
        self.state_size = (
            [state_size] if isinstance(state_size, int) else list(state_size)
        )

    # ------------------------------------------------------------------ build
    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        if isinstance(sequences_shape, list) and isinstance(sequences_shape[0], tuple):
            sequences_shape = sequences_shape[0]
        if len(sequences_shape) != self._sequence_ndim:
            raise ValueError(self._rank_message(sequences_shape))
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell._build_once((sequences_shape[0], *sequences_shape[2:]))

    def _rank_message(self, shape: Any) -> str:
        return (
            f"Layer '{self.name}' ({type(self).__name__}) expects input of shape "
            f"(batch, timesteps, features), but received shape {tuple(shape)}. "
            f"Add a time axis (e.g. x[:, None, :] for one step) or put an "
            f"Embedding layer before it for integer sequences."
        )

    # ------------------------------------------------------------------- call
    def call(
        self,
        sequences: Tensor,
        initial_state: Any = None,
        mask: Any = None,
        training: bool | None = None,
    ) -> Any:
        if sequences.ndim != self._sequence_ndim:
            raise ValueError(self._rank_message(sequences.shape))
        mask = _first_mask(mask)
        states = self._initial_states(sequences, initial_state)
        last_output, outputs, states = self._run(
            sequences, states, mask, bool(training)
        )
        if self.stateful:
            self.states = tree.map_structure(lambda s: s.detach(), states)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output, *states]
        return output

    def _run(
        self, sequences: Tensor, states: list, mask: Tensor | None, training: bool
    ):
        """Returns `(last_output, outputs or None, final_states)`."""
        lengths = None
        if mask is not None and self._can_use_fused(training):
            lengths = right_padded_lengths(mask)
            if lengths is not None and bool((lengths == mask.shape[1]).all()):
                mask, lengths = None, None
        if self._can_use_fused(training) and mask is None:
            return self._run_fused(sequences, states, training)
        if lengths is not None and not self.go_backwards:
            return self._run_fused_padded(sequences, states, lengths, training)
        return self._run_loop(sequences, states, mask, training)

    def _can_use_fused(self, training: bool) -> bool:
        """Whether PyTorch's fused kernel computes this layer; cells override."""
        return False

    def _fused_input(self, sequences: Tensor, training: bool) -> Tensor:
        return sequences

    def _run_fused(self, sequences: Tensor, states: list, training: bool):
        sequences = self._fused_input(sequences, training)
        if self.go_backwards:
            sequences = sequences.flip(1)
        outputs, states = self._fused_sequence(sequences, states, None, training)
        return outputs[:, -1], outputs, states  # outputs: (batch, time, units)

    def _run_fused_padded(
        self, sequences: Tensor, states: list, lengths: Tensor, training: bool
    ):
        """Right-padded masks: a packed sequence skips the padding exactly."""
        sequences = self._fused_input(sequences, training)
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            sequences, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        sorted_states = [s.index_select(0, packed.sorted_indices) for s in states]
        data, sorted_states = self._fused_sequence(
            packed.data, sorted_states, packed.batch_sizes, training
        )
        states = [s.index_select(0, packed.unsorted_indices) for s in sorted_states]
        outputs, _ = torch.nn.utils.rnn.pad_packed_sequence(
            packed._replace(data=data),
            batch_first=True,
            total_length=sequences.shape[1],
        )  # (batch, time, units), zeros after each sequence's end
        valid = _length_mask(lengths, sequences.shape[1])[..., None]
        if self.zero_output_for_mask:
            return outputs[:, -1], outputs, states
        outputs = torch.where(valid, outputs, states[0][:, None, :])
        return outputs[:, -1], outputs, states

    def _fused_sequence(
        self,
        sequences: Tensor,
        states: list,
        batch_sizes: Tensor | None,
        training: bool,
    ) -> tuple[Tensor, list]:
        raise NotImplementedError

    def _run_loop(
        self, sequences: Tensor, states: list, mask: Tensor | None, training: bool
    ):
        """The time loop; the cell's input projection is hoisted out of it."""
        _reset_dropout_masks(self.cell)
        projected, step = cell_loop_parts(self.cell, sequences, states, training)
        inputs = projected.unbind(1)  # time steps of (batch, ...)
        step_masks = mask.unbind(1) if mask is not None else None
        if self.go_backwards:
            inputs = inputs[::-1]
            step_masks = step_masks[::-1] if step_masks is not None else None
        outputs = []
        previous = None
        for index, step_input in enumerate(inputs):
            output, new_states = step(step_input, states)
            if step_masks is not None:
                # (batch, 1, ...): one flag per sequence for all output axes
                keep = step_masks[index].reshape(-1, *[1] * (output.ndim - 1))
                new_states = _masked_states(keep, new_states, states)
                if previous is None or self.zero_output_for_mask:
                    previous = torch.zeros_like(output)
                output = torch.where(keep, output, previous)
            states, previous = new_states, output
            if self.return_sequences:
                outputs.append(output)
        _reset_dropout_masks(self.cell)
        sequence = torch.stack(outputs, 1) if self.return_sequences else None
        return previous, sequence, states  # sequence: (batch, time, units)

    # ----------------------------------------------------------------- states
    def _initial_states(self, sequences: Tensor, initial_state: Any) -> list:
        batch_size = sequences.shape[0]
        if initial_state is None and self.stateful:
            if self.states is None or self.states[0].device != sequences.device:
                self.states = self.get_initial_state(batch_size, sequences)
            self._check_state_batch(batch_size)
            return list(self.states)
        if initial_state is None:
            return self.get_initial_state(batch_size, sequences)
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        initial_state = [torch.as_tensor(s).to(sequences) for s in initial_state]
        expected = len(tree.flatten(self.get_initial_state(1, sequences)))
        if len(initial_state) != expected:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) has {expected} "
                f"state tensor(s), but initial_state holds {len(initial_state)}. "
                f"Pass one (batch, units) tensor per state, e.g. [h, c] for LSTM."
            )
        return tree.pack_sequence_as(
            self.get_initial_state(1, sequences), initial_state
        )

    def _check_state_batch(self, batch_size: int) -> None:
        stored = tree.flatten(self.states)[0].shape[0]
        if stored != batch_size:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) is stateful with "
                f"batch size {stored}, but received a batch of {batch_size}. "
                f"Feed batches of one fixed size (batch_size={stored} and "
                f"shuffle=False in fit), or call reset_states() first."
            )

    def get_initial_state(self, batch_size: int, like: Tensor | None = None) -> list:
        """Zero states for `batch_size` sequences."""
        dtype = like.dtype if like is not None else self._dtype
        device = like.device if like is not None else None
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            states = make(batch_size)
            return tree.map_structure(
                lambda s: s.to(device=device, dtype=dtype), states
            )
        return [
            torch.zeros(batch_size, size, dtype=dtype, device=device)
            for size in self.state_size
        ]

    def reset_states(self, states: Any = None) -> None:
        """Zeroes the stored states of a stateful layer, or sets them."""
        if not self.stateful:
            raise AttributeError(
                f"Layer '{self.name}' ({type(self).__name__}) is not stateful, "
                f"so it has no states to reset. Create it with stateful=True."
            )
        if states is None:
            self.states = (
                None
                if self.states is None
                else tree.map_structure(torch.zeros_like, self.states)
            )
            return
        states = states if isinstance(states, (list, tuple)) else [states]
        self.states = [torch.as_tensor(s, dtype=self._dtype) for s in states]

    def reset_state(self, states: Any = None) -> None:
        """Keras 3 spelling of `reset_states`."""
        self.reset_states(states)

    # ------------------------------------------------------------------ masks
    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        mask = _first_mask(mask)
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(tree.flatten(self.state_size))
        return output_mask

    # ----------------------------------------------------------------- config
    def get_config(self) -> dict[str, Any]:
        config = {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialize_layer(self.cell),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> "RNN":
        config = dict(config)
        cell = deserialize_layer(config.pop("cell"), custom_objects)
        return cls(cell, **config)


def _check_cell(cell: Any, owner: str) -> None:
    if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
        raise ValueError(
            f"{owner} expected cell to be an RNN cell: a layer with a "
            f"call(inputs, states) method and a state_size attribute, but "
            f"received cell={cell!r}. Pass e.g. LSTMCell(32), or a list of cells."
        )


def _first_mask(mask: Any) -> Tensor | None:
    if isinstance(mask, (list, tuple)):
        mask = mask[0] if mask else None
    if mask is None:
        return None
    return mask.to(torch.bool)


def _length_mask(lengths: Tensor, timesteps: int) -> Tensor:
    positions = torch.arange(timesteps, device=lengths.device)
    return positions[None, :] < lengths[:, None]  # (batch, time)


def right_padded_lengths(mask: Tensor) -> Tensor | None:
    """Sequence lengths if `mask` is `True` then `False` in every row, else `None`.

    Rows with no step at all also give `None`: PyTorch's packed sequences need
    at least one step per row. This is the one host sync of a masked call.
    """
    if mask.device.type == "meta":
        return None
    lengths = mask.sum(1)  # (batch,)
    is_right_padded = (_length_mask(lengths, mask.shape[1]) == mask).all()
    if not bool(is_right_padded & (lengths > 0).all()):
        return None
    return lengths


def _reset_dropout_masks(cell: Any) -> None:
    reset = getattr(cell, "reset_dropout_mask", None)
    if reset is not None:
        reset()


def _masked_states(keep: Tensor, new_states: Any, states: Any) -> Any:
    flat = [
        torch.where(keep, new, old)
        for new, old in zip(tree.flatten(new_states), tree.flatten(states), strict=True)
    ]
    return tree.pack_sequence_as(new_states, flat)


def cell_loop_parts(cell: Any, sequences: Tensor, states: Any, training: bool):
    """`(inputs per step, step function)` for the time loop.

    lamina's cells hoist `inputs @ kernel` out of the loop (`_loop_parts`);
    any other cell is called step by step as Keras does.
    """
    loop_parts = getattr(cell, "_loop_parts", None)
    if loop_parts is not None:
        return loop_parts(sequences, training)
    takes_training = "training" in getattr(cell, "_call_arguments", ())

    def step(step_input: Tensor, step_states: Any) -> tuple[Tensor, Any]:
        kwargs = {"training": training} if takes_training else {}
        output, new_states = cell(step_input, step_states, **kwargs)
        if not isinstance(new_states, (list, tuple)):
            new_states = [new_states]
        return output, list(new_states)

    return sequences, step
