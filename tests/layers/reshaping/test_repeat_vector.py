import pytest
import torch

from lamina.layers import RepeatVector
from lamina.testing import check_layer


def test_repeat_vector_conformance():
    check_layer(
        lambda: RepeatVector(3), torch.randn(2, 4), expected_output_shape=(2, 3, 4)
    )


def test_repeat_vector_repeats():
    out = RepeatVector(2)(torch.tensor([[1.0, 2.0]]))
    assert out.tolist() == [[[1.0, 2.0], [1.0, 2.0]]]


def test_repeat_vector_rejects_bad_n_and_rank():
    with pytest.raises(ValueError, match="n=0"):
        RepeatVector(0)
    with pytest.raises(ValueError, match=r"\(batch, features\)"):
        RepeatVector(2)(torch.ones(2, 3, 4))
