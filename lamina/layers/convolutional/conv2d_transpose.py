"""`Conv2DTranspose`: 2-D transposed convolution."""

from typing import Any

from lamina.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution, e.g. to upsample images in a decoder.

    Also called a deconvolution: it maps each input cell to a window of the
    output, growing the spatial size by about `strides`.

    Args:
        filters: Positive int, number of output channels.
        kernel_size: Int or tuple of 2 ints, the window size.
        strides: Int or tuple of 2 ints. Defaults to `1`.
        padding: `"valid"` or `"same"`. Defaults to `"valid"`.
        output_padding: Int or tuple of 2 ints, extra cells after each
            spatial axis, each smaller than its stride; `None` derives it.
            Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        dilation_rate: Int or tuple of 2 ints. Defaults to `1`.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a `(filters,)` bias. Defaults to `True`.
        kernel_initializer: Initializer of the kernel, stored as
            `(kh, kw, filters, in_channels)`. Defaults to `"glorot_uniform"`.
        bias_initializer: Defaults to `"zeros"`.
        kernel_regularizer: Regularizer of the kernel. Defaults to `None`.
        bias_regularizer: Regularizer of the bias. Defaults to `None`.
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        kernel_constraint: Constraint on the kernel. Defaults to `None`.
        bias_constraint: Constraint on the bias. Defaults to `None`.

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        `(batch, new_height, new_width, filters)`, or with `channels_first`
        `(batch, filters, new_height, new_width)`.
        With `padding="same"` each new size is `size * stride`; with
        `"valid"` it is `(size - 1) * stride + max(dilated_kernel, stride)`.

    Example:
    >>> import torch
    >>> tuple(Conv2DTranspose(8, 3, strides=2, padding="same")(
    ...     torch.ones(2, 7, 7, 4)).shape)
    (2, 14, 14, 8)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        output_padding: Any = None,
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
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
            2,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
