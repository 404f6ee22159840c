"""`SeparableConv2D`: 2-D depthwise-separable convolution."""

from typing import Any

from lamina.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv2D(BaseSeparableConv):
    """2-D depthwise-separable convolution over images.

    A depthwise convolution (each channel alone, `depth_multiplier` filters
    each) followed by a pointwise (1x1) convolution that mixes channels into
    `filters` outputs: fewer weights than a full convolution.

    Args:
        filters: Positive int, number of output channels.
        kernel_size: Int or tuple of 2 ints, the depthwise window size.
        strides: Int or tuple of 2 ints. Defaults to `1`.
        padding: `"valid"` or `"same"` (TensorFlow's rule: the odd cell goes
            after). Defaults to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        dilation_rate: Int or tuple of 2 ints. Defaults to `1`.
        depth_multiplier: Positive int, depthwise filters per input channel.
            Defaults to `1`.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a `(filters,)` bias. Defaults to `True`.
        depthwise_initializer: Initializer of the `(kh, kw, channels, depth_multiplier)`
            depthwise kernel. Defaults to `"glorot_uniform"`.
        pointwise_initializer: Initializer of the `(1, 1, channels * depth_multiplier,
            filters)`
            pointwise kernel. Defaults to `"glorot_uniform"`.
        bias_initializer: Defaults to `"zeros"`.
        depthwise_regularizer: Defaults to `None`.
        pointwise_regularizer: Defaults to `None`.
        bias_regularizer: Defaults to `None`.
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        depthwise_constraint: Defaults to `None`.
        pointwise_constraint: Defaults to `None`.
        bias_constraint: Defaults to `None`.

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        `(batch, new_height, new_width, filters)`, or with `channels_first`
        `(batch, filters, new_height, new_width)`.

    Example:
    >>> import torch
    >>> tuple(SeparableConv2D(8, 3)(torch.ones(2, 8, 8, 3)).shape)
    (2, 6, 6, 8)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            depth_multiplier,
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
