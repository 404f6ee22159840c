import torch

from lamina.layers import UnitNormalization
from lamina.testing import check_layer


def test_unit_normalization_conformance():
    check_layer(UnitNormalization, torch.randn(2, 3), (2, 3), expected_num_weights=0)


def test_unit_normalization_gives_unit_norm_and_keeps_zeros():
    out = UnitNormalization(axis=[1, 2])(torch.randn(2, 3, 4))
    torch.testing.assert_close(out.square().sum(dim=(1, 2)), torch.ones(2))
    assert UnitNormalization()(torch.zeros(1, 3)).tolist() == [[0.0, 0.0, 0.0]]


def test_unit_normalization_keeps_zeros_in_float16():
    layer = UnitNormalization(dtype="float16")
    out = layer(torch.tensor([[3.0, 4.0], [0.0, 0.0]], dtype=torch.float16))
    assert out.dtype == torch.float16
    assert out[1].tolist() == [0.0, 0.0]
    assert abs(float(out[0, 0]) - 0.6) < 1e-3
