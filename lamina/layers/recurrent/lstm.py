"""`LSTM` and `LSTMCell`: Long Short-Term Memory (Hochreiter & Schmidhuber, 1997)."""

from typing import Any

import torch

from lamina import activations
from lamina.layers.recurrent._lstm_loop import double_candidate_block
from lamina.layers.recurrent._lstm_loop import lstm_sequence
from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
from lamina.layers.recurrent.base_rnn_cell import _dropout_mask
from lamina.layers.recurrent.base_rnn_layer import BaseRNNLayer

Tensor = torch.Tensor


class LSTMCell(BaseRNNCell):
    """One step of an LSTM; `LSTM` runs it over a sequence.

    With gates in Keras's order i, f, c, o:
    `z = inputs @ kernel + h @ recurrent_kernel + bias`,
    `c = f * c + i * activation(z_c)`, `h = o * activation(c)`, where i, f
    and o are `recurrent_activation` of their part of `z`.

    Args:
        units: Positive integer, size of the states `h` and `c`.
        activation: Activation of the candidate and the output. Defaults to
            `"tanh"`.
        recurrent_activation: Activation of the gates. Defaults to
            `"sigmoid"`.
        use_bias: Whether to add a bias. Defaults to `True`.
        kernel_initializer: Initializer of `kernel (input_dim, 4 * units)`.
            Defaults to `"glorot_uniform"`.
        recurrent_initializer: Initializer of `recurrent_kernel (units, 4 *
            units)`. Defaults to `"orthogonal"`.
        bias_initializer: Initializer of `bias (4 * units,)`. Defaults to
            `"zeros"`.
        unit_forget_bias: Whether to add 1 to the forget gate's bias at
            initialization (Jozefowicz et al., 2015). Defaults to `True`.
        kernel_regularizer: Regularizer of `kernel`. Defaults to `None`.
        recurrent_regularizer: Regularizer of `recurrent_kernel`. Defaults to
            `None`.
        bias_regularizer: Regularizer of `bias`. Defaults to `None`.
        kernel_constraint: Constraint on `kernel`. Defaults to `None`.
        recurrent_constraint: Constraint on `recurrent_kernel`. Defaults to
            `None`.
        bias_constraint: Constraint on `bias`. Defaults to `None`.
        dropout: Float in [0, 1], fraction of the inputs to drop (one mask
            per sequence). Defaults to `0.0`.
        recurrent_dropout: Float in [0, 1], fraction of the previous `h` to
            drop (one mask per sequence). Defaults to `0.0`.
        seed: Accepted for Keras compatibility; use
            `lamina.utils.set_random_seed` for reproducible masks.

    Input shape:
        `(batch, features)`, one time step, and the states `[h, c]`.

    Output shape:
        `(batch, units)`, and the new states `[h, c]`.

    Example:
    >>> cell = LSTMCell(4)
    >>> h, (h, c) = cell(torch.ones(2, 3), [torch.zeros(2, 4), torch.zeros(2, 4)])
    >>> tuple(h.shape), tuple(c.shape)
    ((2, 4), (2, 4))
    """

    num_gates = 4

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias

    @property
    def state_size(self) -> list[int]:
        return [self.units, self.units]

    def _bias_initializer(self) -> Any:
        if not self.unit_forget_bias:
            return self.bias_initializer
        base = self.bias_initializer
        units = self.units

        def bias_initializer(shape: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
            parts = [
                torch.as_tensor(base((units,), dtype=dtype)),
                torch.ones(units, dtype=dtype),
                torch.as_tensor(base((2 * units,), dtype=dtype)),
            ]
            return torch.cat(parts)  # forget gate starts at bias + 1

        return bias_initializer

    def _step(
        self, projected: Tensor, states: list[Tensor], recurrent_mask: Tensor | None
    ) -> tuple[Tensor, list[Tensor]]:
        h, c = states
        if recurrent_mask is not None:
            h = h * recurrent_mask
        z = projected + torch.matmul(h, self.recurrent_kernel)  # (batch, 4 * units)
        z_i, z_f, z_c, z_o = z.chunk(4, dim=-1)
        gate = self.recurrent_activation
        c = gate(z_f) * c + gate(z_i) * self.activation(z_c)
        h = gate(z_o) * self.activation(c)
        return h, [h, c]

    def is_standard(self) -> bool:
        """Whether the activations are PyTorch's LSTM ones (tanh, sigmoid)."""
        return (
            self.activation is activations.tanh
            and self.recurrent_activation is activations.sigmoid
        )

    def get_config(self) -> dict[str, Any]:
        config = {
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }
        return {**super().get_config(), **config}


class LSTM(BaseRNNLayer):
    """Long Short-Term Memory layer over `(batch, timesteps, features)` inputs.

    Runs PyTorch's fused LSTM kernel (`torch.lstm`, cuDNN on GPU) when the
    configuration allows it: default activations, no `recurrent_dropout` in
    training, and a mask (if any) that only pads the end of sequences.
    Otherwise a time loop with the input projection hoisted out and a
    hand-derived backward pass computes the same results. The weights stay
    in Keras's layout either way (`kernel (features, 4 * units)`,
    `recurrent_kernel (units, 4 * units)`, `bias (4 * units,)`, gates i, f,
    c, o).

    Args:
        units: Positive integer, size of the output and the states.
        activation: Defaults to `"tanh"`. See `LSTMCell` for this argument
            and the following ones up to `seed`.
        recurrent_activation: Defaults to `"sigmoid"`.
        use_bias: Defaults to `True`.
        kernel_initializer: Defaults to `"glorot_uniform"`.
        recurrent_initializer: Defaults to `"orthogonal"`.
        bias_initializer: Defaults to `"zeros"`.
        unit_forget_bias: Defaults to `True`.
        kernel_regularizer: Defaults to `None`.
        recurrent_regularizer: Defaults to `None`.
        bias_regularizer: Defaults to `None`.
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        kernel_constraint: Defaults to `None`.
        recurrent_constraint: Defaults to `None`.
        bias_constraint: Defaults to `None`.
        dropout: Defaults to `0.0`.
        recurrent_dropout: Defaults to `0.0`.
        seed: Defaults to `None`.
        return_sequences: Defaults to `False`. See `RNN` for this argument
            and the following ones.
        return_state: Defaults to `False`; `[output, h, c]` when `True`.
        go_backwards: Defaults to `False`.
        stateful: Defaults to `False`.
        unroll: Defaults to `False`.
        use_cudnn: `"auto"` (fused kernel where possible), `True` (require
            it) or `False` (always the loop). Defaults to `"auto"`.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, timesteps, units)` with `return_sequences`, else
        `(batch, units)`.

    Call arguments:
        sequences: The input.
        initial_state: `[h, c]`, each `(batch, units)`.
        mask: Boolean `(batch, timesteps)`.
        training: Whether dropout is active.

    Example:
    >>> tuple(LSTM(4)(torch.ones(2, 5, 3)).shape)
    (2, 4)
    """

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        use_cudnn: Any = "auto",
        **kwargs: Any,
    ) -> None:
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            implementation=kwargs.pop("implementation", None),
            name="lstm_cell",
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
        )
        super().__init__(
            cell,
            use_cudnn=use_cudnn,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    def _fused_eligible(self, training: bool) -> bool:
        cell = self.cell
        has_recurrent_dropout = training and 0 < cell.recurrent_dropout < 1
        return cell.is_standard() and not has_recurrent_dropout

    def _fused_sequence(
        self,
        sequences: Tensor,
        states: list,
        batch_sizes: Tensor | None,
        training: bool,
    ) -> tuple[Tensor, list]:
        weights = torch_lstm_weights(self.cell)
        hx = (states[0][None], states[1][None])  # (1, batch, units) each
        has_biases = self.cell.use_bias
        if batch_sizes is None:
            outputs, h, c = torch.lstm(
                sequences, hx, weights, has_biases, 1, 0.0, training, False, True
            )
        else:
            outputs, h, c = torch.lstm(
                sequences,
                batch_sizes,
                hx,
                weights,
                has_biases,
                1,
                0.0,
                training,
                False,
            )
        return outputs, [h[0], c[0]]

    def _run_loop(
        self, sequences: Tensor, states: list, mask: Tensor | None, training: bool
    ):
        cell = self.cell
        if not cell.is_standard() or sequences.device.type == "meta":
            return super()._run_loop(sequences, states, mask, training)
        if training and 0 < cell.dropout < 1:
            keep = _dropout_mask(sequences[:, 0], cell.dropout)  # (batch, features)
            sequences = sequences * keep[:, None]
        recurrent_mask = None
        if training and 0 < cell.recurrent_dropout < 1:
            recurrent_mask = _dropout_mask(states[0], cell.recurrent_dropout)
        scale = double_candidate_block(cell.units, sequences)
        steps = sequences.transpose(0, 1)  # (time, batch, features)
        step_mask = None if mask is None else mask.transpose(0, 1)[..., None]
        if self.go_backwards:
            steps = steps.flip(0)
            step_mask = None if step_mask is None else step_mask.flip(0)
        projected = torch.matmul(steps, cell.kernel * scale)  # (time, batch, 4u)
        if cell.bias is not None:
            projected = projected.add_(cell.bias * scale)
        hs, h, c = lstm_sequence(
            projected,
            states[0],
            states[1],
            cell.recurrent_kernel * scale,
            recurrent_mask,
            step_mask,
        )  # hs: (time, batch, units)
        if step_mask is None:
            outputs = hs.transpose(0, 1) if self.return_sequences else None
            return h, outputs, [h, c]
        # a masked step repeats the previous output (zeros before the first
        # step that is not masked), or gives zeros with zero_output_for_mask
        seen = step_mask if self.zero_output_for_mask else step_mask.cummax(0).values
        outputs = torch.where(seen, hs, 0.0).transpose(0, 1)  # (batch, time, units)
        return outputs[:, -1], outputs, [h, c]


def torch_lstm_weights(cell: LSTMCell) -> list[Tensor]:
    """The cell's weights as `torch.lstm` takes them, as views where possible.

    PyTorch's gate order i, f, g, o is Keras's i, f, c, o, so the kernels
    only need a transpose. Keras has one bias, PyTorch two (summed).
    """
    weights = [cell.kernel.t(), cell.recurrent_kernel.t()]  # (4u, in), (4u, u)
    if cell.use_bias:
        weights += [cell.bias, torch.zeros_like(cell.bias)]
    return weights
