"""`BaseConvTranspose`: the transposed convolution behind `Conv*DTranspose`."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.convolutional import _spatial
from lamina.layers.convolutional._kernel_layer import KernelLayer
from lamina.layers.convolutional._kernel_layer import check_positive

Shape = tuple[int | None, ...]

_CONV_TRANSPOSE_FUNCTIONS = {
    1: F.conv_transpose1d,
    2: F.conv_transpose2d,
    3: F.conv_transpose3d,
}


class BaseConvTranspose(KernelLayer):
    """N-D transposed convolution (the gradient of a convolution).

    The kernel is stored in Keras's layout `(*kernel_size, filters,
    in_channels)`. Output sizes follow Keras: with `padding="same"` each
    spatial size becomes `size * stride`, with `"valid"`
    `(size - 1) * stride + max(dilated_kernel, stride)`; `output_padding`
    overrides the extra cells added after.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        filters: Positive int, number of output channels.
        kernel_size: Int or tuple of `rank` ints, the window size.
        strides: Int or tuple of `rank` ints. Defaults to `1`.
        padding: `"valid"` or `"same"`. Defaults to `"valid"`.
        output_padding: Int or tuple of `rank` ints, each smaller than its
            stride, or `None` to derive it. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints. Defaults to `1`.
        activation, use_bias, kernel_*, bias_*, activity_regularizer: As in
            `Conv2D`.
    """

    kernel_must_fit_input = False

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        output_padding: Any = None,
        data_format: str | None = None,
        dilation_rate: Any = 1,
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
        owner = type(self).__name__
        check_positive(owner, "filters", filters)
        if output_padding is not None:
            output_padding = _spatial.standardize_tuple(
                owner, output_padding, rank, "output_padding", allow_zero=True
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
        if output_padding is not None and any(
            extra >= stride
            for extra, stride in zip(output_padding, self.strides, strict=True)
        ):
            raise ValueError(
                f"{owner} expected each output_padding to be smaller than its "
                f"stride, but received output_padding={output_padding} and "
                f"strides={self.strides}. Lower output_padding or raise strides."
            )
        self.filters = filters
        self.output_padding = output_padding
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build(self, input_shape: Shape) -> None:
        _spatial.check_rank(self, input_shape, self.rank, self.data_format)
        channels = _spatial.channel_count(input_shape, self.data_format)
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) needs a known "
                f"channel axis, but received input shape {tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self._add_bias_weight(self.filters)

    def _crops(self) -> list[tuple[int, int]]:
        """Cells to cut `(before, after)` from PyTorch's full output per axis.

        Negative amounts are cells to add. Follows Keras's rule (as in its
        JAX backend), which equals TensorFlow's `conv2d_transpose`.
        """
        crops = []
        for axis, (size, rate) in enumerate(
            zip(self.kernel_size, self.dilation_rate, strict=True)
        ):
            kernel = (size - 1) * rate + 1
            stride = self.strides[axis]
            extra = None if self.output_padding is None else self.output_padding[axis]
            if self.padding == "valid":
                extra = max(kernel, stride) - kernel if extra is None else extra
                before, after = kernel - 1, kernel - 1 + extra
            else:
                total = stride + kernel - 2
                if extra is not None:
                    total = kernel + kernel % 2 - 2 + extra
                before = min(total // 2 + total % 2, kernel - 1)
                after = total - before
            crops.append((kernel - 1 - before, kernel - 1 - after))
        return crops

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self._check_input(inputs, self.kernel.shape[-1])
        rank = self.rank
        weight = self.kernel.permute(rank + 1, rank, *range(rank))  # (in, out, *k)
        channels_first = _spatial.to_channels_first(inputs, self.data_format)
        crops = self._crops()
        # PyTorch cuts `padding` cells on both sides and adds `output_padding`
        # after; the asymmetric rest is sliced off below.
        padding = [min(before, max(after, 0)) for before, after in crops]
        output_padding = [max(-after, 0) for _, after in crops]
        outputs = _CONV_TRANSPOSE_FUNCTIONS[rank](
            channels_first,
            weight,
            self.bias,
            self.strides,
            padding,
            output_padding,
            1,
            self.dilation_rate,
        )  # (batch, filters, *full_spatial)
        slices = [
            slice(before - cut, outputs.shape[axis + 2] - (max(after, 0) - cut))
            for axis, ((before, after), cut) in enumerate(
                zip(crops, padding, strict=True)
            )
        ]
        outputs = outputs[(slice(None), slice(None), *slices)]  # (batch, f, *out)
        outputs = _spatial.from_channels_first(outputs, self.data_format)
        return self.activation(outputs)

    def get_config(self) -> dict[str, Any]:
        config = {
            "filters": self.filters,
            "output_padding": self.output_padding,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
        }
        return {**super().get_config(), **self._common_config(), **config}
