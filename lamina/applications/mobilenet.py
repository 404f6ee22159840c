"""MobileNet: depthwise separable convolutions (Howard et al., 2017).

Reference: [MobileNets: Efficient Convolutional Neural Networks for Mobile
Vision Applications](https://arxiv.org/abs/1704.04861).
"""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import build_model
from lamina.applications._common import check_common_arguments
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
from lamina.layers.core.activation import Activation
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.regularization.dropout import Dropout
from lamina.layers.reshaping.reshape import Reshape
from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamina.models.functional import Functional

BASE_WEIGHT_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
)

_IMAGENET_ALPHAS = {1.0: "1_0", 0.75: "7_5", 0.50: "5_0", 0.25: "2_5"}
_IMAGENET_SIZES = (128, 160, 192, 224)
# (pointwise filters, stride) of the 13 depthwise separable blocks.
_BLOCKS = (
    (64, 1),
    (128, 2),
    (128, 1),
    (256, 2),
    (256, 1),
    (512, 2),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (1024, 2),
    (1024, 1),
)


def _channel_axis() -> int:
    return 1 if image_data_format() == "channels_first" else -1


def _conv_block(inputs: KerasTensor, filters: int) -> KerasTensor:
    """The strided 3x3 stem convolution, batch normalization and ReLU6."""
    x = Conv2D(
        filters,
        (3, 3),
        padding="same",
        use_bias=False,
        strides=(2, 2),
        name="conv1",
    )(inputs)  # /2
    x = BatchNormalization(axis=_channel_axis(), name="conv1_bn")(x)
    return ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(
    inputs: KerasTensor,
    filters: int,
    depth_multiplier: int,
    stride: int,
    block_id: int,
) -> KerasTensor:
    """Depthwise 3x3 and pointwise 1x1 convolutions, each with BN and ReLU6."""
    x = inputs
    if stride != 1:
        # TensorFlow's "same" padding of a stride-2 kernel: bottom/right only.
        x = ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = DepthwiseConv2D(
        (3, 3),
        padding="same" if stride == 1 else "valid",
        depth_multiplier=depth_multiplier,
        strides=(stride, stride),
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)  # /stride
    x = BatchNormalization(axis=_channel_axis(), name=f"conv_dw_{block_id}_bn")(x)
    x = ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = Conv2D(
        filters,
        (1, 1),
        padding="same",
        use_bias=False,
        strides=(1, 1),
        name=f"conv_pw_{block_id}",
    )(x)  # (..., filters)
    x = BatchNormalization(axis=_channel_axis(), name=f"conv_pw_{block_id}_bn")(x)
    return ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def _default_size(input_shape: tuple[int | None, ...] | None) -> int:
    """The side of the weights to load: the input's if square and published."""
    if input_shape is None:
        return 224
    first = 1 if image_data_format() == "channels_first" else 0
    rows, cols = input_shape[first], input_shape[first + 1]
    return rows if rows == cols and rows in _IMAGENET_SIZES else 224


def _check_imagenet(
    alpha: float, depth_multiplier: int, rows: int | None, cols: int | None
) -> int | None:
    """Validates the options for ImageNet weights; returns the file's side."""
    if depth_multiplier != 1:
        raise ValueError(
            f"MobileNet has ImageNet weights only for depth_multiplier=1, but "
            f"received depth_multiplier={depth_multiplier}. Pass 1, or "
            f"weights=None."
        )
    if alpha not in _IMAGENET_ALPHAS:
        raise ValueError(
            f"MobileNet has ImageNet weights for alpha 0.25, 0.5, 0.75 or 1.0, "
            f"but received alpha={alpha}. Pass one of these, or weights=None."
        )
    if rows != cols or rows not in _IMAGENET_SIZES:
        warn_caller(
            f"MobileNet received {rows}x{cols} images, but ImageNet weights "
            f"exist only for square images of side {_IMAGENET_SIZES}; the "
            f"weights for 224x224 are loaded. Pass input_shape=(224, 224, 3) "
            f"(or another published side) to match them."
        )
        return 224
    return rows


def MobileNet(
    input_shape: tuple[int | None, ...] | None = None,
    alpha: float = 1.0,
    depth_multiplier: int = 1,
    dropout: float = 1e-3,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str | None = None,
) -> Functional:
    """Instantiates the MobileNet architecture.

    The default input size is 224x224; ImageNet weights exist for square
    inputs of side 128, 160, 192 or 224. Feed it images prepared by
    `lamina.applications.mobilenet.preprocess_input` (scaled to [-1, 1]).

    Args:
        input_shape: Shape of one image, e.g. `(160, 160, 3)`; only free with
            `include_top=False` (else `(224, 224, 3)` for ImageNet weights).
            3 channels, sides at least 32. Defaults to `None`.
        alpha: Width multiplier of every layer's filters. ImageNet weights
            exist for 0.25, 0.5, 0.75 and 1.0. Defaults to `1.0`.
        depth_multiplier: Depthwise channels per input channel (the
            resolution multiplier of the paper); 1 with ImageNet weights.
            Defaults to `1`.
        dropout: Dropout rate before the classifier. Defaults to `1e-3`.
        include_top: Whether to include the classifier (pooling, dropout and
            a 1x1 convolution). Defaults to `True`.
        weights: `None` (random initialization), `"imagenet"` (Keras's
            pre-trained weights, downloaded once into `$LAMINA_HOME/models`)
            or the path of a weights file. Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor (`lamina.Input(...)` or a
            layer's output) to use as the image input.
        pooling: With `include_top=False`: `None` (4D feature maps), `"avg"`
            or `"max"` (global pooling to a 2D tensor). Defaults to `None`.
        classes: Number of classes of the classifier; 1000 with ImageNet
            weights. Defaults to `1000`.
        classifier_activation: Activation of the classifier (a name or
            callable); `None` returns logits. Only `None` or `"softmax"` with
            pre-trained weights. Defaults to `"softmax"`.
        name: Name of the model. Defaults to `None`
            (`"mobilenet_{alpha:.2f}_{rows}"`).

    Returns:
        A functional `Model`.

    Example:
    >>> model = MobileNet(input_shape=(32, 32, 3), alpha=0.25, weights=None)
    >>> model.output_shape, model.name
    ((None, 1000), 'mobilenet_0.25_32')
    """
    check_common_arguments("MobileNet", weights, include_top, classes, pooling)
    input_shape = obtain_input_shape(
        input_shape,
        default_size=_default_size(input_shape),
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    first = 1 if image_data_format() == "channels_first" else 0
    rows, cols = input_shape[first], input_shape[first + 1]
    if weights == "imagenet":
        rows = _check_imagenet(alpha, depth_multiplier, rows, cols)
    img_input = image_input("MobileNet", input_tensor, input_shape)
    x = _mobilenet_body(img_input, alpha, depth_multiplier)
    if include_top:
        x = GlobalAveragePooling2D(keepdims=True)(x)  # (batch, 1, 1, channels)
        x = Dropout(dropout, name="dropout")(x)
        x = Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = Reshape((classes,), name="reshape_2")(x)  # (batch, classes)
        validate_activation(classifier_activation, weights)
        x = Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pooling(x, pooling, names=(None, None))
    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{rows}"
    model = build_model(input_tensor, img_input, x, name)
    alpha_text = _IMAGENET_ALPHAS.get(alpha, "")
    suffix = "_tf.h5" if include_top else "_tf_no_top.h5"
    file_name = f"mobilenet_{alpha_text}_{rows}{suffix}"
    # Keras publishes no hashes for these files.
    load_weights(model, weights, file_name, BASE_WEIGHT_PATH + file_name, None)
    return model


def _mobilenet_body(
    img_input: KerasTensor, alpha: float, depth_multiplier: int
) -> KerasTensor:
    x = _conv_block(img_input, int(32 * alpha))
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(
            x, int(filters * alpha), depth_multiplier, stride, block_id
        )
    return x


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares images for MobileNet: pixels scaled from [0, 255] to [-1, 1].

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
