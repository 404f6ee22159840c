import math

import pytest
import torch

from lamina.layers import ELU
from lamina.testing import check_layer


def test_elu_conformance():
    check_layer(ELU, torch.randn(2, 3), (2, 3))


def test_elu_alpha():
    out = ELU(alpha=2.0)(torch.tensor([-1.0, 1.0]))
    assert out.tolist() == pytest.approx([2.0 * (math.exp(-1.0) - 1), 1.0])
