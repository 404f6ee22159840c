"""`BaseDepthwiseConv`: per-channel convolution behind `DepthwiseConv*D`."""

from typing import Any

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional import _spatial
from lamina.layers.convolutional._kernel_layer import KernelLayer
from lamina.layers.convolutional._kernel_layer import check_positive

Shape = tuple[int | None, ...]


class BaseDepthwiseConv(KernelLayer):
    """Convolves each input channel with its own `depth_multiplier` filters.

    The kernel is stored in Keras's layout `(*kernel_size, in_channels,
    depth_multiplier)`; output channel `c * depth_multiplier + m` comes from
    input channel `c` and filter `m`, as in Keras.

    Args:
        rank: Number of spatial axes (1 or 2).
        kernel_size: Int or tuple of `rank` ints, the window size.
        strides: Int or tuple of `rank` ints. Defaults to `1`.
        padding: `"valid"` or `"same"`. Defaults to `"valid"`.
        depth_multiplier: Positive int, filters per input channel. Defaults
            to `1`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints. Defaults to `1`.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a `(in_channels * depth_multiplier,)` bias.
            Defaults to `True`.
        depthwise_initializer: Defaults to `"glorot_uniform"`.
        bias_initializer: Defaults to `"zeros"`.
        depthwise_regularizer: Defaults to `None`.
        bias_regularizer: Defaults to `None`.
        activity_regularizer: Defaults to `None`.
        depthwise_constraint: Defaults to `None`.
        bias_constraint: Defaults to `None`.
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
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
        check_positive(type(self).__name__, "depth_multiplier", depth_multiplier)
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
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build(self, input_shape: Shape) -> None:
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self._add_bias_weight(channels * self.depth_multiplier)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        channels = self.kernel.shape[-2]
        self._check_input(inputs, channels)
        weight = depthwise_weight(self.kernel)  # (in * multiplier, 1, *k)
        channels_first = _spatial.to_channels_first(inputs, self.data_format)
        outputs = self._convolve(channels_first, weight, self.bias, channels)
        outputs = _spatial.from_channels_first(outputs, self.data_format)
        return self.activation(outputs)

    def get_config(self) -> dict[str, Any]:
        config = {
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
        }
        return {**super().get_config(), **self._common_config(), **config}


def depthwise_weight(kernel: torch.Tensor) -> torch.Tensor:
    """Keras's `(*k, in, multiplier)` kernel as PyTorch's grouped weight view."""
    rank = kernel.ndim - 2
    flat = kernel.reshape(*kernel.shape[:rank], 1, -1)  # (*k, 1, in * multiplier)
    return flat.permute(rank + 1, rank, *range(rank))  # (in * multiplier, 1, *k)
