"""`GRU` and `GRUCell`: Gated Recurrent Unit (Cho et al., 2014)."""

from typing import Any

import torch

from lamina import activations
from lamina.layers.recurrent import _rnn_native
from lamina.layers.recurrent._gru_loop import gru_sequence
from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
from lamina.layers.recurrent.base_rnn_cell import _dropout_mask
from lamina.layers.recurrent.base_rnn_layer import BaseRNNLayer

Tensor = torch.Tensor


class GRUCell(BaseRNNCell):
    """One step of a GRU; `GRU` runs it over a sequence.

    With gates in Keras's order z (update), r (reset), h (candidate):
    `z = sigmoid(x_z + h @ R_z)`, `r = sigmoid(x_r + h @ R_r)`,
    `candidate = tanh(x_h + r * (h @ R_h))` with `reset_after=True` (the
    cuDNN/PyTorch variant, `tanh(x_h + (r * h) @ R_h)` otherwise), and
    `h = z * h + (1 - z) * candidate`.

    Args:
        units: Positive integer, size of the state.
        activation: Activation of the candidate. Defaults to `"tanh"`.
        recurrent_activation: Activation of the gates. Defaults to
            `"sigmoid"`.
        use_bias: Whether to add biases. Defaults to `True`.
        kernel_initializer: Initializer of `kernel (input_dim, 3 * units)`.
            Defaults to `"glorot_uniform"`.
        recurrent_initializer: Initializer of `recurrent_kernel (units, 3 *
            units)`. Defaults to `"orthogonal"`.
        bias_initializer: Initializer of `bias`, `(2, 3 * units)` (input and
            recurrent biases) with `reset_after`, else `(3 * units,)`.
            Defaults to `"zeros"`.
        kernel_regularizer: Regularizer of `kernel`. Defaults to `None`.
        recurrent_regularizer: Regularizer of `recurrent_kernel`. Defaults to
            `None`.
        bias_regularizer: Regularizer of `bias`. Defaults to `None`.
        kernel_constraint: Constraint on `kernel`. Defaults to `None`.
        recurrent_constraint: Constraint on `recurrent_kernel`. Defaults to
            `None`.
        bias_constraint: Constraint on `bias`. Defaults to `None`.
        dropout: Float in [0, 1], fraction of the inputs to drop. Defaults to
            `0.0`.
        recurrent_dropout: Float in [0, 1], fraction of the previous state
            to drop. Defaults to `0.0`.
        reset_after: Whether to apply the reset gate after the recurrent
            matmul. Defaults to `True`.
        seed: Accepted for Keras compatibility. Defaults to `None`.

    Input shape:
        `(batch, features)`, one time step, and the state `[h]`.

    Output shape:
        `(batch, units)`, and the new state `[h]`.

    Example:
    >>> h, (h,) = GRUCell(4)(torch.ones(2, 3), [torch.zeros(2, 4)])
    >>> tuple(h.shape)
    (2, 4)
    """

    num_gates = 3

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        reset_after: bool = True,
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
        self.reset_after = reset_after

    def _bias_shape(self) -> tuple[int, ...]:
        if self.reset_after:
            return (2, 3 * self.units)  # input bias, recurrent bias
        return (3 * self.units,)

    def _input_bias(self) -> Tensor | None:
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    def _step(
        self, projected: Tensor, states: list[Tensor], recurrent_mask: Tensor | None
    ) -> tuple[Tensor, list[Tensor]]:
        h_previous = states[0]
        h = h_previous if recurrent_mask is None else h_previous * recurrent_mask
        units = self.units
        x_z, x_r, x_h = projected.chunk(3, dim=-1)
        gate = self.recurrent_activation
        if self.reset_after:
            inner = torch.matmul(h, self.recurrent_kernel)  # (batch, 3 * units)
            if self.bias is not None:
                inner = inner + self.bias[1]
            r_z, r_r, r_h = inner.chunk(3, dim=-1)
            z = gate(x_z + r_z)
            r = gate(x_r + r_r)
            candidate = self.activation(x_h + r * r_h)
        else:
            inner = torch.matmul(h, self.recurrent_kernel[:, : 2 * units])
            r_z, r_r = inner.chunk(2, dim=-1)
            z = gate(x_z + r_z)
            r = gate(x_r + r_r)
            recurrent_h = torch.matmul(r * h, self.recurrent_kernel[:, 2 * units :])
            candidate = self.activation(x_h + recurrent_h)
        h_new = z * h_previous + (1 - z) * candidate
        return h_new, [h_new]

    def is_standard(self) -> bool:
        """Whether PyTorch's GRU computes this cell (tanh, sigmoid, reset_after)."""
        return (
            self.activation is activations.tanh
            and self.recurrent_activation is activations.sigmoid
            and self.reset_after
        )

    def get_config(self) -> dict[str, Any]:
        config = {
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }
        return {**super().get_config(), **config}


class GRU(BaseRNNLayer):
    """Gated Recurrent Unit layer over `(batch, timesteps, features)` inputs.

    Runs PyTorch's fused GRU kernel when the configuration allows it
    (default activations, `reset_after=True`, no `recurrent_dropout` in
    training, no mask with gaps), else a time loop with the input projection
    hoisted out. Weights stay in Keras's layout: `kernel (features, 3 *
    units)`, `recurrent_kernel (units, 3 * units)`, gates z, r, h, and
    `bias (2, 3 * units)` with `reset_after`.

    Args:
        units: Positive integer, size of the output and the state.
        activation: Defaults to `"tanh"`. See `GRUCell` for this argument
            and the following ones up to `reset_after`.
        recurrent_activation: Defaults to `"sigmoid"`.
        use_bias: Defaults to `True`.
        kernel_initializer: Defaults to `"glorot_uniform"`.
        recurrent_initializer: Defaults to `"orthogonal"`.
        bias_initializer: Defaults to `"zeros"`.
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
        return_state: Defaults to `False`; `[output, h]` when `True`.
        go_backwards: Defaults to `False`.
        stateful: Defaults to `False`.
        unroll: Defaults to `False`.
        reset_after: Defaults to `True`.
        use_cudnn: `"auto"`, `True` or `False`, as for `LSTM`. Defaults to
            `"auto"`.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, timesteps, units)` with `return_sequences`, else
        `(batch, units)`.

    Call arguments:
        sequences: The input.
        initial_state: `[h]`, `(batch, units)`.
        mask: Boolean `(batch, timesteps)`.
        training: Whether dropout is active.

    Example:
    >>> tuple(GRU(4, return_sequences=True)(torch.ones(2, 5, 3)).shape)
    (2, 5, 4)
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
        reset_after: bool = True,
        use_cudnn: Any = "auto",
        **kwargs: Any,
    ) -> None:
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
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
            reset_after=reset_after,
            seed=seed,
            implementation=kwargs.pop("implementation", None),
            name="gru_cell",
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
        weights = torch_gru_weights(self.cell)
        hx = states[0][None]  # (1, batch, units)
        has_biases = self.cell.use_bias
        if batch_sizes is None:
            outputs, h = torch.gru(
                sequences, hx, weights, has_biases, 1, 0.0, training, False, True
            )
        else:
            outputs, h = torch.gru(
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
        return outputs, [h[0]]

    def _run_loop(
        self, sequences: Tensor, states: list, mask: Tensor | None, training: bool
    ):
        cell = self.cell
        kernel = cell.recurrent_kernel
        is_native = _rnn_native.is_supported(sequences, kernel, cell.bias)
        if not cell.is_standard() or not is_native:  # the autograd loop
            return super()._run_loop(sequences, states, mask, training)
        if training and 0 < cell.dropout < 1:
            keep = _dropout_mask(sequences[:, 0], cell.dropout)  # (batch, features)
            sequences = sequences * keep[:, None]
        recurrent_mask = None
        if training and 0 < cell.recurrent_dropout < 1:
            recurrent_mask = _dropout_mask(states[0], cell.recurrent_dropout)
        steps = sequences.transpose(0, 1)  # (time, batch, features)
        step_mask = None if mask is None else mask.transpose(0, 1)  # (time, batch)
        if self.go_backwards:
            steps = steps.flip(0)
            step_mask = None if step_mask is None else step_mask.flip(0)
        projected = torch.matmul(steps, cell.kernel)  # (time, batch, 3 * units)
        if cell.bias is not None:
            projected = projected.add_(cell.bias[0])  # in place: no 2nd buffer
        recurrent_bias = None if cell.bias is None else cell.bias[1]
        hs, h = gru_sequence(
            projected.contiguous(),
            states[0],
            kernel.contiguous(),
            recurrent_bias,
            recurrent_mask,
            None if step_mask is None else step_mask.to(torch.uint8).contiguous(),
        )  # hs: (time, batch, units)
        if step_mask is None:
            outputs = hs.transpose(0, 1) if self.return_sequences else None
            return h, outputs, [h]
        # as LSTM: a masked step repeats the previous output, or gives zeros
        step_mask = step_mask[..., None].bool()  # (time, batch, 1)
        seen = step_mask if self.zero_output_for_mask else step_mask.cummax(0).values
        outputs = torch.where(seen, hs, 0.0).transpose(0, 1)  # (batch, time, units)
        return outputs[:, -1], outputs, [h]


def torch_gru_weights(cell: GRUCell) -> list[Tensor]:
    """The cell's weights as `torch.gru` takes them.

    PyTorch orders the gates r, z, n; Keras z, r, h. Both compute the
    candidate as `tanh(x_h + b_ih + r * (h @ R_h + b_hh))` (`reset_after`).
    """

    def reorder(weight: Tensor) -> Tensor:  # z, r, h -> r, z, h on the last axis
        z, r, h = weight.chunk(3, dim=-1)
        return torch.cat([r, z, h], dim=-1)

    weights = [reorder(cell.kernel).t(), reorder(cell.recurrent_kernel).t()]
    if cell.use_bias:
        bias = reorder(cell.bias)  # (2, 3 * units)
        weights += [bias[0], bias[1]]
    return weights
