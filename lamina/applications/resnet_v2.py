"""ResNet50V2, ResNet101V2 and ResNet152V2: pre-activation ResNets (He et al., 2016).

Reference: [Identity Mappings in Deep Residual Networks](
https://arxiv.org/abs/1603.05027) (ECCV 2016). The weight files come from
the same folder as ResNet's (`lamina.applications.resnet.BASE_WEIGHTS_PATH`).
"""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import arguments_doc
from lamina.applications._common import fill_arguments_doc
from lamina.applications._resnet import build_resnet
from lamina.applications._resnet import stack_residual_blocks_v2
from lamina.applications.resnet import load_resnet_weights
from lamina.layers.keras_tensor import KerasTensor
from lamina.models.functional import Functional


def _resnet_v2(
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
        x = stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")

    model = build_resnet(
        model_name,
        stack_fn,
        preact=True,
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


def ResNet50V2(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet50v2",
) -> Functional:
    """Instantiates the ResNet50V2 architecture.

    The default input size is 224x224. Feed it images prepared by
    `lamina.applications.resnet_v2.preprocess_input` (scaled to [-1, 1]).
    {args}
    Example:
    >>> model = ResNet50V2(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 2048)
    """
    return _resnet_v2(
        "ResNet50V2",
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


def ResNet101V2(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet101v2",
) -> Functional:
    """Instantiates the ResNet101V2 architecture.

    The default input size is 224x224. Feed it images prepared by
    `lamina.applications.resnet_v2.preprocess_input`.
    {args}"""
    return _resnet_v2(
        "ResNet101V2",
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


def ResNet152V2(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet152v2",
) -> Functional:
    """Instantiates the ResNet152V2 architecture.

    The default input size is 224x224. Feed it images prepared by
    `lamina.applications.resnet_v2.preprocess_input`.
    {args}"""
    return _resnet_v2(
        "ResNet152V2",
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
    (ResNet50V2, ResNet101V2, ResNet152V2),
    arguments_doc(top="global average pooling and a dense layer"),
)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares images for ResNetV2: pixels scaled from [0, 255] to [-1, 1].

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
