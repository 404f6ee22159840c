"""DenseNet121, DenseNet169 and DenseNet201 (Huang et al., 2016).

Reference: [Densely Connected Convolutional Networks](
https://arxiv.org/abs/1608.06993) (CVPR 2017).
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
from lamina.layers.merging.concatenate import Concatenate
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.pooling.average_pooling2d import AveragePooling2D
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamina.models.functional import Functional

BASE_WEIGHTS_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
)
# md5 of Keras's published files: (with the classifier top, without it).
WEIGHTS_HASHES = {
    "densenet121": (
        "9d60b8095a5708f2dcce2bca79d332c7",
        "30ee3e1110167f948a6b9946edeeb738",
    ),
    "densenet169": (
        "d699b8f76981ab1b30698df4c175e90b",
        "b8c4d4c20dd625c148057b9ff1c1176b",
    ),
    "densenet201": (
        "1ceb130c1ea1b78c3bf6114dbdfd8807",
        "c13680b51ded0fb44dff2d8f86ac8bb1",
    ),
}

_EPSILON = 1.001e-5
_GROWTH_RATE = 32


def _batch_norm(x: KerasTensor, name: str) -> KerasTensor:
    return BatchNormalization(axis=channel_axis(), epsilon=_EPSILON, name=name)(x)


def _conv_block(x: KerasTensor, name: str) -> KerasTensor:
    """BN-ReLU-1x1 conv, BN-ReLU-3x3 conv, concatenated to the input."""
    branch = _batch_norm(x, f"{name}_0_bn")
    branch = Activation("relu", name=f"{name}_0_relu")(branch)
    branch = Conv2D(4 * _GROWTH_RATE, 1, use_bias=False, name=f"{name}_1_conv")(branch)
    branch = _batch_norm(branch, f"{name}_1_bn")
    branch = Activation("relu", name=f"{name}_1_relu")(branch)
    branch = Conv2D(
        _GROWTH_RATE, 3, padding="same", use_bias=False, name=f"{name}_2_conv"
    )(branch)
    # (..., channels + growth_rate)
    return Concatenate(axis=channel_axis(), name=f"{name}_concat")([x, branch])


def _dense_block(x: KerasTensor, blocks: int, name: str) -> KerasTensor:
    for index in range(1, blocks + 1):
        x = _conv_block(x, name=f"{name}_block{index}")
    return x


def _transition_block(x: KerasTensor, reduction: float, name: str) -> KerasTensor:
    """Halves the channels (by `reduction`) and the spatial size."""
    axis = channel_axis()
    x = _batch_norm(x, f"{name}_bn")
    x = Activation("relu", name=f"{name}_relu")(x)
    filters = int(x.shape[axis] * reduction)
    x = Conv2D(filters, 1, use_bias=False, name=f"{name}_conv")(x)
    return AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)  # /2


def _densenet(
    model_name: str,
    blocks: tuple[int, int, int, int],
    include_top: bool,
    weights: Any,
    input_tensor: KerasTensor | None,
    input_shape: tuple[int | None, ...] | None,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    name: str,
) -> Functional:
    if image_data_format() == "channels_first":
        raise ValueError(
            f"{model_name} supports only the channels_last image data format, "
            f"but image_data_format() is 'channels_first'. Call "
            f"lamina.config.set_image_data_format('channels_last')."
        )
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
    x = ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)  # /2
    x = _batch_norm(x, "conv1_bn")
    x = Activation("relu", name="conv1_relu")(x)
    x = ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = MaxPooling2D(3, strides=2, name="pool1")(x)  # /4
    for stage, num_blocks in enumerate(blocks, start=2):
        x = _dense_block(x, num_blocks, name=f"conv{stage}")
        if stage < 5:
            x = _transition_block(x, 0.5, name=f"pool{stage}")
    x = _batch_norm(x, "bn")
    x = Activation("relu", name="relu")(x)
    if include_top:
        x = GlobalAveragePooling2D(name="avg_pool")(x)  # (batch, channels)
        validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pooling(x, pooling, names=("avg_pool", "max_pool"))
    model = build_model(input_tensor, img_input, x, name)
    weights_name = model_name.lower()
    suffix = ".h5" if include_top else "_notop.h5"
    file_name = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}"
    file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    load_weights(model, weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)
    return model


def DenseNet121(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet121",
) -> Functional:
    """Instantiates the DenseNet121 architecture.

    The default input size is 224x224; only the `channels_last` data format
    is supported. Feed it images prepared by
    `lamina.applications.densenet.preprocess_input`.
    {args}
    Example:
    >>> model = DenseNet121(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 1024)
    """
    return _densenet(
        "DenseNet121",
        (6, 12, 24, 16),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def DenseNet169(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet169",
) -> Functional:
    """Instantiates the DenseNet169 architecture.

    The default input size is 224x224; only the `channels_last` data format
    is supported. Feed it images prepared by
    `lamina.applications.densenet.preprocess_input`.
    {args}"""
    return _densenet(
        "DenseNet169",
        (6, 12, 32, 32),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def DenseNet201(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet201",
) -> Functional:
    """Instantiates the DenseNet201 architecture.

    The default input size is 224x224; only the `channels_last` data format
    is supported. Feed it images prepared by
    `lamina.applications.densenet.preprocess_input`.
    {args}"""
    return _densenet(
        "DenseNet201",
        (6, 12, 48, 32),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


fill_arguments_doc(
    (DenseNet121, DenseNet169, DenseNet201),
    arguments_doc(top="global average pooling and a dense layer"),
)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares images for DenseNet: scaled to [0, 1], normalised per channel.

    See `lamina.applications.imagenet_utils.preprocess_input` (mode
    `"torch"`).

    Args:
        x: Images with values in [0, 255] (NumPy array or tensor, 3D or 4D).
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `None` (the global `image_data_format()`).

    Returns:
        The preprocessed images (float NumPy arrays are changed in place).
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, Any]]]:
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`.

    Args:
        preds: Scores of shape `(samples, 1000)`.
        top: How many best classes to return per sample. Defaults to `5`.

    Returns:
        One list per sample of `(class_name, class_description, score)`.
    """
    return imagenet_utils.decode_predictions(preds, top=top)
