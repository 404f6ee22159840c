"""The VGG architecture shared by VGG16 and VGG19 (Simonyan & Zisserman, 2014).

Reference: [Very Deep Convolutional Networks for Large-Scale Image
Recognition](https://arxiv.org/abs/1409.1556) (ICLR 2015).
"""

from typing import Any

from lamina.applications._common import build_model
from lamina.applications._common import check_common_arguments
from lamina.applications._common import global_pooling
from lamina.applications._common import image_input
from lamina.applications._common import obtain_input_shape
from lamina.applications._common import validate_activation
from lamina.backend.config import image_data_format
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.core.dense import Dense
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from lamina.layers.reshaping.flatten import Flatten
from lamina.models.functional import Functional

_BLOCK_FILTERS = (64, 128, 256, 512, 512)


def build_vgg(
    model_name: str,
    convs_per_block: tuple[int, ...],
    include_top: bool,
    weights: Any,
    input_tensor: KerasTensor | None,
    input_shape: tuple[int | None, ...] | None,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    name: str,
) -> Functional:
    """Builds a VGG network with `convs_per_block` 3x3 convolutions per block."""
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
    x = img_input
    for block, (filters, num_convs) in enumerate(
        zip(_BLOCK_FILTERS, convs_per_block, strict=True), start=1
    ):
        for conv in range(1, num_convs + 1):
            x = Conv2D(
                filters,
                (3, 3),
                activation="relu",
                padding="same",
                name=f"block{block}_conv{conv}",
            )(x)
        x = MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)  # /2
    if include_top:
        x = Flatten(name="flatten")(x)  # (batch, rows * cols * 512)
        x = Dense(4096, activation="relu", name="fc1")(x)  # (batch, 4096)
        x = Dense(4096, activation="relu", name="fc2")(x)
        validate_activation(classifier_activation, weights)
        x = Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = global_pooling(x, pooling, names=(None, None))
    return build_model(input_tensor, img_input, x, name)
