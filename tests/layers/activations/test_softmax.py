import pytest
import torch

from lamina.layers import Softmax
from lamina.testing import check_layer


def test_softmax_conformance():
    check_layer(Softmax, torch.randn(2, 3), (2, 3))


def test_softmax_mask_zeroes_masked_entries():
    out = Softmax()(torch.zeros(1, 4), mask=torch.tensor([[True, True, False, True]]))
    torch.testing.assert_close(out, torch.tensor([[1 / 3, 1 / 3, 0.0, 1 / 3]]))


def test_softmax_multiple_axes():
    out = Softmax(axis=[1, 2])(torch.zeros(1, 2, 2))
    torch.testing.assert_close(out, torch.full((1, 2, 2), 0.25))


def test_softmax_rejects_unbroadcastable_mask():
    with pytest.raises(ValueError, match="broadcastable"):
        Softmax()(torch.zeros(1, 4), mask=torch.ones(1, 3, dtype=torch.bool))
