"""Conv1DTranspose, Conv2DTranspose, Conv3DTranspose."""

import numpy as np
import pytest
import torch

from lamina.layers.convolutional import Conv1DTranspose
from lamina.layers.convolutional import Conv2DTranspose
from lamina.layers.convolutional import Conv3DTranspose
from lamina.testing import check_layer


def _data(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "make, data, expected",
    [
        (lambda: Conv1DTranspose(3, 3, strides=2), _data(2, 4, 2), (2, 9, 3)),
        (
            lambda: Conv2DTranspose(3, 3, strides=2, padding="same"),
            _data(2, 3, 4, 2),
            (2, 6, 8, 3),
        ),
        (
            lambda: Conv2DTranspose(3, 2, data_format="channels_first"),
            _data(2, 2, 3, 3),
            (2, 3, 4, 4),
        ),
        (
            lambda: Conv3DTranspose(2, 1, strides=2),
            _data(1, 2, 2, 2, 2),
            (1, 4, 4, 4, 2),
        ),
    ],
)
def test_conv_transpose_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_weight_names=["kernel", "bias"])


def test_conv2d_transpose_kernel_is_filters_then_inputs():
    layer = Conv2DTranspose(8, 3)
    layer(torch.ones(1, 4, 4, 5))
    assert tuple(layer.kernel.shape) == (3, 3, 8, 5)


def test_conv2d_transpose_rejects_output_padding_not_below_stride():
    with pytest.raises(ValueError, match="output_padding to be smaller than"):
        Conv2DTranspose(3, 3, strides=2, output_padding=2)
