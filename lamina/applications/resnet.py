"""ResNet50, ResNet101 and ResNet152 (He et al., 2015).

Reference: [Deep Residual Learning for Image Recognition](
https://arxiv.org/abs/1512.03385) (CVPR 2015).
"""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import arguments_doc
from lamina.applications._common import fill_arguments_doc
from lamina.applications._common import load_weights
from lamina.applications._resnet import build_resnet
from lamina.applications._resnet import stack_residual_blocks_v1
from lamina.layers.keras_tensor import KerasTensor
from lamina.models.functional import Functional

BASE_WEIGHTS_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
)
# md5 of Keras's published files: (with the classifier top, without it).
WEIGHTS_HASHES = {
    "resnet50": (
        "2cb95161c43110f7111970584f804107",
        "4d473c1dd8becc155b73f8504c6f6626",
    ),
    "resnet101": (
        "f1aeb4b969a6efcfb50fad2f0c20cfc5",
        "88cf7a10940856eca736dc7b7e228a21",
    ),
    "resnet152": (
        "100835be76be38e30d865e96f2aaae62",
        "ee4c566cf9a93f14d82f913c2dc6dd0c",
    ),
    "resnet50v2": (
        "3ef43a0b657b3be2300d5770ece849e0",
        "fac2f116257151a9d068a22e544a4917",
    ),
    "resnet101v2": (
        "6343647c601c52e1368623803854d971",
        "c0ed64b8031c3730f411d2eb4eea35b5",
    ),
    "resnet152v2": (
        "a49b44d1979771252814e80f8ec446f9",
        "ed17cf2e0169df9d443503ef94b23b33",
    ),
}


def load_resnet_weights(
    model: Functional, weights: Any, weights_name: str, include_top: bool
) -> None:
    """Loads `weights` into a ResNet or ResNetV2 built without weights."""
    suffix = ".h5" if include_top else "_notop.h5"
    file_name = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}"
    file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    load_weights(model, weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)


def _resnet_v1(
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
    def stack_fn(x: KerasTensor) -> KerasTensor:
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, blocks[3], name="conv5")

    model = build_resnet(
        model_name,
        stack_fn,
        preact=False,
        use_bias=True,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )
    load_resnet_weights(model, weights, model_name.lower(), include_top)
    return model


def ResNet50(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet50",
) -> Functional:
    """Instantiates the ResNet50 architecture.

    The default input size is 224x224. Feed it images prepared by
    `lamina.applications.resnet.preprocess_input` (RGB to BGR, mean pixel
    subtracted).
    {args}
    Example:
    >>> model = ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 2048)
    """
    return _resnet_v1(
        "ResNet50",
        (3, 4, 6, 3),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet101(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet101",
) -> Functional:
    """Instantiates the ResNet101 architecture.

    The default input size is 224x224. Feed it images prepared by
    `lamina.applications.resnet.preprocess_input`.
    {args}"""
    return _resnet_v1(
        "ResNet101",
        (3, 4, 23, 3),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def ResNet152(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet152",
) -> Functional:
    """Instantiates the ResNet152 architecture.

    The default input size is 224x224. Feed it images prepared by
    `lamina.applications.resnet.preprocess_input`.
    {args}"""
    return _resnet_v1(
        "ResNet152",
        (3, 8, 36, 3),
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
    (ResNet50, ResNet101, ResNet152),
    arguments_doc(top="global average pooling and a dense layer"),
)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares images for ResNet: RGB to BGR, ImageNet mean pixel subtracted.

    See `lamina.applications.imagenet_utils.preprocess_input` (mode
    `"caffe"`).

    Args:
        x: Images with values in [0, 255] (NumPy array or tensor, 3D or 4D).
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `None` (the global `image_data_format()`).

    Returns:
        The preprocessed images (float NumPy arrays are changed in place).
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, Any]]]:
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`.

    Args:
        preds: Scores of shape `(samples, 1000)`.
        top: How many best classes to return per sample. Defaults to `5`.

    Returns:
        One list per sample of `(class_name, class_description, score)`.
    """
    return imagenet_utils.decode_predictions(preds, top=top)
