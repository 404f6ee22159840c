"""The MobileNetV3 architecture: inverted residual blocks, hard-swish, SE.

Reference: [Searching for MobileNetV3](https://arxiv.org/abs/1905.02244)
(ICCV 2019).
"""

from collections.abc import Callable
from typing import Any

from lamina.applications._common import build_model
from lamina.applications._common import check_common_arguments
from lamina.applications._common import check_input_tensor
from lamina.applications._common import correct_pad
from lamina.applications._common import global_pooling
from lamina.applications._common import image_input
from lamina.applications._common import validate_activation
from lamina.applications._common import warn_caller
from lamina.backend.config import image_data_format
from lamina.layers.activations.relu import ReLU
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from lamina.layers.core.activation import Activation
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.merging.add import Add
from lamina.layers.merging.multiply import Multiply
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.preprocessing.image.rescaling import Rescaling
from lamina.layers.regularization.dropout import Dropout
from lamina.layers.reshaping.flatten import Flatten
from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamina.models.functional import Functional

Activator = Callable[[KerasTensor], KerasTensor]
# (expansion, filters, kernel (None: the model's), stride, squeeze-excite,
# activation ("relu" or None: the model's)) of each inverted residual block.
SMALL_BLOCKS = (
    (1, 16, 3, 2, True, "relu"),
    (72.0 / 16, 24, 3, 2, False, "relu"),
    (88.0 / 24, 24, 3, 1, False, "relu"),
    (4, 40, None, 2, True, None),
    (6, 40, None, 1, True, None),
    (6, 40, None, 1, True, None),
    (3, 48, None, 1, True, None),
    (3, 48, None, 1, True, None),
    (6, 96, None, 2, True, None),
    (6, 96, None, 1, True, None),
    (6, 96, None, 1, True, None),
)
LARGE_BLOCKS = (
    (1, 16, 3, 1, False, "relu"),
    (4, 24, 3, 2, False, "relu"),
    (3, 24, 3, 1, False, "relu"),
    (3, 40, None, 2, True, "relu"),
    (3, 40, None, 1, True, "relu"),
    (3, 40, None, 1, True, "relu"),
    (6, 80, 3, 2, False, None),
    (2.5, 80, 3, 1, False, None),
    (2.3, 80, 3, 1, False, None),
    (2.3, 80, 3, 1, False, None),
    (6, 112, 3, 1, True, None),
    (6, 112, 3, 1, True, None),
    (6, 160, None, 2, True, None),
    (6, 160, None, 1, True, None),
    (6, 160, None, 1, True, None),
)


def _relu(x: KerasTensor) -> KerasTensor:
    return ReLU()(x)


def _hard_sigmoid(x: KerasTensor) -> KerasTensor:
    # Written with tensor arithmetic, as Keras does, so saved graphs match.
    return ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x: KerasTensor) -> KerasTensor:
    return Activation("hard_swish")(x)


def _depth(value: float, divisor: int = 8) -> int:
    """Rounds `value` to a multiple of `divisor`, losing at most 10%."""
    new_value = max(divisor, int(value + divisor / 2) // divisor * divisor)
    if new_value < 0.9 * value:
        new_value += divisor
    return new_value


def _channel_axis() -> int:
    return 1 if image_data_format() == "channels_first" else -1


def _batch_norm(x: KerasTensor, name: str) -> KerasTensor:
    return BatchNormalization(
        axis=_channel_axis(), epsilon=1e-3, momentum=0.999, name=name
    )(x)


def _se_block(
    inputs: KerasTensor, filters: int, se_ratio: float, prefix: str
) -> KerasTensor:
    """Squeeze-and-excite: channel weights from the pooled features."""
    x = GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs
    )  # (batch, 1, 1, channels)
    x = Conv2D(
        _depth(filters * se_ratio),
        kernel_size=1,
        padding="same",
        name=f"{prefix}squeeze_excite_conv",
    )(x)
    x = ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = Conv2D(
        filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv_1"
    )(x)
    x = _hard_sigmoid(x)
    return Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(
    x: KerasTensor,
    expansion: float,
    filters: int,
    kernel_size: int,
    stride: int,
    se_ratio: float | None,
    activation: Activator,
    block_id: int,
) -> KerasTensor:
    """Expand (1x1), depthwise, optional squeeze-excite, project (1x1)."""
    shortcut = x
    prefix = "expanded_conv_"
    in_filters = x.shape[_channel_axis()]
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = Conv2D(
            _depth(in_filters * expansion),
            kernel_size=1,
            padding="same",
            use_bias=False,
            name=f"{prefix}expand",
        )(x)  # (..., expansion * in_filters)
        x = _batch_norm(x, f"{prefix}expand_bn")
        x = activation(x)
    if stride == 2:
        x = ZeroPadding2D(
            padding=correct_pad(x, kernel_size), name=f"{prefix}depthwise_pad"
        )(x)
    x = DepthwiseConv2D(
        kernel_size,
        strides=stride,
        padding="same" if stride == 1 else "valid",
        use_bias=False,
        name=f"{prefix}depthwise",
    )(x)  # /stride
    x = _batch_norm(x, f"{prefix}depthwise_bn")
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(in_filters * expansion), se_ratio, prefix)
    x = Conv2D(
        filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project"
    )(x)  # (..., filters)
    x = _batch_norm(x, f"{prefix}project_bn")
    if stride == 1 and in_filters == filters:
        x = Add(name=f"{prefix}add")([shortcut, x])
    return x


def _stack(
    x: KerasTensor,
    blocks: tuple[tuple[Any, ...], ...],
    alpha: float,
    minimalistic: bool,
) -> KerasTensor:
    """Runs the table of blocks with the model's kernel, activation and SE ratio."""
    kernel = 3 if minimalistic else 5
    activation = _relu if minimalistic else _hard_swish
    se_ratio = None if minimalistic else 0.25
    for block_id, block in enumerate(blocks):
        expansion, filters, block_kernel, stride, has_se, block_activation = block
        x = _inverted_res_block(
            x,
            expansion,
            _depth(filters * alpha),
            block_kernel or kernel,
            stride,
            se_ratio if has_se else None,
            _relu if block_activation == "relu" else activation,
            block_id,
        )
    return x


def _resolve_input_shape(
    input_shape: tuple[int | None, ...] | None, input_tensor: KerasTensor | None
) -> tuple[int | None, ...]:
    """The input shape, from `input_shape`, `input_tensor` or free sides."""
    channels_first = image_data_format() == "channels_first"
    if input_shape is not None and input_tensor is not None:
        tensor_side = input_tensor.shape[1 if channels_first else 2]
        if tensor_side != input_shape[1]:
            raise ValueError(
                f"MobileNetV3 received input_tensor of shape {input_tensor.shape} "
                f"and input_shape={input_shape}, which disagree. Drop "
                f"input_shape (the tensor's shape is used) or make them match."
            )
    if input_shape is None and input_tensor is not None:
        rows, cols = (
            input_tensor.shape[2:4] if channels_first else input_tensor.shape[1:3]
        )
        # Keras swaps the sides here; only square inputs load published weights.
        input_shape = (3, cols, rows) if channels_first else (cols, rows, 3)
    if input_shape is None:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    return tuple(input_shape)


def _check_sizes(
    input_shape: tuple[int | None, ...], weights: Any, alpha: float, minimalistic: bool
) -> None:
    first = 1 if image_data_format() == "channels_first" else 0
    rows, cols = input_shape[first], input_shape[first + 1]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(
            f"Input size must be at least 32x32, but received input_shape="
            f"{input_shape}. Resize or pad the images to at least 32x32."
        )
    if weights != "imagenet":
        return
    if (not minimalistic and alpha not in (0.75, 1.0)) or (
        minimalistic and alpha != 1.0
    ):
        raise ValueError(
            f"MobileNetV3 has ImageNet weights for alpha 0.75 or 1.0 (1.0 only "
            f"when minimalistic), but received alpha={alpha}, minimalistic="
            f"{minimalistic}. Pass one of these, or weights=None."
        )
    if rows != cols or rows != 224:
        warn_caller(
            f"MobileNetV3 received {rows}x{cols} images, but its ImageNet "
            f"weights were trained on 224x224 images; they are loaded anyway. "
            f"Pass input_shape=(224, 224, 3) to match them."
        )


def _classifier(
    x: KerasTensor,
    last_point_ch: int,
    activation: Activator,
    dropout_rate: float,
    classes: int,
    classifier_activation: Any,
) -> KerasTensor:
    x = GlobalAveragePooling2D(keepdims=True)(x)  # (batch, 1, 1, channels)
    x = Conv2D(last_point_ch, kernel_size=1, padding="same", name="conv_2")(x)
    x = activation(x)
    if dropout_rate > 0:
        x = Dropout(dropout_rate)(x)
    x = Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
    x = Flatten()(x)  # (batch, classes)
    return Activation(classifier_activation, name="predictions")(x)


def build_mobilenet_v3(
    model_type: str,
    blocks: tuple[tuple[Any, ...], ...],
    last_point_ch: int,
    *,
    input_shape: tuple[int | None, ...] | None,
    alpha: float,
    minimalistic: bool,
    include_top: bool,
    weights: Any,
    input_tensor: KerasTensor | None,
    classes: int,
    pooling: str | None,
    dropout_rate: float,
    classifier_activation: Any,
    include_preprocessing: bool,
    name: str | None,
) -> Functional:
    """Builds a MobileNetV3 from its block table and the constructor's arguments."""
    model_name = f"MobileNetV3{model_type.capitalize()}"
    check_common_arguments(model_name, weights, include_top, classes, pooling)
    check_input_tensor(model_name, input_tensor)
    input_shape = _resolve_input_shape(input_shape, input_tensor)
    _check_sizes(input_shape, weights, alpha, minimalistic)
    img_input = image_input(model_name, input_tensor, input_shape)
    activation = _relu if minimalistic else _hard_swish
    x = img_input
    if include_preprocessing:
        x = Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = Conv2D(16, 3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = _batch_norm(x, "conv_bn")
    x = activation(x)
    x = _stack(x, blocks, alpha, minimalistic)
    last_conv_ch = _depth(x.shape[_channel_axis()] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = Conv2D(last_conv_ch, 1, padding="same", use_bias=False, name="conv_1")(x)
    x = _batch_norm(x, "conv_1_bn")
    x = activation(x)
    if include_top:
        validate_activation(classifier_activation, weights)
        x = _classifier(
            x, last_point_ch, activation, dropout_rate, classes, classifier_activation
        )
    else:
        x = global_pooling(x, pooling, names=("avg_pool", "max_pool"))
    return build_model(input_tensor, img_input, x, name)
