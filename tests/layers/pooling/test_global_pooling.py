"""Global max and average pooling 1D/2D/3D."""

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
        (lambda: pooling.GlobalMaxPooling1D(), _data(2, 5, 3), (2, 3)),
        (
            lambda: pooling.GlobalAveragePooling1D(keepdims=True),
            _data(2, 5, 3),
            (2, 1, 3),
        ),
        (
            lambda: pooling.GlobalMaxPooling2D(data_format="channels_first"),
            _data(2, 3, 4, 4),
            (2, 3),
        ),
        (lambda: pooling.GlobalAveragePooling2D(), _data(2, 4, 4, 3), (2, 3)),
        (
            lambda: pooling.GlobalMaxPooling3D(keepdims=True),
            _data(1, 2, 2, 2, 3),
            (1, 1, 1, 1, 3),
        ),
        (
            lambda: pooling.GlobalAveragePooling3D(data_format="channels_first"),
            _data(1, 3, 2, 2, 2),
            (1, 3),
        ),
    ],
)
def test_global_pooling_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_num_weights=0)


def test_global_average_pooling1d_skips_masked_steps():
    inputs = torch.tensor([[[1.0], [3.0], [100.0]]])
    mask = torch.tensor([[True, True, False]])
    outputs = pooling.GlobalAveragePooling1D()(inputs, mask=mask)
    assert outputs.tolist() == [[2.0]]
