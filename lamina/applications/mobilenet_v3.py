"""MobileNetV3Small and MobileNetV3Large (Howard et al., 2019).

Reference: [Searching for MobileNetV3](https://arxiv.org/abs/1905.02244)
(ICCV 2019). The models rescale their inputs themselves
(`include_preprocessing=True`): feed them pixels in [0, 255].
"""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import fill_arguments_doc
from lamina.applications._common import load_weights
from lamina.applications._mobilenet_v3 import LARGE_BLOCKS
from lamina.applications._mobilenet_v3 import SMALL_BLOCKS
from lamina.applications._mobilenet_v3 import build_mobilenet_v3
from lamina.layers.keras_tensor import KerasTensor
from lamina.models.functional import Functional

BASE_WEIGHT_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
)
# md5 of Keras's published files: (with the classifier top, without it).
WEIGHTS_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb",
        "40af19a13ebea4e2ee0c676887f69a2e",
    ),
    "large_224_1.0_float": (
        "59e551e166be033d707958cf9e29a6a7",
        "07fb09a5933dd0c8eaafa16978110389",
    ),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c",
        "ec5221f64a2f6d1ef965a614bdae7973",
    ),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7",
        "ebdb5cc8e0b497cd13a7c275d475c819",
    ),
    "small_224_1.0_float": (
        "8768d4c2e7dee89b9d02b2d03d65d862",
        "d3e8ec802a04aa4fc771ee12a9a9b836",
    ),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37",
        "cde8136e733e811080d9fcd8a252f7e4",
    ),
}


def _load_mobilenet_v3_weights(
    model: Functional,
    weights: Any,
    model_type: str,
    minimalistic: bool,
    alpha: float,
    include_top: bool,
) -> None:
    variant = "_minimalistic" if minimalistic else ""
    weights_name = f"{model_type}{variant}_224_{float(alpha)}_float"
    suffix = ".h5" if include_top else "_no_top_v2.h5"
    file_name = f"weights_mobilenet_v3_{weights_name}{suffix}"
    file_hash = None
    if weights == "imagenet":
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    load_weights(model, weights, file_name, BASE_WEIGHT_PATH + file_name, file_hash)


_ARGUMENTS_DOC = """
    Args:
        input_shape: Shape of one image, e.g. `(224, 224, 3)`; sides at least
            32, `None` for any size. Ignored when `input_tensor` is given.
            Defaults to `None`.
        alpha: Width multiplier of every layer's filters. ImageNet weights
            exist for 0.75 and 1.0 (1.0 only when minimalistic). Defaults to
            `1.0`.
        minimalistic: Use only 3x3 kernels and ReLU, without squeeze-excite
            blocks or hard-swish. Defaults to `False`.
        include_top: Whether to include the classifier (pooling and two 1x1
            convolutions). Defaults to `True`.
        weights: `None` (random initialization), `"imagenet"` (Keras's
            pre-trained weights, downloaded once into `$LAMINA_HOME/models`)
            or the path of a weights file. Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor (`lamina.Input(...)` or a
            layer's output) to use as the image input.
        classes: Number of classes of the classifier; 1000 with ImageNet
            weights. Defaults to `1000`.
        pooling: With `include_top=False`: `None` (4D feature maps), `"avg"`
            or `"max"` (global pooling to a 2D tensor). Defaults to `None`.
        dropout_rate: Dropout before the last convolution of the classifier.
            Defaults to `0.2`.
        classifier_activation: Activation of the classifier (a name or
            callable); `None` returns logits. Only `None` or `"softmax"` with
            pre-trained weights. Defaults to `"softmax"`.
        include_preprocessing: Whether the model rescales its [0, 255] inputs
            to [-1, 1] itself. Defaults to `True`.
        name: Name of the model.

    Returns:
        A functional `Model`.
"""


def MobileNetV3Small(
    input_shape: tuple[int | None, ...] | None = None,
    alpha: float = 1.0,
    minimalistic: bool = False,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    name: str = "MobileNetV3Small",
) -> Functional:
    """Instantiates the MobileNetV3Small architecture.

    The published weights were trained on 224x224 images with pixels in
    [0, 255] (the model rescales them).
    {args}
    Example:
    >>> model = MobileNetV3Small(input_shape=(32, 32, 3), weights=None)
    >>> model.output_shape
    (None, 1000)
    """
    model = build_mobilenet_v3(
        "small",
        SMALL_BLOCKS,
        1024,
        input_shape=input_shape,
        alpha=alpha,
        minimalistic=minimalistic,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        classes=classes,
        pooling=pooling,
        dropout_rate=dropout_rate,
        classifier_activation=classifier_activation,
        include_preprocessing=include_preprocessing,
        name=name,
    )
    _load_mobilenet_v3_weights(
        model, weights, "small", minimalistic, alpha, include_top
    )
    return model


def MobileNetV3Large(
    input_shape: tuple[int | None, ...] | None = None,
    alpha: float = 1.0,
    minimalistic: bool = False,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    name: str = "MobileNetV3Large",
) -> Functional:
    """Instantiates the MobileNetV3Large architecture.

    The published weights were trained on 224x224 images with pixels in
    [0, 255] (the model rescales them).
    {args}"""
    model = build_mobilenet_v3(
        "large",
        LARGE_BLOCKS,
        1280,
        input_shape=input_shape,
        alpha=alpha,
        minimalistic=minimalistic,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        classes=classes,
        pooling=pooling,
        dropout_rate=dropout_rate,
        classifier_activation=classifier_activation,
        include_preprocessing=include_preprocessing,
        name=name,
    )
    _load_mobilenet_v3_weights(
        model, weights, "large", minimalistic, alpha, include_top
    )
    return model


fill_arguments_doc((MobileNetV3Small, MobileNetV3Large), _ARGUMENTS_DOC)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Returns `x` unchanged: MobileNetV3 models rescale their inputs themselves.

    Kept so that code written for other models runs unchanged.

    Args:
        x: Images (NumPy array or tensor).
        data_format: Ignored. Defaults to `None`.

    Returns:
        `x` itself.

    Example:
    >>> preprocess_input([1.0, 255.0])
    [1.0, 255.0]
    """
    return x


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, Any]]]:
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`.

    Args:
        preds: Scores of shape `(samples, 1000)`.
        top: How many best classes to return per sample. Defaults to `5`.

    Returns:
        One list per sample of `(class_name, class_description, score)`.
    """
    return imagenet_utils.decode_predictions(preds, top=top)
