"""`BaseRNNCell`: weights, dropout masks and the hoisted time loop of RNN cells."""

from collections.abc import Callable
from typing import Any

import torch

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import scaled_keep_mask

Tensor = torch.Tensor


class BaseRNNCell(Layer):
    """Shared machinery of `SimpleRNNCell`, `LSTMCell` and `GRUCell`.

    A cell has `num_gates` blocks of `units` columns in its `kernel
    (input_dim, num_gates * units)` and `recurrent_kernel (units, num_gates *
    units)`, in Keras's layout. One step is split in two: `_project` (the
    input side, `inputs @ kernel + bias`, which an `RNN` runs once for all
    time steps) and `_step` (the recurrent side, inside the loop).

    Dropout masks are drawn once per sequence and shared by all its time
    steps, as Keras does; `dropout` masks the inputs and `recurrent_dropout`
    the previous output `h` (one mask for all gates, as Keras 2 did).
    """

    num_gates = 1

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
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("implementation", None)  # Keras 2's kernel switch; one here
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"{type(self).__name__} expected units to be a positive integer, "
                f"but received units={units!r}. Pass the state size, e.g. "
                f"{type(self).__name__}(32)."
            )
        for name, rate in (
            ("dropout", dropout),
            ("recurrent_dropout", recurrent_dropout),
        ):
            if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
                raise ValueError(
                    f"{type(self).__name__} expected {name} to be a float in "
                    f"[0, 1], but received {name}={rate!r}."
                )
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self._dropout_mask: Tensor | None = None
        self._recurrent_dropout_mask: Tensor | None = None

    @property
    def state_size(self) -> Any:
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    # ------------------------------------------------------------------ build
    def build(self, input_shape: tuple[int | None, ...]) -> None:
        input_dim = input_shape[-1]
        width = self.num_gates * self.units
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(self.units, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=self._bias_shape(),
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def _bias_shape(self) -> tuple[int, ...]:
        return (self.num_gates * self.units,)

    def _bias_initializer(self) -> Callable[..., Any]:
        return self.bias_initializer

    # ------------------------------------------------------------ one step
    def _input_bias(self) -> Tensor | None:
        return self.bias

    def _project(self, inputs: Tensor) -> Tensor:
        """`inputs @ kernel + bias` for one step or all steps at once."""
        projected = torch.matmul(inputs, self.kernel)  # (..., num_gates * units)
        bias = self._input_bias()
        return projected if bias is None else projected + bias

    def _step(
        self, projected: Tensor, states: list[Tensor], recurrent_mask: Tensor | None
    ) -> tuple[Tensor, list[Tensor]]:
        raise NotImplementedError

    def call(
        self, inputs: Tensor, states: Any, training: bool | None = None
    ) -> tuple[Tensor, Any]:
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        if training and 0 < self.dropout < 1:
            inputs = inputs * self.get_dropout_mask(inputs)
        recurrent_mask = None
        if training and 0 < self.recurrent_dropout < 1:
            recurrent_mask = self.get_recurrent_dropout_mask(states[0])
        return self._step(self._project(inputs), states, recurrent_mask)

    def _loop_parts(self, sequences: Tensor, training: bool):
        """Projected inputs of all steps `(batch, time, gates)`, and the step."""
        if training and 0 < self.dropout < 1:
            keep = _dropout_mask(sequences[:, 0], self.dropout)  # (batch, features)
            sequences = sequences * keep[:, None, :]
        recurrent_mask = None
        if training and 0 < self.recurrent_dropout < 1:
            shape_like = sequences.new_empty(sequences.shape[0], self.units)
            recurrent_mask = _dropout_mask(shape_like, self.recurrent_dropout)

        def step(projected: Tensor, states: list[Tensor]):
            return self._step(projected, states, recurrent_mask)

        return self._project(sequences), step

    # -------------------------------------------------------- dropout masks
    def get_dropout_mask(self, step_input: Tensor) -> Tensor:
        """The input dropout mask of the current sequence, drawn on first use."""
        if self._dropout_mask is None:
            self._dropout_mask = _dropout_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, state: Tensor) -> Tensor:
        """The recurrent dropout mask of the current sequence."""
        if self._recurrent_dropout_mask is None:
            self._recurrent_dropout_mask = _dropout_mask(state, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        """Forgets the cached masks; an `RNN` calls it after each sequence."""
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    def get_initial_state(self, batch_size: int) -> list[Tensor]:
        sizes = self.state_size
        sizes = [sizes] if isinstance(sizes, int) else sizes
        return [torch.zeros(batch_size, size, dtype=self._dtype) for size in sizes]

    # ----------------------------------------------------------------- config
    def get_config(self) -> dict[str, Any]:
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


def _dropout_mask(like: Tensor, rate: float) -> Tensor:
    """Scaled keep-mask of `like`'s shape: `0` or `1 / (1 - rate)`."""
    return scaled_keep_mask(like.shape, rate, like)
