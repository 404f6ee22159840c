"""Cropping1D/2D/3D."""

import numpy as np
import pytest
import torch

from lamina.layers.reshaping.cropping1d import Cropping1D
from lamina.layers.reshaping.cropping2d import Cropping2D
from lamina.layers.reshaping.cropping3d import Cropping3D
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
        (lambda: Cropping1D((1, 2)), _data(2, 6, 4), (2, 3, 4)),
        (lambda: Cropping2D(((1, 0), (0, 2))), _data(2, 4, 5, 2), (2, 3, 3, 2)),
        (
            lambda: Cropping2D(1, data_format="channels_first"),
            _data(2, 2, 4, 4),
            (2, 2, 2, 2),
        ),
        (lambda: Cropping3D(), _data(1, 3, 4, 5, 2), (1, 1, 2, 3, 2)),
    ],
)
def test_cropping_passes_check_layer(make, data, expected):
    check_layer(make, data, expected, expected_num_weights=0, check_training=False)


def test_cropping2d_rejects_cropping_everything():
    with pytest.raises(ValueError, match="would crop 4 of 4 cells"):
        Cropping2D(2)(torch.ones(1, 4, 6, 1))


@pytest.mark.parametrize(
    "layer_name, cropping, shape",
    [
        ("Cropping1D", (2, 1), (1, 5, 2)),
        ("Cropping2D", ((1, 0), 2), (1, 4, 6, 2)),
        ("Cropping3D", 1, (1, 3, 4, 5, 2)),
    ],
)
def test_cropping_matches_keras(keras, layer_name, cropping, shape):
    inputs = _data(*shape)
    reference = getattr(keras.layers, layer_name)(cropping)
    layer = {
        "Cropping1D": Cropping1D,
        "Cropping2D": Cropping2D,
        "Cropping3D": Cropping3D,
    }[layer_name](cropping)
    expected = reference(inputs).cpu().numpy()
    np.testing.assert_array_equal(layer(torch.as_tensor(inputs)).numpy(), expected)
    ours = {k: v for k, v in layer.get_config().items() if k not in ("name", "dtype")}
    theirs = {
        k: v for k, v in reference.get_config().items() if k not in ("name", "dtype")
    }
    assert ours == theirs
