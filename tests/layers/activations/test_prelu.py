import pytest
import torch

from lamina.layers import PReLU
from lamina.testing import check_layer


def test_prelu_conformance():
    check_layer(PReLU, torch.randn(2, 3, 4), (2, 3, 4), ["alpha"])


def test_prelu_shared_axes_shape_and_output():
    layer = PReLU(alpha_initializer="ones", shared_axes=[1, 2])
    out = layer(torch.full((2, 4, 4, 3), -2.0))
    assert tuple(layer.alpha.shape) == (1, 1, 3)
    assert float(out.detach().max()) == -2.0


def test_prelu_rejects_batch_axis_in_shared_axes():
    with pytest.raises(ValueError, match="shared_axes"):
        PReLU(shared_axes=0)(torch.ones(2, 3))
