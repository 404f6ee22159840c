"""UpSampling1D/2D/3D."""

import numpy as np
import pytest
import torch

from lamina.layers.reshaping.up_sampling1d import UpSampling1D
from lamina.layers.reshaping.up_sampling2d import UpSampling2D
from lamina.layers.reshaping.up_sampling3d import UpSampling3D
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
        (lambda: UpSampling1D(3), _data(2, 3, 4), (2, 9, 4)),
        (lambda: UpSampling2D((2, 3)), _data(2, 2, 2, 3), (2, 4, 6, 3)),
        (
            lambda: UpSampling2D(2, "channels_first", "bilinear"),
            _data(2, 3, 2, 2),
            (2, 3, 4, 4),
        ),
        (lambda: UpSampling3D((1, 2, 2)), _data(1, 2, 2, 2, 3), (1, 2, 4, 4, 3)),
    ],
)
def test_up_sampling_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_num_weights=0, check_training=False)


def test_up_sampling2d_rejects_unknown_interpolation():
    with pytest.raises(ValueError, match="interpolation to be one of"):
        UpSampling2D(interpolation="lanczos3")


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic"])
def test_up_sampling2d_matches_keras(keras, interpolation):
    inputs = _data(2, 3, 4, 2)
    expected = keras.layers.UpSampling2D((2, 3), interpolation=interpolation)(inputs)
    actual = UpSampling2D((2, 3), interpolation=interpolation)(torch.as_tensor(inputs))
    np.testing.assert_allclose(actual.numpy(), expected.cpu().numpy(), atol=1e-5)
