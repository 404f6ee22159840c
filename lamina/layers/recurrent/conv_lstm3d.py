"""`ConvLSTM3D`: a convolutional LSTM over sequences of volumes."""

from typing import Any

from lamina.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    """3-D convolutional LSTM (Shi et al., 2015).

    Like `LSTM`, but the input and recurrent transformations are
    3-D convolutions, so the states keep their spatial layout. The input
    convolutions of all time steps run at once before the time loop.

    Args:
        filters: Positive int, channels of the output and the states.
        kernel_size: Int or tuple of 3 ints, the window of the input
            and recurrent convolutions.
        strides: Int or tuple of 3 ints of the input convolution; not
            with `dilation_rate > 1`. Defaults to `1`.
        padding: `"valid"` or `"same"` for the input convolution (the
            recurrent one always uses `"same"`). Defaults to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            the global `image_data_format()`.
        dilation_rate: Int or tuple of 3 ints of the input convolution.
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
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        kernel_constraint: Defaults to `None`.
        recurrent_constraint: Defaults to `None`.
        bias_constraint: Defaults to `None`.
        dropout: Float in [0, 1], fraction of the inputs to drop (four masks
            per sequence, one per gate). Defaults to `0.0`.
        recurrent_dropout: Float in [0, 1], fraction of `h` to drop. Defaults
            to `0.0`.
        seed: Accepted for Keras compatibility; use
            `lamina.utils.set_random_seed` for reproducible masks.
        return_sequences: Whether to return every step's output. Defaults to
            `False`.
        return_state: Whether to also return the final `h` and `c`.
            Defaults to `False`.
        go_backwards: Whether to read the sequence in reverse. Defaults to
            `False`.
        stateful: Whether each batch starts from the previous batch's final
            states. Defaults to `False`.

    Input shape:
        `(batch, time, dim1, dim2, dim3, channels)`, or with `channels_first`
        `(batch, time, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, new_dim1, new_dim2, new_dim3, filters)` (channels first:
        `(batch, filters, new_dim1, new_dim2, new_dim3)`), with a time axis
        after `batch` when `return_sequences`; with `return_state`, followed
        by `h` and `c` of the per-step shape.

    Call arguments:
        sequences: The input.
        initial_state: `[h, c]`, each of the per-step output shape.
        mask: Boolean `(batch, time)`, `False` at steps to skip.
        training: Whether dropout is active.

    Example:
    >>> import torch
    >>> tuple(ConvLSTM3D(4, 3)(torch.ones(2, 5, 5, 5, 5, 3)).shape)
    (2, 3, 3, 3, 4)
    """

    def __init__(
        self,
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
        super().__init__(
            3,
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
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            **kwargs,
        )
