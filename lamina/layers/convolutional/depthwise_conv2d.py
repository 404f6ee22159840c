"""`DepthwiseConv2D`: 2-D depthwise convolution."""

from typing import Any

from lamina.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution over images.

    Each input channel is convolved with its own `depth_multiplier` filters;
    channels never mix. Output channel `c * depth_multiplier + m` comes from
    input channel `c`.

    Args:
        kernel_size: Int or tuple of 2 ints, the window size.
        strides: Int or tuple of 2 ints. Defaults to `1`.
        padding: `"valid"` or `"same"` (TensorFlow's rule: the odd cell goes
            after). Defaults to `"valid"`.
        depth_multiplier: Positive int, filters per input channel. Defaults
            to `1`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        dilation_rate: Int or tuple of 2 ints. Defaults to `1`.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a `(channels * depth_multiplier,)` bias.
            Defaults to `True`.
        depthwise_initializer: Initializer of the kernel, stored as
            `(kh, kw, channels, depth_multiplier)`. Defaults to `"glorot_uniform"`.
        bias_initializer: Defaults to `"zeros"`.
        depthwise_regularizer: Regularizer of the kernel. Defaults to `None`.
        bias_regularizer: Regularizer of the bias. Defaults to `None`.
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        depthwise_constraint: Constraint on the kernel. Defaults to `None`.
        bias_constraint: Constraint on the bias. Defaults to `None`.

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        `(batch, new_height, new_width, new_channels)`, or with `channels_first`
        `(batch, new_channels, new_height, new_width)`.
        Here `new_channels = channels * depth_multiplier`.

    Example:
    >>> import torch
    >>> tuple(DepthwiseConv2D(3, depth_multiplier=2)(torch.ones(2, 8, 8, 3)).shape)
    (2, 6, 6, 6)
    """

    def __init__(
        self,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            depth_multiplier,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
