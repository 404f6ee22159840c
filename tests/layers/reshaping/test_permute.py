import pytest
import torch

from lamina.layers import Permute
from lamina.testing import check_layer


def test_permute_conformance():
    check_layer(
        lambda: Permute((2, 1)), torch.randn(2, 3, 4), expected_output_shape=(2, 4, 3)
    )


def test_permute_is_one_based():
    x = torch.randn(2, 3, 4, 5)
    assert torch.equal(Permute((3, 1, 2))(x), x.permute(0, 3, 1, 2))


def test_permute_rejects_non_permutation():
    with pytest.raises(ValueError, match="permutation of 1..2"):
        Permute((0, 1))


def test_permute_rejects_wrong_rank():
    with pytest.raises(ValueError, match="expects inputs of rank 3"):
        Permute((2, 1))(torch.ones(2, 3, 4, 5))
