"""MobileNetV2: inverted residual blocks with linear bottlenecks (Sandler et al., 2018).

Reference: [MobileNetV2: Inverted Residuals and Linear Bottlenecks](
https://arxiv.org/abs/1801.04381) (CVPR 2018).
"""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import build_model
from lamina.applications._common import check_common_arguments
from lamina.applications._common import check_input_tensor
from lamina.applications._common import correct_pad
from lamina.applications._common import global_pooling
from lamina.applications._common import image_input
from lamina.applications._common import load_weights
from lamina.applications._common import obtain_input_shape
from lamina.applications._common import validate_activation
from lamina.applications._common import warn_caller
from lamina.backend.config import image_data_format
from lamina.layers.activations.relu import ReLU
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from lamina.layers.core.dense import Dense
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.merging.add import Add
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamina.models.functional import Functional

BASE_WEIGHT_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
)

_IMAGENET_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
_IMAGENET_SIZES = (96, 128, 160, 192, 224)
# (filters, stride, expansion) of the 17 inverted residual blocks.
_BLOCKS = (
    (16, 1, 1),
    (24, 2, 6),
    (24, 1, 6),
    (32, 2, 6),
    (32, 1, 6),
    (32, 1, 6),
    (64, 2, 6),
    (64, 1, 6),
    (64, 1, 6),
    (64, 1, 6),
    (96, 1, 6),
    (96, 1, 6),
    (96, 1, 6),
    (160, 2, 6),
    (160, 1, 6),
    (160, 1, 6),
    (320, 1, 6),
)


def _make_divisible(value: float, divisor: int) -> int:
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


def _inverted_res_block(
    inputs: KerasTensor,
    expansion: int,
    stride: int,
    alpha: float,
    filters: int,
    block_id: int,
) -> KerasTensor:
    """Expand (1x1), depthwise 3x3, project (1x1); identity shortcut if shapes fit."""
    in_channels = inputs.shape[_channel_axis()]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = Conv2D(
            expansion * in_channels,
            kernel_size=1,
            padding="same",
            use_bias=False,
            activation=None,
            name=f"{prefix}expand",
        )(x)  # (..., expansion * in_channels)
        x = _batch_norm(x, f"{prefix}expand_BN")
        x = ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = ZeroPadding2D(padding=correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = DepthwiseConv2D(
        kernel_size=3,
        strides=stride,
        activation=None,
        use_bias=False,
        padding="same" if stride == 1 else "valid",
        name=f"{prefix}depthwise",
    )(x)  # /stride
    x = _batch_norm(x, f"{prefix}depthwise_BN")
    x = ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = Conv2D(
        pointwise_filters,
        kernel_size=1,
        padding="same",
        use_bias=False,
        activation=None,
        name=f"{prefix}project",
    )(x)  # (..., pointwise_filters)
    x = _batch_norm(x, f"{prefix}project_BN")
    if in_channels == pointwise_filters and stride == 1:
        return Add(name=f"{prefix}add")([inputs, x])
    return x


def _default_size(
    input_shape: tuple[int | None, ...] | None, input_tensor: KerasTensor | None
) -> int:
    """The side of the weights to load: the input's if square and published."""
    if input_shape is None and input_tensor is None:
        return 224
    if input_shape is None:
        first = 2 if image_data_format() == "channels_first" else 1
        rows, cols = input_tensor.shape[first : first + 2]
    elif image_data_format() == "channels_first":
        rows, cols = input_shape[1], input_shape[2]
    else:
        rows, cols = input_shape[0], input_shape[1]
    return rows if rows == cols and rows in _IMAGENET_SIZES else 224


def _check_input_shapes(
    input_tensor: KerasTensor | None, input_shape: tuple[int | None, ...] | None
) -> None:
    if input_tensor is None or input_shape is None:
        return
    if image_data_format() == "channels_first":
        tensor_side, given_side = input_tensor.shape[1], input_shape[1]
    else:
        tensor_side, given_side = input_tensor.shape[2], input_shape[1]
    if tensor_side != given_side:
        raise ValueError(
            f"MobileNetV2 received input_tensor of shape {input_tensor.shape} "
            f"and input_shape={input_shape}, which disagree. Drop input_shape "
            f"(the tensor's shape is used) or make them match."
        )


def _check_imagenet(alpha: float, rows: int | None, cols: int | None) -> int | None:
    """Validates `alpha` for ImageNet weights; returns the side of the file."""
    if alpha not in _IMAGENET_ALPHAS:
        raise ValueError(
            f"MobileNetV2 has ImageNet weights for alpha in {_IMAGENET_ALPHAS}, "
            f"but received alpha={alpha}. Pass one of these, or weights=None."
        )
    if rows != cols or rows not in _IMAGENET_SIZES:
        warn_caller(
            f"MobileNetV2 received {rows}x{cols} images, but ImageNet weights "
            f"exist only for square images of side {_IMAGENET_SIZES}; the "
            f"weights for 224x224 are loaded. Pass input_shape=(224, 224, 3) "
            f"(or another published side) to match them."
        )
        return 224
    return rows


def MobileNetV2(
    input_shape: tuple[int | None, ...] | None = None,
    alpha: float = 1.0,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str | None = None,
) -> Functional:
    """Instantiates the MobileNetV2 architecture.

    The default input size is 224x224; ImageNet weights exist for square
    inputs of side 96, 128, 160, 192 or 224. Feed it images prepared by
    `lamina.applications.mobilenet_v2.preprocess_input` (scaled to [-1, 1]).

    Args:
        input_shape: Shape of one image, e.g. `(160, 160, 3)`; only free with
            `include_top=False` (else `(224, 224, 3)` for ImageNet weights).
            3 channels, sides at least 32. Ignored when `input_tensor` is
            given. Defaults to `None`.
        alpha: Width multiplier: below 1 fewer filters per layer, above 1
            more. ImageNet weights exist for 0.35, 0.5, 0.75, 1.0, 1.3 and
            1.4. Defaults to `1.0`.
        include_top: Whether to include the classifier (global average
            pooling and a dense layer). Defaults to `True`.
        weights: `None` (random initialization), `"imagenet"` (Keras's
            pre-trained weights, downloaded once into `$LAMINA_HOME/models`)
            or the path of a weights file. Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor (`lamina.Input(...)` or a
            layer's output) to use as the image input.
        pooling: With `include_top=False`: `None` (4D feature maps), `"avg"`
            or `"max"` (global pooling to a 2D tensor). Defaults to `None`.
        classes: Number of classes of the classifier; 1000 with ImageNet
            weights. Defaults to `1000`.
        classifier_activation: Activation of the classifier layer (a name or
            callable); `None` returns logits. Only `None` or `"softmax"` with
            pre-trained weights. Defaults to `"softmax"`.
        name: Name of the model. Defaults to `None`
            (`"mobilenetv2_{alpha:.2f}_{rows}"`).

    Returns:
        A functional `Model`.

    Example:
    >>> model = MobileNetV2(input_shape=(32, 32, 3), weights=None, include_top=False)
    >>> model.output_shape, model.name
    ((None, 1, 1, 1280), 'mobilenetv2_1.00_32')
    """
    check_common_arguments("MobileNetV2", weights, include_top, classes, pooling)
    check_input_tensor("MobileNetV2", input_tensor)
    _check_input_shapes(input_tensor, input_shape)
    input_shape = obtain_input_shape(
        input_shape,
        default_size=_default_size(input_shape, input_tensor),
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    first = 1 if image_data_format() == "channels_first" else 0
    rows, cols = input_shape[first], input_shape[first + 1]
    if weights == "imagenet":
        rows = _check_imagenet(alpha, rows, cols)
    img_input = image_input("MobileNetV2", input_tensor, input_shape)
    x = _mobilenet_v2_body(img_input, alpha)
    if include_top:
        x = GlobalAveragePooling2D()(x)  # (batch, channels)
        validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pooling(x, pooling, names=(None, None))
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    model = build_model(input_tensor, img_input, x, name)
    suffix = ".h5" if include_top else "_no_top.h5"
    file_name = (
        f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{suffix}"
    )
    # Keras publishes no hashes for these files.
    load_weights(model, weights, file_name, BASE_WEIGHT_PATH + file_name, None)
    return model


def _mobilenet_v2_body(img_input: KerasTensor, alpha: float) -> KerasTensor:
    x = Conv2D(
        _make_divisible(32 * alpha, 8),
        kernel_size=3,
        strides=(2, 2),
        padding="same",
        use_bias=False,
        name="Conv1",
    )(img_input)  # /2
    x = _batch_norm(x, "bn_Conv1")
    x = ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(
            x,
            filters=filters,
            alpha=alpha,
            stride=stride,
            expansion=expansion,
            block_id=block_id,
        )
    last_block_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = Conv2D(last_block_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _batch_norm(x, "Conv_1_bn")
    return ReLU(6.0, name="out_relu")(x)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares images for MobileNetV2: pixels scaled from [0, 255] to [-1, 1].

    See `lamina.applications.imagenet_utils.preprocess_input` (mode `"tf"`).

    Args:
        x: Images with values in [0, 255] (NumPy array or tensor, 3D or 4D).
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `None` (the global `image_data_format()`).

    Returns:
        The preprocessed images (float NumPy arrays are changed in place).
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, Any]]]:
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`.

    Args:
        preds: Scores of shape `(samples, 1000)`.
        top: How many best classes to return per sample. Defaults to `5`.

    Returns:
        One list per sample of `(class_name, class_description, score)`.
    """
    return imagenet_utils.decode_predictions(preds, top=top)
