"""`BaseConv`: the N-D convolution behind `Conv1D`, `Conv2D` and `Conv3D`."""

from typing import Any

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers._unsupported_options import check_lora_off
from lamina.layers.convolutional import _spatial
from lamina.layers.convolutional._kernel_layer import KernelLayer
from lamina.layers.convolutional._kernel_layer import check_positive

Shape = tuple[int | None, ...]


class BaseConv(KernelLayer):
    """N-D convolution: `output = activation(conv(inputs, kernel) + bias)`.

    The kernel is stored in Keras's layout `(*kernel_size, in_channels //
    groups, filters)` and fed to PyTorch through a permuted view; inputs in
    `channels_last` reach PyTorch as a zero-copy `channels_last` view.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        filters: Positive int, number of output channels.
        kernel_size: Int or tuple of `rank` ints, the window size.
        strides: Int or tuple of `rank` ints. Defaults to `1`.
        padding: `"valid"`, `"same"` or (1-D only) `"causal"`. Defaults to
            `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints. Defaults to `1`.
        groups: Positive int dividing both the input channels and `filters`.
            Defaults to `1`.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a bias vector. Defaults to `True`.
        kernel_initializer: Defaults to `"glorot_uniform"`.
        bias_initializer: Defaults to `"zeros"`.
        kernel_regularizer: Defaults to `None`.
        bias_regularizer: Defaults to `None`.
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        kernel_constraint: Defaults to `None`.
        bias_constraint: Defaults to `None`.
        lora_rank: Keras's LoRA rank; lamina accepts only `None` (no LoRA).
        lora_alpha: Keras's LoRA scale; ignored while `lora_rank` is `None`.
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
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        check_lora_off(owner, lora_rank)
        check_positive(owner, "filters", filters)
        check_positive(owner, "groups", groups)
        if filters % groups:
            raise ValueError(
                f"{owner} expected filters to be divisible by groups, but "
                f"received filters={filters} and groups={groups}. Pick filters "
                f"as a multiple of groups."
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
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self._reject_strided_dilation()
        self.filters = filters
        self.groups = groups
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build(self, input_shape: Shape) -> None:
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) has groups="
                f"{self.groups}, which must divide the input's {channels} "
                f"channels (input shape {tuple(input_shape)}). Change groups or "
                f"the number of input channels."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self._add_bias_weight(self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self._check_input(inputs, self.kernel.shape[-2] * self.groups)
        rank = self.rank
        weight = self.kernel.permute(rank + 1, rank, *range(rank))  # (out, in, *k)
        channels_first = _spatial.to_channels_first(inputs, self.data_format)
        outputs = self._convolve(channels_first, weight, self.bias, self.groups)
        outputs = _spatial.from_channels_first(outputs, self.data_format)
        return self.activation(outputs)

    def get_config(self) -> dict[str, Any]:
        config = {
            "filters": self.filters,
            "groups": self.groups,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
        }
        return {**super().get_config(), **self._common_config(), **config}
