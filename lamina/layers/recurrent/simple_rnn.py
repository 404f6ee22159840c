"""`SimpleRNN` and `SimpleRNNCell`: the fully connected recurrent layer."""

from typing import Any

import torch

from lamina import activations
from lamina.layers.recurrent.base_rnn_cell import BaseRNNCell
from lamina.layers.recurrent.base_rnn_layer import BaseRNNLayer

Tensor = torch.Tensor


class SimpleRNNCell(BaseRNNCell):
    """One step of a fully connected RNN:
    `h = activation(inputs @ kernel + h @ recurrent_kernel + bias)`.

    Args:
        units: Positive integer, size of the state.
        activation: Activation. Defaults to `"tanh"`.
        use_bias: Whether to add a bias. Defaults to `True`.
        kernel_initializer: Initializer of `kernel (input_dim, units)`.
            Defaults to `"glorot_uniform"`.
        recurrent_initializer: Initializer of `recurrent_kernel (units,
            units)`. Defaults to `"orthogonal"`.
        bias_initializer: Initializer of `bias (units,)`. Defaults to
            `"zeros"`.
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
        seed: Accepted for Keras compatibility. Defaults to `None`.

    Input shape:
        `(batch, features)`, one time step, and the state `[h]`.

    Output shape:
        `(batch, units)`, and the new state `[h]`.

    Example:
    >>> h, _ = SimpleRNNCell(4)(torch.ones(2, 3), [torch.zeros(2, 4)])
    >>> tuple(h.shape)
    (2, 4)
    """

    def _step(
        self, projected: Tensor, states: list[Tensor], recurrent_mask: Tensor | None
    ) -> tuple[Tensor, list[Tensor]]:
        h = states[0]
        if recurrent_mask is not None:
            h = h * recurrent_mask
        output = self.activation(projected + torch.matmul(h, self.recurrent_kernel))
        return output, [output]

    def torch_mode(self) -> str | None:
        """`torch.rnn_tanh`/`rnn_relu`'s name for the activation, if it has one."""
        if self.activation is activations.tanh:
            return "tanh"
        if self.activation is activations.relu:
            return "relu"
        return None


class SimpleRNN(BaseRNNLayer):
    """Fully connected RNN layer over `(batch, timesteps, features)` inputs.

    Runs PyTorch's fused `rnn_tanh`/`rnn_relu` kernel when the configuration
    allows it, else a time loop with the input projection hoisted out.

    Args:
        units: Positive integer, size of the output and the state.
        activation: Defaults to `"tanh"`. See `SimpleRNNCell` for this
            argument and the following ones up to `seed`.
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
    >>> tuple(SimpleRNN(4)(torch.ones(2, 5, 3)).shape)
    (2, 4)
    """

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
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
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        cell = SimpleRNNCell(
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
            name="simple_rnn_cell",
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
        )
        super().__init__(
            cell,
            use_cudnn=kwargs.pop("use_cudnn", "auto"),
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
        return cell.torch_mode() is not None and not has_recurrent_dropout

    def _fused_sequence(
        self,
        sequences: Tensor,
        states: list,
        batch_sizes: Tensor | None,
        training: bool,
    ) -> tuple[Tensor, list]:
        cell = self.cell
        kernel = torch.rnn_tanh if cell.torch_mode() == "tanh" else torch.rnn_relu
        weights = [cell.kernel.t(), cell.recurrent_kernel.t()]  # torch layout views
        if cell.use_bias:
            weights += [cell.bias, torch.zeros_like(cell.bias)]
        hx = states[0][None]  # (1, batch, units)
        if batch_sizes is None:
            outputs, h = kernel(
                sequences, hx, weights, cell.use_bias, 1, 0.0, training, False, True
            )
        else:
            outputs, h = kernel(
                sequences,
                batch_sizes,
                hx,
                weights,
                cell.use_bias,
                1,
                0.0,
                training,
                False,
            )
        return outputs, [h[0]]
