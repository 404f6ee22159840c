"""InceptionV3 (Szegedy et al., 2015).

Reference: [Rethinking the Inception Architecture for Computer Vision](
http://arxiv.org/abs/1512.00567) (CVPR 2016). Most layers keep Keras's
automatic names (`conv2d_5`, `batch_normalization_5`, ...); weight files are
matched by layer order, as in Keras.
"""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import arguments_doc
from lamina.applications._common import build_model
from lamina.applications._common import channel_axis
from lamina.applications._common import check_common_arguments
from lamina.applications._common import fill_arguments_doc
from lamina.applications._common import global_pooling
from lamina.applications._common import image_input
from lamina.applications._common import load_weights
from lamina.applications._common import obtain_input_shape
from lamina.applications._common import validate_activation
from lamina.backend.config import image_data_format
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.core.activation import Activation
from lamina.layers.core.dense import Dense
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.merging.concatenate import concatenate
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.pooling.average_pooling2d import AveragePooling2D
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from lamina.models.functional import Functional

BASE_WEIGHTS_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
)
# md5 of Keras's published files: (with the classifier top, without it).
WEIGHTS_HASHES = {
    "inception_v3": (
        "9a0d58056eeedaa3f26cb7ebd46da564",
        "bcbd6486424b2319ff4ef7d526e38f63",
    )
}


def _conv2d_bn(
    x: KerasTensor,
    filters: int,
    num_row: int,
    num_col: int,
    padding: str = "same",
    strides: tuple[int, int] = (1, 1),
    name: str | None = None,
) -> KerasTensor:
    """Convolution (no bias), batch normalization (no scale) and ReLU."""
    x = Conv2D(
        filters,
        (num_row, num_col),
        strides=strides,
        padding=padding,
        use_bias=False,
        name=None if name is None else f"{name}_conv",
    )(x)
    x = BatchNormalization(
        axis=channel_axis(), scale=False, name=None if name is None else f"{name}_bn"
    )(x)
    return Activation("relu", name=name)(x)


def _average_branch(x: KerasTensor, filters: int) -> KerasTensor:
    branch = AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return _conv2d_bn(branch, filters, 1, 1)


def _block_35(x: KerasTensor, pool_filters: int, name: str) -> KerasTensor:
    """The 35x35 module: 1x1, 5x5, double 3x3 and pooling branches."""
    branch1x1 = _conv2d_bn(x, 64, 1, 1)
    branch5x5 = _conv2d_bn(x, 48, 1, 1)
    branch5x5 = _conv2d_bn(branch5x5, 64, 5, 5)
    branch3x3dbl = _conv2d_bn(x, 64, 1, 1)
    branch3x3dbl = _conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch3x3dbl = _conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch_pool = _average_branch(x, pool_filters)
    return concatenate(
        [branch1x1, branch5x5, branch3x3dbl, branch_pool],
        axis=channel_axis(),
        name=name,
    )


def _reduction_35(x: KerasTensor) -> KerasTensor:
    """35x35 to 17x17."""
    branch3x3 = _conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _conv2d_bn(x, 64, 1, 1)
    branch3x3dbl = _conv2d_bn(branch3x3dbl, 96, 3, 3)
    branch3x3dbl = _conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = MaxPooling2D((3, 3), strides=(2, 2))(x)  # /2
    return concatenate(
        [branch3x3, branch3x3dbl, branch_pool], axis=channel_axis(), name="mixed3"
    )


def _block_17(x: KerasTensor, filters: int, name: str) -> KerasTensor:
    """The 17x17 module with factorised 7x7 convolutions."""
    branch1x1 = _conv2d_bn(x, 192, 1, 1)
    branch7x7 = _conv2d_bn(x, filters, 1, 1)
    branch7x7 = _conv2d_bn(branch7x7, filters, 1, 7)
    branch7x7 = _conv2d_bn(branch7x7, 192, 7, 1)
    branch7x7dbl = _conv2d_bn(x, filters, 1, 1)
    branch7x7dbl = _conv2d_bn(branch7x7dbl, filters, 7, 1)
    branch7x7dbl = _conv2d_bn(branch7x7dbl, filters, 1, 7)
    branch7x7dbl = _conv2d_bn(branch7x7dbl, filters, 7, 1)
    branch7x7dbl = _conv2d_bn(branch7x7dbl, 192, 1, 7)
    branch_pool = _average_branch(x, 192)
    return concatenate(
        [branch1x1, branch7x7, branch7x7dbl, branch_pool],
        axis=channel_axis(),
        name=name,
    )


def _reduction_17(x: KerasTensor) -> KerasTensor:
    """17x17 to 8x8."""
    branch3x3 = _conv2d_bn(x, 192, 1, 1)
    branch3x3 = _conv2d_bn(branch3x3, 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _conv2d_bn(x, 192, 1, 1)
    branch7x7x3 = _conv2d_bn(branch7x7x3, 192, 1, 7)
    branch7x7x3 = _conv2d_bn(branch7x7x3, 192, 7, 1)
    branch7x7x3 = _conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = MaxPooling2D((3, 3), strides=(2, 2))(x)  # /2
    return concatenate(
        [branch3x3, branch7x7x3, branch_pool], axis=channel_axis(), name="mixed8"
    )


def _block_8(x: KerasTensor, index: int) -> KerasTensor:
    """The 8x8 module with split 1x3 / 3x1 convolutions."""
    axis = channel_axis()
    branch1x1 = _conv2d_bn(x, 320, 1, 1)
    branch3x3 = _conv2d_bn(x, 384, 1, 1)
    branch3x3_1 = _conv2d_bn(branch3x3, 384, 1, 3)
    branch3x3_2 = _conv2d_bn(branch3x3, 384, 3, 1)
    branch3x3 = concatenate(
        [branch3x3_1, branch3x3_2], axis=axis, name=f"mixed9_{index}"
    )
    branch3x3dbl = _conv2d_bn(x, 448, 1, 1)
    branch3x3dbl = _conv2d_bn(branch3x3dbl, 384, 3, 3)
    branch3x3dbl_1 = _conv2d_bn(branch3x3dbl, 384, 1, 3)
    branch3x3dbl_2 = _conv2d_bn(branch3x3dbl, 384, 3, 1)
    branch3x3dbl = concatenate([branch3x3dbl_1, branch3x3dbl_2], axis=axis)
    branch_pool = _average_branch(x, 192)
    return concatenate(
        [branch1x1, branch3x3, branch3x3dbl, branch_pool],
        axis=axis,
        name=f"mixed{9 + index}",
    )


def _inception_body(x: KerasTensor) -> KerasTensor:
    x = _conv2d_bn(x, 32, 3, 3, strides=(2, 2), padding="valid")  # /2
    x = _conv2d_bn(x, 32, 3, 3, padding="valid")
    x = _conv2d_bn(x, 64, 3, 3)
    x = MaxPooling2D((3, 3), strides=(2, 2))(x)  # /4
    x = _conv2d_bn(x, 80, 1, 1, padding="valid")
    x = _conv2d_bn(x, 192, 3, 3, padding="valid")
    x = MaxPooling2D((3, 3), strides=(2, 2))(x)  # /8
    x = _block_35(x, 32, name="mixed0")
    x = _block_35(x, 64, name="mixed1")
    x = _block_35(x, 64, name="mixed2")
    x = _reduction_35(x)  # /16
    x = _block_17(x, 128, name="mixed4")
    x = _block_17(x, 160, name="mixed5")
    x = _block_17(x, 160, name="mixed6")
    x = _block_17(x, 192, name="mixed7")
    x = _reduction_17(x)  # /32
    x = _block_8(x, 0)
    return _block_8(x, 1)


def InceptionV3(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "inception_v3",
) -> Functional:
    """Instantiates the Inception v3 architecture.

    The default input size is 299x299. Feed it images prepared by
    `lamina.applications.inception_v3.preprocess_input` (scaled to [-1, 1]).
    {args}
    Example:
    >>> model = InceptionV3(weights=None, include_top=False, input_shape=(75, 75, 3))
    >>> model.output_shape
    (None, 1, 1, 2048)
    """
    check_common_arguments("InceptionV3", weights, include_top, classes, pooling)
    input_shape = obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=75,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = image_input("InceptionV3", input_tensor, input_shape)
    x = _inception_body(img_input)
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)  # (batch, 2048)
        validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pooling(x, pooling, names=(None, None))
    model = build_model(input_tensor, img_input, x, name)
    suffix = ".h5" if include_top else "_notop.h5"
    file_name = f"inception_v3_weights_tf_dim_ordering_tf_kernels{suffix}"
    file_hash = WEIGHTS_HASHES["inception_v3"][0 if include_top else 1]
    load_weights(model, weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)
    return model


fill_arguments_doc(
    (InceptionV3,),
    arguments_doc(
        top="global average pooling and a dense layer", size=299, min_size=75
    ),
)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares images for InceptionV3: pixels scaled from [0, 255] to [-1, 1].

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
