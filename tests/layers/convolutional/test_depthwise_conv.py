"""DepthwiseConv1D and DepthwiseConv2D."""

import numpy as np
import pytest
import torch

from lamina.layers.convolutional import DepthwiseConv1D
from lamina.layers.convolutional import DepthwiseConv2D
from lamina.testing import check_layer


def _data(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "make, data, expected",
    [
        (lambda: DepthwiseConv1D(3, depth_multiplier=2), _data(2, 6, 3), (2, 4, 6)),
        (lambda: DepthwiseConv2D(2, padding="same"), _data(2, 5, 5, 3), (2, 5, 5, 3)),
        (
            lambda: DepthwiseConv2D(3, data_format="channels_first"),
            _data(2, 3, 5, 5),
            (2, 3, 3, 3),
        ),
    ],
)
def test_depthwise_conv_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_weight_names=["kernel", "bias"])


def test_depthwise_conv2d_keeps_channels_apart():
    layer = DepthwiseConv2D(1, depth_multiplier=2, use_bias=False)
    layer(torch.ones(1, 2, 2, 3))
    kernel = np.arange(1, 7, dtype="float32").reshape(1, 1, 3, 2)
    layer.set_weights([kernel])
    outputs = layer(torch.tensor([1.0, 10.0, 100.0]).reshape(1, 1, 1, 3))
    assert outputs.flatten().tolist() == [1.0, 2.0, 30.0, 40.0, 500.0, 600.0]


def test_depthwise_conv2d_rejects_zero_depth_multiplier():
    with pytest.raises(ValueError, match="depth_multiplier to be a positive"):
        DepthwiseConv2D(3, depth_multiplier=0)
