"""Xception: depthwise separable convolutions throughout (Chollet, 2016).

Reference: [Xception: Deep Learning with Depthwise Separable Convolutions](
https://arxiv.org/abs/1610.02357) (CVPR 2017).
"""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import arguments_doc
from lamina.applications._common import build_model
from lamina.applications._common import check_common_arguments
from lamina.applications._common import fill_arguments_doc
from lamina.applications._common import global_pooling
from lamina.applications._common import image_input
from lamina.applications._common import load_weights
from lamina.applications._common import obtain_input_shape
from lamina.applications._common import validate_activation
from lamina.backend.config import image_data_format
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.convolutional.separable_conv2d import SeparableConv2D
from lamina.layers.core.activation import Activation
from lamina.layers.core.dense import Dense
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.merging.add import add
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from lamina.models.functional import Functional

BASE_WEIGHTS_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
)
# md5 of Keras's published files: (with the classifier top, without it).
WEIGHTS_HASHES = {
    "xception": (
        "0a58e3b7378bc2990ea3b43d5981f1f6",
        "b0042744bf5b25fce3cb969f33bebb97",
    )
}


def _batch_norm(x: KerasTensor, name: str | None = None) -> KerasTensor:
    axis = 1 if image_data_format() == "channels_first" else -1
    return BatchNormalization(axis=axis, name=name)(x)


def _separable(x: KerasTensor, filters: int, name: str) -> KerasTensor:
    """3x3 separable convolution (no bias) and its batch normalization."""
    x = SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return _batch_norm(x, name=f"{name}_bn")


def _residual(x: KerasTensor, filters: int) -> KerasTensor:
    """The strided 1x1 projection of a downsampling block's shortcut."""
    residual = Conv2D(filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(
        x
    )  # /2
    return _batch_norm(residual)


def _entry_block(
    x: KerasTensor, filters: int, block: int, activate_first: bool = True
) -> KerasTensor:
    """Two separable convolutions, max pooling and a projected shortcut."""
    residual = _residual(x, filters)
    if activate_first:
        x = Activation("relu", name=f"block{block}_sepconv1_act")(x)
    x = _separable(x, filters, f"block{block}_sepconv1")
    x = Activation("relu", name=f"block{block}_sepconv2_act")(x)
    x = _separable(x, filters, f"block{block}_sepconv2")
    x = MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(
        x
    )  # /2
    return add([x, residual])


def _middle_block(x: KerasTensor, block: int) -> KerasTensor:
    """Three ReLU-separable convolutions with an identity shortcut."""
    residual = x
    for index in (1, 2, 3):
        x = Activation("relu", name=f"block{block}_sepconv{index}_act")(x)
        x = _separable(x, 728, f"block{block}_sepconv{index}")
    return add([x, residual])


def _exit_flow(x: KerasTensor) -> KerasTensor:
    residual = _residual(x, 1024)
    x = Activation("relu", name="block13_sepconv1_act")(x)
    x = _separable(x, 728, "block13_sepconv1")
    x = Activation("relu", name="block13_sepconv2_act")(x)
    x = _separable(x, 1024, "block13_sepconv2")
    x = MaxPooling2D((3, 3), strides=(2, 2), padding="same", name="block13_pool")(x)
    x = add([x, residual])
    x = _separable(x, 1536, "block14_sepconv1")
    x = Activation("relu", name="block14_sepconv1_act")(x)
    x = _separable(x, 2048, "block14_sepconv2")
    return Activation("relu", name="block14_sepconv2_act")(x)


def _xception_body(x: KerasTensor) -> KerasTensor:
    x = Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(x)
    x = _batch_norm(x, name="block1_conv1_bn")
    x = Activation("relu", name="block1_conv1_act")(x)
    x = Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = _batch_norm(x, name="block1_conv2_bn")
    x = Activation("relu", name="block1_conv2_act")(x)
    x = _entry_block(x, 128, block=2, activate_first=False)
    x = _entry_block(x, 256, block=3)
    x = _entry_block(x, 728, block=4)
    for block in range(5, 13):
        x = _middle_block(x, block)
    return _exit_flow(x)


def Xception(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "xception",
) -> Functional:
    """Instantiates the Xception architecture.

    The default input size is 299x299. Feed it images prepared by
    `lamina.applications.xception.preprocess_input` (scaled to [-1, 1]).
    {args}
    Example:
    >>> model = Xception(weights=None, include_top=False, input_shape=(71, 71, 3))
    >>> model.output_shape
    (None, 3, 3, 2048)
    """
    check_common_arguments("Xception", weights, include_top, classes, pooling)
    input_shape = obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=71,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = image_input("Xception", input_tensor, input_shape)
    x = _xception_body(img_input)
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)  # (batch, 2048)
        validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pooling(x, pooling, names=(None, None))
    model = build_model(input_tensor, img_input, x, name)
    suffix = ".h5" if include_top else "_notop.h5"
    file_name = f"xception_weights_tf_dim_ordering_tf_kernels{suffix}"
    file_hash = WEIGHTS_HASHES["xception"][0 if include_top else 1]
    load_weights(model, weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)
    return model


fill_arguments_doc(
    (Xception,),
    arguments_doc(
        top="global average pooling and a dense layer", size=299, min_size=71
    ),
)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares images for Xception: pixels scaled from [0, 255] to [-1, 1].

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
