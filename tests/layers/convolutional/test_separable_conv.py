"""SeparableConv1D and SeparableConv2D."""

import numpy as np
import pytest
import torch

from lamina.layers.convolutional import SeparableConv1D
from lamina.layers.convolutional import SeparableConv2D
from lamina.testing import check_layer

NAMES = ["depthwise_kernel", "pointwise_kernel", "bias"]


def _data(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "make, data, expected",
    [
        (lambda: SeparableConv1D(4, 3, depth_multiplier=2), _data(2, 6, 3), (2, 4, 4)),
        (
            lambda: SeparableConv2D(4, 3, padding="same"),
            _data(2, 5, 5, 3),
            (2, 5, 5, 4),
        ),
        (
            lambda: SeparableConv2D(4, 2, strides=2, data_format="channels_first"),
            _data(2, 3, 5, 5),
            (2, 4, 2, 2),
        ),
    ],
)
def test_separable_conv_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_weight_names=NAMES)


def test_separable_conv2d_weight_shapes():
    layer = SeparableConv2D(8, 3, depth_multiplier=2)
    layer(torch.ones(1, 5, 5, 3))
    assert [tuple(w.shape) for w in layer.weights] == [(3, 3, 3, 2), (1, 1, 6, 8), (8,)]
