"""Conv1D, Conv2D, Conv3D: conformance, shapes and error messages."""

import numpy as np
import pytest
import torch

from lamina.layers.convolutional import Conv1D
from lamina.layers.convolutional import Conv2D
from lamina.layers.convolutional import Conv3D
from lamina.testing import check_layer


def _ones(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "make, data, expected",
    [
        (lambda: Conv1D(4, 3, padding="causal"), _ones(2, 6, 3), (2, 6, 4)),
        (
            lambda: Conv2D(4, 3, strides=2, padding="same"),
            _ones(2, 5, 5, 2),
            (2, 3, 3, 4),
        ),
        (
            lambda: Conv2D(4, 2, data_format="channels_first"),
            _ones(2, 2, 5, 5),
            (2, 4, 4, 4),
        ),
        (lambda: Conv3D(2, 2, groups=2), _ones(1, 3, 3, 3, 2), (1, 2, 2, 2, 2)),
    ],
)
def test_conv_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_weight_names=["kernel", "bias"])


def test_conv2d_kernel_has_keras_layout():
    layer = Conv2D(8, (3, 2), groups=2)
    layer(torch.ones(1, 5, 5, 4))
    assert tuple(layer.kernel.shape) == (3, 2, 2, 8)
    assert tuple(layer.bias.shape) == (8,)


def test_conv2d_channels_last_output_is_contiguous():
    outputs = Conv2D(4, 3)(torch.ones(2, 6, 6, 3))
    assert outputs.is_contiguous()


def test_conv2d_rejects_3d_input_with_channel_hint():
    with pytest.raises(ValueError, match=r"expects a 4-D input .*x\[\.\.\., None\]"):
        Conv2D(4, 3)(torch.ones(2, 28, 28))


def test_conv2d_rejects_kernel_larger_than_input():
    with pytest.raises(ValueError, match=r"Conv2D.*kernel of size \(5, 5\).*\(3, 3\)"):
        Conv2D(4, 5)(torch.ones(1, 3, 3, 1))


def test_conv2d_rejects_wrong_channel_count_after_build():
    layer = Conv2D(4, 3)
    layer(torch.ones(1, 5, 5, 3))
    with pytest.raises(ValueError, match="built for inputs with 3 channels"):
        layer(torch.ones(1, 5, 5, 2))


@pytest.mark.parametrize(
    "kwargs, phrase",
    [
        ({"filters": 0, "kernel_size": 3}, "filters to be a positive integer"),
        ({"filters": 4, "kernel_size": (3,)}, "kernel_size to be a positive int"),
        ({"filters": 4, "kernel_size": 3, "padding": "causal"}, "padding to be one of"),
        ({"filters": 6, "kernel_size": 3, "groups": 4}, "divisible by groups"),
        (
            {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
            "cannot combine",
        ),
    ],
)
def test_conv2d_rejects_bad_arguments(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        Conv2D(**kwargs)


def test_conv2d_rejects_groups_not_dividing_input_channels():
    with pytest.raises(ValueError, match="must divide the input's 3 channels"):
        Conv2D(4, 3, groups=2)(torch.ones(1, 5, 5, 3))
