"""The EfficientNet architecture: stem, MBConv blocks with squeeze-excite, top.

Reference: [EfficientNet: Rethinking Model Scaling for Convolutional Neural
Networks](https://arxiv.org/abs/1905.11946) (ICML 2019).
"""

import math
from typing import Any

from lamina.applications._common import build_model
from lamina.applications._common import channel_axis
from lamina.applications._common import check_common_arguments
from lamina.applications._common import correct_pad
from lamina.applications._common import global_pooling
from lamina.applications._common import image_input
from lamina.applications._common import obtain_input_shape
from lamina.applications._common import validate_activation
from lamina.backend.config import image_data_format
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from lamina.layers.core.activation import Activation
from lamina.layers.core.dense import Dense
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.merging.add import add
from lamina.layers.merging.multiply import multiply
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.preprocessing.image.rescaling import Rescaling
from lamina.layers.preprocessing.normalization import Normalization
from lamina.layers.regularization.dropout import Dropout
from lamina.layers.reshaping.reshape import Reshape
from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamina.models.functional import Functional

# (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides) of
# the seven stages of EfficientNetB0; every block has a 0.25 squeeze-excite
# and an identity shortcut where the shapes allow.
_STAGES = (
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
)
_SE_RATIO = 0.25
_DROP_CONNECT_RATE = 0.2
_DEPTH_DIVISOR = 8
_ACTIVATION = "swish"
# The per-channel factor the ImageNet weights expect after normalization
# (1 / sqrt(stddev), as Keras applies it).
_IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)

CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}


def _round_filters(filters: int, width_coefficient: float) -> int:
    """Scales a filter count by the width coefficient, to a multiple of 8."""
    filters *= width_coefficient
    new_filters = max(
        _DEPTH_DIVISOR,
        int(filters + _DEPTH_DIVISOR / 2) // _DEPTH_DIVISOR * _DEPTH_DIVISOR,
    )
    if new_filters < 0.9 * filters:
        new_filters += _DEPTH_DIVISOR
    return int(new_filters)


def _round_repeats(repeats: int, depth_coefficient: float) -> int:
    return int(math.ceil(depth_coefficient * repeats))


def _squeeze_excite(
    x: KerasTensor, filters: int, filters_se: int, name: str
) -> KerasTensor:
    """Reweights the channels of `x` by a gate computed from their means."""
    se_shape = (filters, 1, 1) if channel_axis() == 1 else (1, 1, filters)
    se = GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)  # (batch, filters)
    se = Reshape(se_shape, name=f"{name}se_reshape")(se)  # (batch, 1, 1, filters)
    se = Conv2D(
        filters_se,
        1,
        padding="same",
        activation=_ACTIVATION,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}se_reduce",
    )(se)
    se = Conv2D(
        filters,
        1,
        padding="same",
        activation="sigmoid",
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}se_expand",
    )(se)
    return multiply([x, se], name=f"{name}se_excite")


def _conv_bn(
    x: KerasTensor, filters: int, name: str, bn_name: str, activation_name: str | None
) -> KerasTensor:
    """1x1 convolution (no bias) and batch normalization, then swish if named."""
    x = Conv2D(
        filters,
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name=name,
    )(x)  # (..., filters)
    x = BatchNormalization(axis=channel_axis(), name=bn_name)(x)
    if activation_name is None:
        return x
    return Activation(_ACTIVATION, name=activation_name)(x)


def _block(
    inputs: KerasTensor,
    drop_rate: float,
    name: str,
    filters_in: int,
    filters_out: int,
    kernel_size: int,
    strides: int,
    expand_ratio: int,
) -> KerasTensor:
    """An inverted residual block: expand, depthwise, squeeze-excite, project."""
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = _conv_bn(
            x,
            filters,
            f"{name}expand_conv",
            f"{name}expand_bn",
            f"{name}expand_activation",
        )
    if strides == 2:
        x = ZeroPadding2D(
            padding=correct_pad(x, kernel_size), name=f"{name}dwconv_pad"
        )(x)
    x = DepthwiseConv2D(
        kernel_size,
        strides=strides,
        padding="valid" if strides == 2 else "same",
        use_bias=False,
        depthwise_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}dwconv",
    )(x)  # /strides
    x = BatchNormalization(axis=channel_axis(), name=f"{name}bn")(x)
    x = Activation(_ACTIVATION, name=f"{name}activation")(x)
    filters_se = max(1, int(filters_in * _SE_RATIO))
    x = _squeeze_excite(x, filters, filters_se, name)
    x = _conv_bn(x, filters_out, f"{name}project_conv", f"{name}project_bn", None)
    if strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            # Stochastic depth: drops the whole residual branch per sample.
            x = Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = add([x, inputs], name=f"{name}add")
    return x


def _stages(
    x: KerasTensor, width_coefficient: float, depth_coefficient: float
) -> KerasTensor:
    """All blocks, named `block1a_`, `block2a_`, `block2b_`, ..."""
    total = float(sum(_round_repeats(stage[1], depth_coefficient) for stage in _STAGES))
    index = 0
    for stage_id, stage in enumerate(_STAGES, start=1):
        kernel_size, repeats, filters_in, filters_out, expand_ratio, strides = stage
        filters_in = _round_filters(filters_in, width_coefficient)
        filters_out = _round_filters(filters_out, width_coefficient)
        for repeat in range(_round_repeats(repeats, depth_coefficient)):
            if repeat > 0:
                strides = 1
                filters_in = filters_out
            x = _block(
                x,
                _DROP_CONNECT_RATE * index / total,
                f"block{stage_id}{chr(repeat + 97)}_",
                filters_in,
                filters_out,
                kernel_size,
                strides,
                expand_ratio,
            )
            index += 1
    return x


def _stem(x: KerasTensor, weights: Any, width_coefficient: float) -> KerasTensor:
    """Input scaling and normalization, then a strided 3x3 convolution."""
    x = Rescaling(1.0 / 255.0)(x)
    x = Normalization(axis=channel_axis())(x)
    if weights == "imagenet":
        x = Rescaling([1.0 / math.sqrt(stddev) for stddev in _IMAGENET_STDDEV_RGB])(x)
    x = ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = Conv2D(
        _round_filters(32, width_coefficient),
        3,
        strides=2,
        padding="valid",
        use_bias=False,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name="stem_conv",
    )(x)  # /2
    x = BatchNormalization(axis=channel_axis(), name="stem_bn")(x)
    return Activation(_ACTIVATION, name="stem_activation")(x)


def build_efficientnet(
    model_name: str,
    coefficients: tuple[float, float, int, float],
    include_top: bool,
    weights: Any,
    input_tensor: KerasTensor | None,
    input_shape: tuple[int | None, ...] | None,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    name: str,
) -> Functional:
    """Builds an EfficientNet from (width, depth, default size, dropout)."""
    width_coefficient, depth_coefficient, default_size, dropout_rate = coefficients
    check_common_arguments(model_name, weights, include_top, classes, pooling)
    input_shape = obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = image_input(model_name, input_tensor, input_shape)
    x = _stem(img_input, weights, width_coefficient)
    x = _stages(x, width_coefficient, depth_coefficient)
    x = _conv_bn(
        x,
        _round_filters(1280, width_coefficient),
        "top_conv",
        "top_bn",
        "top_activation",
    )
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)  # (batch, channels)
        if dropout_rate > 0:
            x = Dropout(dropout_rate, name="top_dropout")(x)
        validate_activation(classifier_activation, weights)
        x = Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=DENSE_KERNEL_INITIALIZER,
            name="predictions",
        )(x)
    else:
        x = global_pooling(x, pooling, names=("avg_pool", "max_pool"))
    return build_model(input_tensor, img_input, x, name)
