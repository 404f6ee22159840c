import pytest
import torch

from lamina.layers import LeakyReLU
from lamina.testing import check_layer


def test_leaky_relu_conformance():
    check_layer(LeakyReLU, torch.randn(2, 3), (2, 3))


def test_leaky_relu_default_slope_and_keras2_alpha():
    assert LeakyReLU()(torch.tensor([-1.0])).tolist() == pytest.approx([-0.3])
    with pytest.warns(UserWarning, match="alpha="):
        layer = LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1


def test_leaky_relu_rejects_negative_slope():
    with pytest.raises(ValueError, match="negative_slope=-1"):
        LeakyReLU(-1)
