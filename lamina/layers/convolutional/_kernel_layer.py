"""`KernelLayer`: what every convolution family shares.

Stores and validates the spatial arguments (`kernel_size`, `strides`,
`padding`, `data_format`, `dilation_rate`), the activation and the bias
settings; checks inputs; runs PyTorch's `conv{1,2,3}d` with TensorFlow's
padding rules.
"""

from typing import Any

import torch
import torch.nn.functional as F

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer

Shape = tuple[int | None, ...]

CONV_FUNCTIONS = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


class KernelLayer(Layer):
    """Base of the convolution layers; not used directly.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        kernel_size: Int or tuple of `rank` ints, the window size.
        strides: Int or tuple of `rank` ints. Defaults to `1`.
        padding: `"valid"`, `"same"` (TensorFlow's rule: extra cell after) or,
            where allowed, `"causal"`. Defaults to `"valid"`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints. Defaults to `1`.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a bias vector. Defaults to `True`.
        bias_initializer: Initializer of the bias. Defaults to `"zeros"`.
        bias_regularizer: Regularizer of the bias. Defaults to `None`.
        bias_constraint: Constraint on the bias. Defaults to `None`.
    """

    paddings: tuple[str, ...] = ("valid", "same")
    # A transposed convolution grows its input, so any kernel size fits.
    kernel_must_fit_input = True

    def __init__(
        self,
        rank: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        bias_initializer: Any = "zeros",
        bias_regularizer: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        kernel_size = _spatial.standardize_tuple(
            owner, kernel_size, rank, "kernel_size"
        )
        strides = _spatial.standardize_tuple(owner, strides, rank, "strides")
        dilation_rate = _spatial.standardize_tuple(
            owner, dilation_rate, rank, "dilation_rate"
        )
        padding = _spatial.standardize_padding(owner, padding, self.paddings)
        data_format = standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.rank = rank
        self.kernel_size = kernel_size
        self.strides = strides
        self.dilation_rate = dilation_rate
        self.padding = padding
        self.data_format = data_format
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)

    def _reject_strided_dilation(self) -> None:
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{type(self).__name__} cannot combine strides > 1 with "
                f"dilation_rate > 1, but received strides={self.strides} and "
                f"dilation_rate={self.dilation_rate}. Set one of them to 1."
            )

    # ------------------------------------------------------------------ shapes
    def _input_channels(self, input_shape: Shape) -> int:
        """Checks a build-time shape and returns its channel count."""
        _spatial.check_rank(self, input_shape, self.rank, self.data_format)
        channels = _spatial.channel_count(input_shape, self.data_format)
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) needs a known "
                f"channel axis, but received input shape {tuple(input_shape)}. "
                f"Give the Input a fixed number of channels "
                f"{_spatial.describe_layout(self.rank, self.data_format)}."
            )
        if self.padding == "valid":
            _spatial.check_window_fits(
                self,
                _spatial.spatial_shape(input_shape, self.data_format),
                self._effective_kernel_size(),
                "kernel (dilated)" if max(self.dilation_rate) > 1 else "kernel",
            )
        return channels

    def _effective_kernel_size(self) -> tuple[int, ...]:
        return tuple(
            (size - 1) * rate + 1
            for size, rate in zip(self.kernel_size, self.dilation_rate, strict=True)
        )

    def _check_input(self, inputs: torch.Tensor, channels: int) -> None:
        """Call-time check: rank, channel count and window size."""
        shape = tuple(inputs.shape)
        _spatial.check_rank(self, shape, self.rank, self.data_format)
        received = _spatial.channel_count(shape, self.data_format)
        if received != channels:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) was built for "
                f"inputs with {channels} channels (input shape "
                f"{self._build_shapes}), but received input shape "
                f"{(None, *shape[1:])} with {received} channels. With "
                f"data_format='{self.data_format}' the channel axis is "
                f"{'last' if self.data_format == 'channels_last' else 'axis 1'}."
            )
        if self.padding == "valid" and self.kernel_must_fit_input:
            _spatial.check_window_fits(
                self,
                _spatial.spatial_shape(shape, self.data_format),
                self._effective_kernel_size(),
                "kernel",
            )

    # ----------------------------------------------------------------- compute
    def _add_bias_weight(self, size: int) -> None:
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(size,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def _convolve(
        self,
        inputs: torch.Tensor,
        weight: torch.Tensor,
        bias: torch.Tensor | None,
        groups: int,
    ) -> torch.Tensor:
        """Convolves a channels-first tensor with a PyTorch-layout weight."""
        torch_padding: Any = 0
        if self.padding == "causal":
            left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
            inputs = _spatial.pad_spatial(inputs, [(left, 0)])  # (batch, c, steps)
        elif self.padding == "same":
            amounts = _spatial.same_padding(
                tuple(inputs.shape[2:]),
                self.kernel_size,
                self.strides,
                self.dilation_rate,
            )
            if all(before == after for before, after in amounts):
                torch_padding = [before for before, _ in amounts]
            else:  # PyTorch pads both sides alike; TensorFlow pads more after
                inputs = _spatial.pad_spatial(inputs, amounts)
        conv = CONV_FUNCTIONS[self.rank]
        return conv(
            inputs,
            weight,
            bias,
            self.strides,
            torch_padding,
            self.dilation_rate,
            groups,
        )  # (batch, out_channels, *output_spatial)

    # ------------------------------------------------------------------ config
    def _common_config(self) -> dict[str, Any]:
        return {
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


def check_positive(owner: str, name: str, value: Any) -> None:
    """Raises unless `value` is a positive int."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"{owner} expected {name} to be a positive integer, but received "
            f"{name}={value!r}. Pass e.g. {owner}({name}=32, ...)."
        )
