"""`ConvLSTM`: the N-D convolutional LSTM behind `ConvLSTM1D/2D/3D`."""

from typing import Any

import torch

from lamina import regularizers
from lamina.layers.convolutional import _spatial
from lamina.layers.recurrent.conv_lstm_cell import ConvLSTMCell
from lamina.layers.recurrent.conv_lstm_cell import check_conv_lstm_arguments
from lamina.layers.recurrent.rnn import RNN

Tensor = torch.Tensor
Shape = tuple[int | None, ...]


class ConvLSTM(RNN):
    """A convolutional LSTM over `(batch, time, *spatial, channels)` inputs.

    Runs a `ConvLSTMCell` over the time axis. The input convolution of all
    time steps runs as one batched convolution before the time loop; the
    loop then only convolves the state. Weights live in the cell in Keras's
    layout (`conv_lstm2d/conv_lstm_cell/kernel`): `kernel (*kernel_size,
    channels, 4 * filters)`, `recurrent_kernel (*kernel_size, filters, 4 *
    filters)`, `bias (4 * filters,)`, gates i, f, c, o.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        filters: Positive int, channels of the output and the states.
        kernel_size: Int or tuple of `rank` ints.
        strides: Defaults to `1`. See `ConvLSTMCell` for this argument and
            the following ones up to `seed`.
        padding: Defaults to `"valid"`.
        data_format: Defaults to the global `image_data_format()`.
        dilation_rate: Defaults to `1`.
        activation: Defaults to `"tanh"`.
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
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        check_conv_lstm_arguments(owner, rank, filters, dropout, recurrent_dropout)
        kernel_size = _spatial.standardize_tuple(
            owner, kernel_size, rank, "kernel_size"
        )
        strides = _spatial.standardize_tuple(owner, strides, rank, "strides")
        dilation_rate = _spatial.standardize_tuple(
            owner, dilation_rate, rank, "dilation_rate"
        )
        padding = _spatial.standardize_padding(owner, padding, ("valid", "same"))
        if max(strides) > 1 and max(dilation_rate) > 1:
            raise ValueError(
                f"{owner} cannot combine strides > 1 with dilation_rate > 1, but "
                f"received strides={strides} and dilation_rate={dilation_rate}. "
                f"Set one of them to 1."
            )
        cell = ConvLSTMCell(
            rank,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.rank = rank
        self._sequence_ndim = rank + 3

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            if name in _CELL_ATTRIBUTES and "cell" in self._modules:
                return getattr(self._modules["cell"], name)
            raise

    # ------------------------------------------------------------------ build
    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        if isinstance(sequences_shape, list) and isinstance(sequences_shape[0], tuple):
            sequences_shape = sequences_shape[0]
        if len(sequences_shape) != self._sequence_ndim:
            raise ValueError(self._rank_message(sequences_shape))
        step_shape = (sequences_shape[0], *sequences_shape[2:])
        spatial = _spatial.spatial_shape(step_shape, self.cell.data_format)
        channels = _spatial.channel_count(step_shape, self.cell.data_format)
        if None in spatial or channels is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) needs fixed sizes "
                f"for every axis but batch and time, but received input shape "
                f"{tuple(sequences_shape)}. Give the Input a full shape "
                f"{self._layout()}."
            )
        if self.cell.padding == "valid":
            _spatial.check_window_fits(
                self, spatial, self.cell._effective_kernel_size(), "kernel"
            )
        super().build(sequences_shape, initial_state_shape)

    def _layout(self) -> str:
        step = _spatial.describe_layout(self.rank, self.cell.data_format)
        return step.replace("(batch, ", "(batch, time, ")

    def _rank_message(self, shape: Any) -> str:
        return (
            f"Layer '{self.name}' ({type(self).__name__}) expects a "
            f"{self._sequence_ndim}-D input {self._layout()}, but received shape "
            f"{tuple(shape)}. Add the missing axis (a time axis, e.g. "
            f"x[:, None], for a single step)."
        )

    # ----------------------------------------------------------------- config
    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype", "rank"):
            cell_config.pop(key, None)
        activity = regularizers.serialize(self.activity_regularizer)
        return {**config, **cell_config, "activity_regularizer": activity}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        return cls(**config)


_CELL_ATTRIBUTES = frozenset(
    {
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "activation",
        "recurrent_activation",
        "use_bias",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "unit_forget_bias",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
    }
)
