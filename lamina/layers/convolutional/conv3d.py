"""`Conv3D`: 3-D (volumetric) convolution."""

from typing import Any

from lamina.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3-D convolution over volumes or videos.

    Args:
        filters: Positive int, number of output channels.
        kernel_size: Int or tuple of 3 ints, the window size.
        strides: Int or tuple of 3 ints. Defaults to `1`.
        padding: `"valid"` (none) or `"same"` (TensorFlow's rule: the odd
            cell goes after). Defaults to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        dilation_rate: Int or tuple of 3 ints; strides and dilation cannot
            both exceed 1. Defaults to `1`.
        groups: Positive int dividing the input channels and `filters`; each
            group of inputs is convolved with its own `filters // groups`
            filters. Defaults to `1`.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a bias vector. Defaults to `True`.
        kernel_initializer: Initializer of the kernel, stored as
            `(kd1, kd2, kd3, in_channels // groups, filters)`. Defaults to
            `"glorot_uniform"`.
        bias_initializer: Initializer of the `(filters,)` bias. Defaults to
            `"zeros"`.
        kernel_regularizer: Regularizer of the kernel. Defaults to `None`.
        bias_regularizer: Regularizer of the bias. Defaults to `None`.
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        kernel_constraint: Constraint on the kernel. Defaults to `None`.
        bias_constraint: Constraint on the bias. Defaults to `None`.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or with `channels_first`
        `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, new_dim1, new_dim2, new_dim3, filters)`, or with `channels_first`
        `(batch, filters, new_dim1, new_dim2, new_dim3)`.
        With `padding="same"` each new size is `ceil(size / stride)`.

    Example:
    >>> import torch
    >>> tuple(Conv3D(8, 3)(torch.ones(2, 5, 6, 7, 3)).shape)
    (2, 3, 4, 5, 8)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1, 1),
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
            3,
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
