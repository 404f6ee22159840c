"""Max and average pooling 1D/2D/3D."""

import numpy as np
import pytest
import torch

from lamina.layers import pooling
from lamina.testing import check_layer


def _data(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "make, data, expected",
    [
        (lambda: pooling.MaxPooling1D(), _data(2, 7, 3), (2, 3, 3)),
        (
            lambda: pooling.AveragePooling1D(2, padding="same"),
            _data(2, 7, 3),
            (2, 4, 3),
        ),
        (lambda: pooling.MaxPooling2D(3, 2, "same"), _data(2, 6, 5, 3), (2, 3, 3, 3)),
        (
            lambda: pooling.AveragePooling2D(2, 1, "same", "channels_first"),
            _data(2, 3, 4, 4),
            (2, 3, 4, 4),
        ),
        (lambda: pooling.MaxPooling3D(2), _data(1, 4, 4, 4, 2), (1, 2, 2, 2, 2)),
        (
            lambda: pooling.AveragePooling3D(2, padding="same"),
            _data(1, 3, 3, 3, 2),
            (1, 2, 2, 2, 2),
        ),
    ],
)
def test_pooling_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_num_weights=0)


def test_average_pooling2d_same_counts_only_real_cells():
    layer = pooling.AveragePooling2D(2, padding="same")
    outputs = layer(torch.ones(1, 3, 3, 1))
    assert torch.equal(outputs, torch.ones(1, 2, 2, 1))


def test_max_pooling2d_rejects_window_larger_than_input():
    with pytest.raises(ValueError, match=r"MaxPooling2D.*pool window of size \(3, 3\)"):
        pooling.MaxPooling2D(3)(torch.ones(1, 2, 2, 1))


def test_max_pooling2d_rejects_3d_input():
    with pytest.raises(ValueError, match="expects a 4-D input"):
        pooling.MaxPooling2D()(torch.ones(1, 4, 4))


def test_pooling_aliases_are_the_same_classes():
    assert pooling.MaxPool2D is pooling.MaxPooling2D
    assert pooling.AvgPool3D is pooling.AveragePooling3D
