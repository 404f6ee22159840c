"""`BaseSeparableConv`: depthwise then pointwise convolution."""

from typing import Any

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional import _spatial
from lamina.layers.convolutional._kernel_layer import CONV_FUNCTIONS
from lamina.layers.convolutional._kernel_layer import KernelLayer
from lamina.layers.convolutional._kernel_layer import check_positive
from lamina.layers.convolutional.base_depthwise_conv import depthwise_weight

Shape = tuple[int | None, ...]


class BaseSeparableConv(KernelLayer):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution.

    Weights in Keras's layout and order: `depthwise_kernel` `(*kernel_size,
    in_channels, depth_multiplier)`, `pointwise_kernel` `(*ones,
    in_channels * depth_multiplier, filters)`, then `bias` `(filters,)`.
    Strides, padding and dilation apply to the depthwise step.

    Args:
        rank: Number of spatial axes (1 or 2).
        depth_multiplier: Positive int, depthwise filters per input channel.
        filters: Positive int, number of output channels.
        kernel_size: Int or tuple of `rank` ints, the depthwise window size.
        strides, padding, data_format, dilation_rate, activation, use_bias:
            As in `Conv2D` (padding `"valid"` or `"same"`).
        depthwise_initializer, pointwise_initializer: Default to
            `"glorot_uniform"`.
        bias_initializer: Defaults to `"zeros"`.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
        activity_regularizer, depthwise_constraint, pointwise_constraint,
        bias_constraint: Default to `None`.
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
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
        owner = type(self).__name__
        check_positive(owner, "depth_multiplier", depth_multiplier)
        check_positive(owner, "filters", filters)
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
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.depth_multiplier = depth_multiplier
        self.filters = filters
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape: Shape) -> None:
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(*(1,) * self.rank, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self._add_bias_weight(self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        channels = self.depthwise_kernel.shape[-2]
        self._check_input(inputs, channels)
        rank = self.rank
        depthwise = depthwise_weight(self.depthwise_kernel)  # (in * m, 1, *k)
        pointwise = self.pointwise_kernel.permute(rank + 1, rank, *range(rank))
        channels_first = _spatial.to_channels_first(inputs, self.data_format)
        hidden = self._convolve(channels_first, depthwise, None, channels)
        outputs = CONV_FUNCTIONS[rank](hidden, pointwise, self.bias)  # (batch, f, ...)
        outputs = _spatial.from_channels_first(outputs, self.data_format)
        return self.activation(outputs)

    def get_config(self) -> dict[str, Any]:
        config = {
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
        }
        return {**super().get_config(), **self._common_config(), **config}
