"""VGG19: 16 convolutions and 3 dense layers (Simonyan & Zisserman, 2014)."""

from typing import Any

from lamina.applications import imagenet_utils
from lamina.applications._common import arguments_doc
from lamina.applications._common import fill_arguments_doc
from lamina.applications._common import load_weights
from lamina.applications._vgg import build_vgg
from lamina.layers.keras_tensor import KerasTensor
from lamina.models.functional import Functional

BASE_WEIGHTS_PATH = (
    "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
)
# md5 of Keras's published files: (with the classifier top, without it).
WEIGHTS_HASHES = {
    "vgg19": ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")
}


def VGG19(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: KerasTensor | None = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "vgg19",
) -> Functional:
    """Instantiates the VGG19 model.

    Reference: [Very Deep Convolutional Networks for Large-Scale Image
    Recognition](https://arxiv.org/abs/1409.1556) (ICLR 2015). The default
    input size is 224x224. Feed it images prepared by
    `lamina.applications.vgg19.preprocess_input` (RGB to BGR, mean pixel
    subtracted).
    {args}
    Example:
    >>> base = VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> base.output_shape
    (None, 1, 1, 512)
    """
    model = build_vgg(
        "VGG19",
        (2, 2, 4, 4, 4),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )
    suffix = ".h5" if include_top else "_notop.h5"
    file_name = f"vgg19_weights_tf_dim_ordering_tf_kernels{suffix}"
    file_hash = WEIGHTS_HASHES["vgg19"][0 if include_top else 1]
    load_weights(model, weights, file_name, BASE_WEIGHTS_PATH + file_name, file_hash)
    return model


fill_arguments_doc((VGG19,), arguments_doc(top="flatten and 3 dense layers"))


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares images for VGG19: RGB to BGR, ImageNet mean pixel subtracted.

    See `lamina.applications.imagenet_utils.preprocess_input` (mode
    `"caffe"`).

    Args:
        x: Images with values in [0, 255] (NumPy array or tensor, 3D or 4D).
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `None` (the global `image_data_format()`).

    Returns:
        The preprocessed images (float NumPy arrays are changed in place).

    Example:
    >>> import numpy as np
    >>> preprocess_input(np.zeros((1, 1, 3))).round(3).tolist()
    [[[-103.939, -116.779, -123.68]]]
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, Any]]]:
    """Decodes VGG19's ImageNet predictions; see `imagenet_utils.decode_predictions`.

    Args:
        preds: Scores of shape `(samples, 1000)`.
        top: How many best classes to return per sample. Defaults to `5`.

    Returns:
        One list per sample of `(class_name, class_description, score)`.
    """
    return imagenet_utils.decode_predictions(preds, top=top)
