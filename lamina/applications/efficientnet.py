"""EfficientNetB0 to EfficientNetB7 (Tan & Le, 2019).

Reference: [EfficientNet: Rethinking Model Scaling for Convolutional Neural
Networks](https://arxiv.org/abs/1905.11946) (ICML 2019). The models rescale
and normalise their inputs themselves: feed them pixels in [0, 255].
"""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import arguments_doc
from lamina.applications._common import fill_arguments_doc
from lamina.applications._common import load_weights
from lamina.applications._efficientnet import build_efficientnet
from lamina.layers.keras_tensor import KerasTensor
from lamina.models.functional import Functional

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/keras-applications/"
# md5 of Keras's published files: (with the classifier top, without it).
WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}


def _efficientnet(
    variant: str,
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
    model = build_efficientnet(
        f"EfficientNet{variant.upper()}",
        coefficients,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )
    # Keras names the file after `name`; the variant keeps a renamed model
    # loadable.
    file_name = f"efficientnet{variant}{'.h5' if include_top else '_notop.h5'}"
    file_hash = WEIGHTS_HASHES[variant][0 if include_top else 1]
    load_weights(model, weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)
    return model


def EfficientNetB0(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "efficientnetb0",
) -> Functional:
    """Instantiates the EfficientNetB0 architecture.

    The default input size is 224x224. The model rescales and normalises
    its inputs: feed it pixels in [0, 255].
    {args}
    Example:
    >>> model = EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 1280)
    """
    return _efficientnet(
        "b0",
        (1.0, 1.0, 224, 0.2),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def EfficientNetB1(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "efficientnetb1",
) -> Functional:
    """Instantiates the EfficientNetB1 architecture.

    The default input size is 240x240. The model rescales and normalises
    its inputs: feed it pixels in [0, 255].
    {args}
    """
    return _efficientnet(
        "b1",
        (1.0, 1.1, 240, 0.2),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def EfficientNetB2(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "efficientnetb2",
) -> Functional:
    """Instantiates the EfficientNetB2 architecture.

    The default input size is 260x260. The model rescales and normalises
    its inputs: feed it pixels in [0, 255].
    {args}
    """
    return _efficientnet(
        "b2",
        (1.1, 1.2, 260, 0.3),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def EfficientNetB3(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "efficientnetb3",
) -> Functional:
    """Instantiates the EfficientNetB3 architecture.

    The default input size is 300x300. The model rescales and normalises
    its inputs: feed it pixels in [0, 255].
    {args}
    """
    return _efficientnet(
        "b3",
        (1.2, 1.4, 300, 0.3),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def EfficientNetB4(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "efficientnetb4",
) -> Functional:
    """Instantiates the EfficientNetB4 architecture.

    The default input size is 380x380. The model rescales and normalises
    its inputs: feed it pixels in [0, 255].
    {args}
    """
    return _efficientnet(
        "b4",
        (1.4, 1.8, 380, 0.4),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def EfficientNetB5(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "efficientnetb5",
) -> Functional:
    """Instantiates the EfficientNetB5 architecture.

    The default input size is 456x456. The model rescales and normalises
    its inputs: feed it pixels in [0, 255].
    {args}
    """
    return _efficientnet(
        "b5",
        (1.6, 2.2, 456, 0.4),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def EfficientNetB6(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "efficientnetb6",
) -> Functional:
    """Instantiates the EfficientNetB6 architecture.

    The default input size is 528x528. The model rescales and normalises
    its inputs: feed it pixels in [0, 255].
    {args}
    """
    return _efficientnet(
        "b6",
        (1.8, 2.6, 528, 0.5),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


def EfficientNetB7(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "efficientnetb7",
) -> Functional:
    """Instantiates the EfficientNetB7 architecture.

    The default input size is 600x600. The model rescales and normalises
    its inputs: feed it pixels in [0, 255].
    {args}
    """
    return _efficientnet(
        "b7",
        (2.0, 3.1, 600, 0.5),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


_CONSTRUCTORS = (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
fill_arguments_doc(
    _CONSTRUCTORS,
    arguments_doc(top="global average pooling, dropout and a dense layer"),
)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Returns `x` unchanged: EfficientNet models rescale their inputs themselves.

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
