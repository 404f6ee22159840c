"""`ConvLSTMCell`: one step of a convolutional LSTM (Shi et al., 2015)."""

from typing import Any

import torch

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional import _spatial
from lamina.layers.convolutional._kernel_layer import CONV_FUNCTIONS
from lamina.layers.convolutional._kernel_layer import KernelLayer
from lamina.layers.convolutional._kernel_layer import check_positive
from lamina.layers.regularization.dropout import scaled_keep_mask

Tensor = torch.Tensor
Shape = tuple[int | None, ...]


class ConvLSTMCell(KernelLayer):
    """One step of a ConvLSTM; `ConvLSTM1D/2D/3D` run it over a sequence.

    An LSTM whose input and recurrent transformations are convolutions.
    With gates in Keras's order i, f, c, o:
    `z = conv(inputs, kernel) + bias + conv_same(h, recurrent_kernel)`,
    `c = f * c + i * activation(z_c)`, `h = o * activation(c)`, where i, f
    and o are `recurrent_activation` of their part of `z`. The recurrent
    convolution always uses `padding="same"`, stride 1 and no dilation, so
    the states keep the spatial size of the input convolution's output.

    Dropout draws four masks per sequence (one per gate) shaped like a step
    of the input (`dropout`) or like `h` (`recurrent_dropout`), as Keras
    does; a masked copy per gate is convolved as one grouped convolution.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        filters: Positive int, channels of the output and the states.
        kernel_size: Int or tuple of `rank` ints, the window of both kernels.
        strides: Int or tuple of `rank` ints of the input convolution.
            Defaults to `1`.
        padding: `"valid"` or `"same"` for the input convolution. Defaults
            to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints of the input convolution.
            Defaults to `1`.
        activation: Activation of the candidate and the output. Defaults to
            `"tanh"`.
        recurrent_activation: Activation of the gates. Defaults to
            `"sigmoid"`.
        use_bias: Whether to add a bias. Defaults to `True`.
        kernel_initializer: Initializer of `kernel (*kernel_size, channels,
            4 * filters)`. Defaults to `"glorot_uniform"`.
        recurrent_initializer: Initializer of `recurrent_kernel
            (*kernel_size, filters, 4 * filters)`. Defaults to `"orthogonal"`.
        bias_initializer: Initializer of `bias (4 * filters,)`. Defaults to
            `"zeros"`.
        unit_forget_bias: Whether to add 1 to the forget gate's bias at
            initialization. Defaults to `True`.
        kernel_regularizer: Defaults to `None`.
        recurrent_regularizer: Defaults to `None`.
        bias_regularizer: Defaults to `None`.
        kernel_constraint: Defaults to `None`.
        recurrent_constraint: Defaults to `None`.
        bias_constraint: Defaults to `None`.
        dropout: Float in [0, 1], fraction of the inputs to drop. Defaults to
            `0.0`.
        recurrent_dropout: Float in [0, 1], fraction of `h` to drop. Defaults
            to `0.0`.
        seed: Accepted for Keras compatibility; use
            `lamina.utils.set_random_seed` for reproducible masks.

    Input shape:
        One time step `(batch, *spatial, channels)` (or channels first), and
        the states `[h, c]`.

    Output shape:
        `h` `(batch, *output_spatial, filters)`, and the new states `[h, c]`.

    Example:
    >>> cell = ConvLSTMCell(2, 4, 3, padding="same")
    >>> x = torch.ones(2, 5, 5, 3)
    >>> cell.build(x.shape)
    >>> h, (h, c) = cell(x, cell.get_initial_state(2))
    >>> tuple(h.shape), tuple(c.shape)
    ((2, 5, 5, 4), (2, 5, 5, 4))
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
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
        check_conv_lstm_arguments(
            type(self).__name__, rank, filters, dropout, recurrent_dropout
        )
        super().__init__(
            rank,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self._reject_strided_dilation()
        self.filters = filters
        self.recurrent_activation = activations.get(recurrent_activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self._channel_axis = -1 if self.data_format == "channels_last" else 1
        self._input_masks: list[Tensor] | None = None
        self._recurrent_masks: list[Tensor] | None = None

    @property
    def state_size(self) -> list[int]:
        return [self.filters, self.filters]

    @property
    def output_size(self) -> int:
        return self.filters

    # ------------------------------------------------------------------ build
    def build(self, input_shape: Shape) -> None:
        channels = self._input_channels(input_shape)
        spatial = _spatial.spatial_shape(input_shape, self.data_format)
        if None in spatial:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) needs fixed spatial "
                f"sizes, but received input shape {tuple(input_shape)}. Give the "
                f"Input a fixed shape for every axis but batch and time."
            )
        self.output_spatial = self._output_spatial(spatial)
        self._recurrent_padding = _spatial.same_padding(
            self.output_spatial, self.kernel_size, (1,) * self.rank
        )
        width = 4 * self.filters
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, channels, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(*self.kernel_size, self.filters, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(width,),
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def _output_spatial(self, spatial: tuple[int, ...]) -> tuple[int, ...]:
        if self.padding == "same":
            return tuple(
                -(-size // stride)
                for size, stride in zip(spatial, self.strides, strict=True)
            )
        return tuple(
            (size - window) // stride + 1
            for size, window, stride in zip(
                spatial, self._effective_kernel_size(), self.strides, strict=True
            )
        )

    def _bias_initializer(self) -> Any:
        if not self.unit_forget_bias:
            return self.bias_initializer
        base = self.bias_initializer
        filters = self.filters

        def bias_initializer(shape: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
            parts = [
                torch.as_tensor(base((filters,), dtype=dtype)),
                torch.ones(filters, dtype=dtype),
                torch.as_tensor(base((2 * filters,), dtype=dtype)),
            ]
            return torch.cat(parts)  # forget gate starts at bias + 1

        return bias_initializer

    def state_shape(self, batch_size: int) -> tuple[int, ...]:
        """Shape of `h` and `c` for `batch_size` sequences."""
        if self.data_format == "channels_last":
            return (batch_size, *self.output_spatial, self.filters)
        return (batch_size, self.filters, *self.output_spatial)

    def get_initial_state(self, batch_size: int) -> list[Tensor]:
        shape = self.state_shape(batch_size)
        return [torch.zeros(shape, dtype=self._dtype) for _ in range(2)]

    # -------------------------------------------------------------- compute
    def _project(self, sequences: Tensor, masks: list[Tensor] | None) -> Tensor:
        """The input convolution of all steps of `(batch, time, ...)` at once."""
        batch, steps = sequences.shape[:2]
        folded = sequences.reshape(batch * steps, *sequences.shape[2:])  # (b * t, ...)
        inputs = _spatial.to_channels_first(folded, self.data_format)  # (b * t, c, ...)
        weight = _torch_kernel(self.kernel, self.rank)  # (4 * filters, in, *k)
        groups = 1
        if masks is not None:
            inputs = _masked_copies(inputs, masks, batch, self.data_format)
            groups = 4
        projected = self._convolve(inputs, weight, self.bias, groups)  # (b*t, 4f, ..)
        projected = _spatial.from_channels_first(projected, self.data_format)
        return projected.reshape(batch, steps, *projected.shape[1:])  # (b, t, ...)

    def _recurrent(self, h: Tensor, masks: list[Tensor] | None) -> Tensor:
        """`conv_same(h, recurrent_kernel)`, per gate on masked `h` if given."""
        inputs = _spatial.to_channels_first(h, self.data_format)  # (batch, f, ...)
        weight = _torch_kernel(self.recurrent_kernel, self.rank)  # (4f, f, *k)
        groups = 1
        if masks is not None:
            inputs = _masked_copies(inputs, masks, inputs.shape[0], self.data_format)
            groups = 4
        padding: Any = [before for before, _ in self._recurrent_padding]
        if any(before != after for before, after in self._recurrent_padding):
            inputs = _spatial.pad_spatial(inputs, self._recurrent_padding)
            padding = 0
        convolve = CONV_FUNCTIONS[self.rank]
        outputs = convolve(inputs, weight, None, 1, padding, 1, groups)  # (b, 4f, ...)
        return _spatial.from_channels_first(outputs, self.data_format)

    def _step(
        self, projected: Tensor, states: list[Tensor], masks: list[Tensor] | None
    ) -> tuple[Tensor, list[Tensor]]:
        h, c = states
        z = projected + self._recurrent(h, masks)  # (batch, ..., 4 * filters)
        z_i, z_f, z_c, z_o = z.chunk(4, dim=self._channel_axis)
        gate = self.recurrent_activation
        c = gate(z_f) * c + gate(z_i) * self.activation(z_c)
        h = gate(z_o) * self.activation(c)
        return h, [h, c]

    def call(
        self, inputs: Tensor, states: Any, training: bool | None = None
    ) -> tuple[Tensor, list[Tensor]]:
        h, c = states
        input_masks = recurrent_masks = None
        if training and 0 < self.dropout < 1:
            if self._input_masks is None:
                self._input_masks = _draw_masks(inputs, self.dropout)
            input_masks = self._input_masks
        if training and 0 < self.recurrent_dropout < 1:
            if self._recurrent_masks is None:
                self._recurrent_masks = _draw_masks(h, self.recurrent_dropout)
            recurrent_masks = self._recurrent_masks
        projected = self._project(inputs[:, None], input_masks)[:, 0]
        return self._step(projected, [h, c], recurrent_masks)

    def _loop_parts(self, sequences: Tensor, training: bool):
        """Input convolutions of all steps `(batch, time, ...)`, and the step."""
        input_masks = recurrent_masks = None
        if training and 0 < self.dropout < 1:
            input_masks = _draw_masks(sequences[:, 0], self.dropout)
        if training and 0 < self.recurrent_dropout < 1:
            state = sequences.new_empty(self.state_shape(sequences.shape[0]))
            recurrent_masks = _draw_masks(state, self.recurrent_dropout)

        def step(projected: Tensor, states: list[Tensor]):
            return self._step(projected, states, recurrent_masks)

        return self._project(sequences, input_masks), step

    def reset_dropout_mask(self) -> None:
        """Forgets the masks `call` cached; an `RNN` calls it after each sequence."""
        self._input_masks = None
        self._recurrent_masks = None

    # ----------------------------------------------------------------- config
    def get_config(self) -> dict[str, Any]:
        config = {
            "rank": self.rank,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
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


def check_conv_lstm_arguments(
    owner: str, rank: Any, filters: Any, dropout: Any, recurrent_dropout: Any
) -> None:
    """Raises a clear error for a bad rank, filter count or dropout rate."""
    if rank not in (1, 2, 3) or isinstance(rank, bool):
        raise ValueError(
            f"{owner} expected rank to be 1, 2 or 3 (the number of spatial "
            f"axes), but received rank={rank!r}. Use ConvLSTM1D, ConvLSTM2D or "
            f"ConvLSTM3D."
        )
    check_positive(owner, "filters", filters)
    for name, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
        if isinstance(rate, bool) or not isinstance(rate, (int, float)):
            valid = False
        else:
            valid = 0 <= rate <= 1
        if not valid:
            raise ValueError(
                f"{owner} expected {name} to be a float in [0, 1], but received "
                f"{name}={rate!r}."
            )


def _torch_kernel(kernel: Tensor, rank: int) -> Tensor:
    """Keras's `(*k, in, out)` kernel as PyTorch's `(out, in, *k)` view."""
    return kernel.permute(rank + 1, rank, *range(rank))


def _draw_masks(like: Tensor, rate: float) -> list[Tensor]:
    """Four scaled keep-masks shaped like `like`, one per gate."""
    return [scaled_keep_mask(like.shape, rate, like) for _ in range(4)]


def _masked_copies(
    inputs: Tensor, masks: list[Tensor], batch: int, data_format: str
) -> Tensor:
    """`inputs * mask` for each gate's mask, stacked along the channel axis.

    `inputs` is channels-first `(batch * time, channels, *spatial)`; each
    mask is one step `(batch, ...)` in `data_format`, shared by all steps.
    """
    channels_first = [_spatial.to_channels_first(mask, data_format) for mask in masks]
    stacked = torch.cat(channels_first, 1)  # (batch, 4 * channels, *spatial)
    steps = inputs.shape[0] // batch
    per_sequence = inputs.reshape(batch, steps, *inputs.shape[1:])
    repeats = [1, 1, 4] + [1] * (inputs.ndim - 2)
    copies = per_sequence.repeat(repeats) * stacked[:, None]  # (b, t, 4c, ...)
    return copies.reshape(batch * steps, *copies.shape[2:])  # (b * t, 4c, ...)
