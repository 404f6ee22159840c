import pytest
import torch

from lamina.layers import ReLU
from lamina.testing import check_layer


def test_relu_conformance():
    check_layer(ReLU, torch.randn(2, 3), (2, 3), expected_num_weights=0)


def test_relu_options():
    x = torch.tensor([-2.0, 0.5, 1.5, 8.0])
    out = ReLU(max_value=6.0, negative_slope=0.5, threshold=1.0)(x)
    assert out.tolist() == [-1.5, -0.25, 1.5, 6.0]


def test_relu_rejects_negative_arguments():
    with pytest.raises(ValueError, match="max_value=-1"):
        ReLU(max_value=-1)
