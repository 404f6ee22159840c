"""The ResNet and ResNetV2 architectures: stem, residual stacks and top.

References: [Deep Residual Learning for Image Recognition](
https://arxiv.org/abs/1512.03385) (CVPR 2015) and [Identity Mappings in Deep
Residual Networks](https://arxiv.org/abs/1603.05027) (ECCV 2016).
"""

from collections.abc import Callable
from typing import Any

from lamina.applications._common import build_model
from lamina.applications._common import channel_axis
from lamina.applications._common import check_common_arguments
from lamina.applications._common import global_pooling
from lamina.applications._common import image_input
from lamina.applications._common import obtain_input_shape
from lamina.applications._common import validate_activation
from lamina.backend.config import image_data_format
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.core.activation import Activation
from lamina.layers.core.dense import Dense
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.merging.add import Add
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamina.models.functional import Functional

_EPSILON = 1.001e-5


def build_resnet(
    model_name: str,
    stack_fn: Callable[[KerasTensor], KerasTensor],
    preact: bool,
    use_bias: bool,
    include_top: bool,
    weights: Any,
    input_tensor: KerasTensor | None,
    input_shape: tuple[int | None, ...] | None,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    name: str,
) -> Functional:
    """Builds a ResNet (`preact=False`) or ResNetV2 (`preact=True`) network."""
    check_common_arguments(model_name, weights, include_top, classes, pooling)
    input_shape = obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = image_input(model_name, input_tensor, input_shape)
    axis = channel_axis()
    x = ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)  # /2
    if not preact:
        x = BatchNormalization(axis=axis, epsilon=_EPSILON, name="conv1_bn")(x)
        x = Activation("relu", name="conv1_relu")(x)
    x = ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = MaxPooling2D(3, strides=2, name="pool1_pool")(x)  # /4
    x = stack_fn(x)
    if preact:
        x = BatchNormalization(axis=axis, epsilon=_EPSILON, name="post_bn")(x)
        x = Activation("relu", name="post_relu")(x)
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)  # (batch, channels)
        validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pooling(x, pooling, names=("avg_pool", "max_pool"))
    return build_model(input_tensor, img_input, x, name)


def _batch_norm(x: KerasTensor, name: str) -> KerasTensor:
    return BatchNormalization(axis=channel_axis(), epsilon=_EPSILON, name=name)(x)


def residual_block_v1(
    x: KerasTensor,
    filters: int,
    kernel_size: int = 3,
    stride: int = 1,
    conv_shortcut: bool = True,
    name: str = "",
) -> KerasTensor:
    """A bottleneck block of ResNet v1: 1x1, kxk, 1x1 convolutions + shortcut."""
    if conv_shortcut:
        shortcut = Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _batch_norm(shortcut, f"{name}_0_bn")
    else:
        shortcut = x
    x = Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)  # /stride
    x = _batch_norm(x, f"{name}_1_bn")
    x = Activation("relu", name=f"{name}_1_relu")(x)
    x = Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = _batch_norm(x, f"{name}_2_bn")
    x = Activation("relu", name=f"{name}_2_relu")(x)
    x = Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)  # (..., 4 * filters)
    x = _batch_norm(x, f"{name}_3_bn")
    x = Add(name=f"{name}_add")([shortcut, x])
    return Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(
    x: KerasTensor, filters: int, blocks: int, stride1: int = 2, name: str = ""
) -> KerasTensor:
    """`blocks` v1 blocks; the first one strides and projects the shortcut."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for index in range(2, blocks + 1):
        x = residual_block_v1(
            x, filters, conv_shortcut=False, name=f"{name}_block{index}"
        )
    return x


def residual_block_v2(
    x: KerasTensor,
    filters: int,
    kernel_size: int = 3,
    stride: int = 1,
    conv_shortcut: bool = False,
    name: str = "",
) -> KerasTensor:
    """A pre-activation bottleneck block of ResNet v2."""
    preact = _batch_norm(x, f"{name}_preact_bn")
    preact = Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    elif stride > 1:
        shortcut = MaxPooling2D(1, strides=stride)(x)  # /stride
    else:
        shortcut = x
    x = Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _batch_norm(x, f"{name}_1_bn")
    x = Activation("relu", name=f"{name}_1_relu")(x)
    x = ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = Conv2D(
        filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv"
    )(x)  # /stride
    x = _batch_norm(x, f"{name}_2_bn")
    x = Activation("relu", name=f"{name}_2_relu")(x)
    x = Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)  # (..., 4 * filters)
    return Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(
    x: KerasTensor, filters: int, blocks: int, stride1: int = 2, name: str = ""
) -> KerasTensor:
    """`blocks` v2 blocks; the last one strides."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for index in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{index}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")
