"""Checks and building blocks shared by every model of the zoo.

Each constructor validates its arguments the way Keras's applications do
(same conditions, same exception types), makes its input tensor, and at the
end either downloads Keras's published weight file into
`$LAMINA_HOME/models` or loads a local one.
"""

import os
import sys
import warnings
from typing import Any

from lamina import activations
from lamina.backend.config import image_data_format
from lamina.layers.input_layer import Input
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from lamina.models.functional import Functional
from lamina.utils.file_utils import get_file
from lamina.utils.source_inputs import get_source_inputs

Shape = tuple[int | None, ...]

_POOLING_MODES = (None, "avg", "max")


def check_common_arguments(
    model_name: str,
    weights: Any,
    include_top: bool,
    classes: int,
    pooling: str | None,
) -> None:
    """Validates `weights`, `classes` and `pooling` as every constructor does."""
    if not (weights is None or _is_imagenet(weights) or _is_existing_file(weights)):
        raise ValueError(
            f"{model_name} received weights={weights!r}, but expected None "
            f"(random initialization), 'imagenet' (pre-trained on ImageNet) or "
            f"the path of an existing weights file. Pass one of these, or "
            f"check that the file exists."
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            f"{model_name} received weights='imagenet' with include_top=True "
            f"and classes={classes}, but the ImageNet classifier has 1000 "
            f"classes. Pass classes=1000, or include_top=False to put your "
            f"own classifier on top."
        )
    if pooling not in _POOLING_MODES:
        raise ValueError(
            f"{model_name} received pooling={pooling!r}, but expected None, "
            f"'avg' or 'max'."
        )


def _is_imagenet(weights: Any) -> bool:
    return isinstance(weights, str) and weights == "imagenet"


def _is_existing_file(weights: Any) -> bool:
    return isinstance(weights, (str, os.PathLike)) and os.path.exists(weights)


def warn_caller(message: str) -> None:
    """Warns, pointing at the first line outside `lamina.applications`."""
    frame = sys._getframe(1)
    level = 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith(
        "lamina.applications"
    ):
        frame = frame.f_back
        level += 1
    warnings.warn(message, stacklevel=level)


def obtain_input_shape(
    input_shape: Shape | None,
    default_size: int,
    min_size: int,
    data_format: str,
    require_flatten: bool,
    weights: Any = None,
) -> Shape:
    """Returns the shape of one input image, validated as Keras does.

    Args:
        input_shape: The user's shape, or `None` for the model's default.
        default_size: The side the pre-trained weights were trained on.
        min_size: The smallest side the model accepts.
        data_format: `"channels_last"` or `"channels_first"`.
        require_flatten: Whether the classifier top is built (its weights fix
            the spatial size).
        weights: The `weights` argument of the constructor.

    Returns:
        A tuple of 3 entries (`None` for a free spatial size).
    """
    default_shape = _default_shape(input_shape, default_size, data_format, weights)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(
                f"With include_top=True and weights='imagenet', input_shape "
                f"must be {default_shape}, but received input_shape="
                f"{input_shape}. Pass input_shape={default_shape}, or "
                f"include_top=False to use another size."
            )
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        _check_input_shape(input_shape, min_size, data_format, weights)
    elif require_flatten:
        input_shape = default_shape
    elif data_format == "channels_first":
        input_shape = (3, None, None)
    else:
        input_shape = (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(
            f"With include_top=True the input size must be fixed, but received "
            f"input_shape={input_shape}. Pass a shape without None, such as "
            f"{default_shape}."
        )
    return input_shape


def _default_shape(
    input_shape: Shape | None, default_size: int, data_format: str, weights: Any
) -> Shape:
    if weights == "imagenet" or not input_shape or len(input_shape) != 3:
        if data_format == "channels_first":
            return (3, default_size, default_size)
        return (default_size, default_size, 3)
    channels = input_shape[0] if data_format == "channels_first" else input_shape[-1]
    if channels not in {1, 3}:
        warn_caller(
            f"This model usually expects 1 or 3 input channels, but received "
            f"input_shape={tuple(input_shape)} with {channels} channels. "
            f"Check the data_format and the last axis of your images."
        )
    if data_format == "channels_first":
        return (channels, default_size, default_size)
    return (default_size, default_size, channels)


def _check_input_shape(
    input_shape: Shape, min_size: int, data_format: str, weights: Any
) -> None:
    if len(input_shape) != 3:
        raise ValueError(
            f"input_shape must be a tuple of three integers (height, width, "
            f"channels), but received input_shape={input_shape}."
        )
    if data_format == "channels_first":
        channels, rows, cols = input_shape
    else:
        rows, cols, channels = input_shape
    if channels != 3 and weights == "imagenet":
        raise ValueError(
            f"ImageNet weights need 3 input channels, but received input_shape="
            f"{input_shape}. Pass 3 channels (repeat a grayscale channel), or "
            f"weights=None."
        )
    if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
        raise ValueError(
            f"Input size must be at least {min_size}x{min_size}, but received "
            f"input_shape={input_shape}. Resize or pad the images to at least "
            f"{min_size}x{min_size}."
        )


def check_input_tensor(model_name: str, input_tensor: Any) -> None:
    """Only symbolic tensors can start a functional model, as in Keras 3."""
    if input_tensor is not None and not isinstance(input_tensor, KerasTensor):
        raise ValueError(
            f"{model_name} received input_tensor of type "
            f"{type(input_tensor).__name__}, but expected a symbolic tensor "
            f"such as lamina.Input(shape=...) or a layer's output. Pass "
            f"input_shape= for plain arrays."
        )


def image_input(
    model_name: str, input_tensor: Any, input_shape: Shape | None
) -> KerasTensor:
    """The model's input: `input_tensor` itself, or a new `Input`."""
    check_input_tensor(model_name, input_tensor)
    if input_tensor is None:
        return Input(shape=input_shape)
    return input_tensor


def build_model(
    input_tensor: KerasTensor | None, img_input: KerasTensor, outputs: Any, name: Any
) -> Functional:
    """A functional model from the source inputs of `input_tensor` (or `img_input`)."""
    inputs = img_input if input_tensor is None else get_source_inputs(input_tensor)
    return Functional(inputs, outputs, name=name)


def channel_axis() -> int:
    """The channel axis of a batch of images under the global data format."""
    return 1 if image_data_format() == "channels_first" else 3


def correct_pad(inputs: KerasTensor, kernel_size: int | tuple[int, int]) -> Any:
    """Padding that makes a strided "valid" convolution match TensorFlow's "same".

    TensorFlow pads the bottom/right more than the top/left when the input
    size is even; the published weights were trained that way.
    """
    first = 2 if image_data_format() == "channels_first" else 1
    rows, cols = inputs.shape[first : first + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def validate_activation(classifier_activation: Any, weights: Any) -> None:
    """Pre-trained classifiers only allow `softmax` or no activation."""
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError(
            f"With pre-trained weights, classifier_activation must be None or "
            f"'softmax', but received classifier_activation="
            f"{classifier_activation!r}. Pass one of these, or weights=None."
        )


def global_pooling(
    x: KerasTensor, pooling: str | None, names: tuple[str | None, str | None]
) -> KerasTensor:
    """Applies the feature-extraction pooling of `include_top=False` models."""
    if pooling == "avg":
        return GlobalAveragePooling2D(name=names[0])(x)  # (batch, channels)
    if pooling == "max":
        return GlobalMaxPooling2D(name=names[1])(x)  # (batch, channels)
    return x


def load_weights(
    model: Functional,
    weights: Any,
    file_name: str,
    origin: str,
    file_hash: str | None,
) -> None:
    """Loads ImageNet weights (downloaded once) or a local weights file."""
    if weights == "imagenet":
        path = get_file(file_name, origin, cache_subdir="models", file_hash=file_hash)
        model.load_weights(path)
    elif weights is not None:
        model.load_weights(weights)


_ARGS_DOC = """
    Args:
        include_top: Whether to include the classifier on top:
            {top}. Defaults to `True`.
        weights: `None` (random initialization), `"imagenet"` (Keras's
            pre-trained weights, downloaded once into `$LAMINA_HOME/models`)
            or the path of a weights file. Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor (`lamina.Input(...)` or a
            layer's output) to use as the image input.
        input_shape: Shape of one image, e.g. `(150, 150, 3)`; only free with
            `include_top=False` (else `({size}, {size}, 3)` for ImageNet
            weights). 3 channels, sides at least {min_size}.
        pooling: With `include_top=False`: `None` (4D feature maps), `"avg"`
            or `"max"` (global pooling to a 2D tensor). Defaults to `None`.
        classes: Number of classes of the classifier; 1000 with ImageNet
            weights. Defaults to `1000`.
        classifier_activation: Activation of the classifier layer (a name or
            callable); `None` returns logits. Only `None` or `"softmax"` with
            pre-trained weights. Defaults to `"softmax"`.
        name: Name of the model.

    Returns:
        A functional `Model`.
"""


def arguments_doc(top: str, size: int = 224, min_size: int = 32) -> str:
    """The argument list shared by most constructors, for `fill_arguments_doc`."""
    return _ARGS_DOC.format(top=top, size=size, min_size=min_size)


def fill_arguments_doc(constructors: tuple[Any, ...], text: str) -> None:
    """Puts `text` in place of `{args}` in each constructor's docstring.

    The constructors of a family take the same arguments; writing their
    description once keeps the copies from drifting apart.
    """
    for constructor in constructors:
        constructor.__doc__ = constructor.__doc__.replace("{args}", text)
