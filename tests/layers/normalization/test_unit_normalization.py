import torch

from lamina.layers import UnitNormalization
from lamina.testing import check_layer


def test_unit_normalization_conformance():
    check_layer(UnitNormalization, torch.randn(2, 3), (2, 3), expected_num_weights=0)


def test_unit_normalization_gives_unit_norm_and_keeps_zeros():
    out = UnitNormalization(axis=[1, 2])(torch.randn(2, 3, 4))
    torch.testing.assert_close(out.square().sum(dim=(1, 2)), torch.ones(2))
    assert UnitNormalization()(torch.zeros(1, 3)).tolist() == [[0.0, 0.0, 0.0]]
