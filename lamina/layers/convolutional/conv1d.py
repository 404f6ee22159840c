"""`Conv1D`: 1-D (temporal) convolution."""

from typing import Any

from lamina.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """1-D convolution over steps, e.g. of a sequence or signal.

    Args:
        filters: Positive int, number of output channels.
        kernel_size: Int or tuple of 1 ints, the window size.
        strides: Int or tuple of 1 ints. Defaults to `1`.
        padding: `"valid"` (none), `"same"` (TensorFlow's rule, the odd
            cell after) or `"causal"` (`output[t]` sees only `inputs[:t + 1]`). Defaults
            to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        dilation_rate: Int or tuple of 1 ints; strides and dilation cannot
            both exceed 1. Defaults to `1`.
        groups: Positive int dividing the input channels and `filters`; each
            group of inputs is convolved with its own `filters // groups`
            filters. Defaults to `1`.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a bias vector. Defaults to `True`.
        kernel_initializer: Initializer of the kernel, stored as
            `(kernel_size, in_channels // groups, filters)`. Defaults to
            `"glorot_uniform"`.
        bias_initializer: Initializer of the `(filters,)` bias. Defaults to
            `"zeros"`.
        kernel_regularizer: Regularizer of the kernel. Defaults to `None`.
        bias_regularizer: Regularizer of the bias. Defaults to `None`.
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        kernel_constraint: Constraint on the kernel. Defaults to `None`.
        bias_constraint: Constraint on the bias. Defaults to `None`.

    Input shape:
        `(batch, steps, channels)`, or with `channels_first`
        `(batch, channels, steps)`.

    Output shape:
        `(batch, new_steps, filters)`, or with `channels_first`
        `(batch, filters, new_steps)`.
        With `padding="same"` each new size is `ceil(size / stride)`.

    Example:
    >>> import torch
    >>> tuple(Conv1D(8, 3)(torch.ones(2, 10, 4)).shape)
    (2, 8, 8)
    """

    paddings = ("valid", "same", "causal")

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
