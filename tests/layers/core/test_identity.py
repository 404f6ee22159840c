import torch

from lamina.layers import Identity
from lamina.testing import check_layer


def test_identity_conformance():
    x = torch.randn(2, 3)
    layer = check_layer(
        Identity, x, expected_output_shape=(2, 3), expected_num_weights=0
    )
    assert torch.equal(layer(x), x)


def test_identity_keeps_mask():
    x = torch.ones(1, 2, 3)
    x._keras_mask = torch.tensor([[True, False]])
    assert Identity()(x)._keras_mask.tolist() == [[True, False]]
