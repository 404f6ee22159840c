"""ZeroPadding1D/2D/3D."""

import numpy as np
import pytest
import torch

from lamina.layers.reshaping.zero_padding1d import ZeroPadding1D
from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamina.layers.reshaping.zero_padding3d import ZeroPadding3D
from lamina.testing import check_layer


@pytest.fixture(scope="module")
def keras():
    """Real Keras 3 (torch backend), the reference."""
    import keras as real_keras

    return real_keras


def _data(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "make, data, expected",
    [
        (lambda: ZeroPadding1D((1, 2)), _data(2, 3, 4), (2, 6, 4)),
        (lambda: ZeroPadding2D(((1, 0), (2, 3))), _data(2, 3, 3, 2), (2, 4, 8, 2)),
        (
            lambda: ZeroPadding2D(1, data_format="channels_first"),
            _data(2, 2, 3, 3),
            (2, 2, 5, 5),
        ),
        (lambda: ZeroPadding3D(), _data(1, 2, 2, 2, 3), (1, 4, 4, 4, 3)),
    ],
)
def test_zero_padding_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_num_weights=0, check_training=False)


def test_zero_padding2d_pads_with_zeros_where_asked():
    outputs = ZeroPadding2D(((1, 0), (0, 1)))(torch.ones(1, 1, 1, 1))
    assert outputs[0, :, :, 0].tolist() == [[0.0, 0.0], [1.0, 0.0]]


def test_zero_padding2d_rejects_three_entries():
    with pytest.raises(ValueError, match="tuple of 2"):
        ZeroPadding2D((1, 2, 3))


@pytest.mark.parametrize("padding", [2, (1, 2), ((1, 0), (0, 3))])
def test_zero_padding2d_matches_keras(keras, padding):
    inputs = _data(1, 2, 3, 2)
    reference = keras.layers.ZeroPadding2D(padding)
    layer = ZeroPadding2D(padding)
    expected = reference(inputs).cpu().numpy()
    np.testing.assert_array_equal(layer(torch.as_tensor(inputs)).numpy(), expected)
    assert layer.get_config()["padding"] == reference.get_config()["padding"]
