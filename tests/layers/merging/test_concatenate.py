import pytest
import torch

import lamina
from lamina.layers import Concatenate
from lamina.layers import concatenate
from lamina.testing import check_layer


def test_concatenate_conformance():
    check_layer(
        lambda: Concatenate(axis=1),
        [torch.randn(2, 3, 4), torch.randn(2, 5, 4)],
        expected_output_shape=(2, 8, 4),
    )


def test_concatenate_functional_and_symbolic():
    a, b = lamina.Input(shape=(3,)), lamina.Input(shape=(4,))
    assert concatenate([a, b]).shape == (None, 7)


def test_concatenate_rejects_mismatch_listing_shapes():
    with pytest.raises(
        ValueError,
        match=r"'cat' \(Concatenate\) with axis=-1.*\[\(None, 3, 2\), \(None, 4, 2\)\]",
    ):
        Concatenate(name="cat")([torch.ones(1, 3, 2), torch.ones(1, 4, 2)])


def test_concatenate_merges_masks():
    a, b = torch.ones(1, 2, 3), torch.ones(1, 2, 4)
    a._keras_mask = torch.tensor([[True, False]])
    out = Concatenate()([a, b])  # b unmasked: every step kept
    assert out._keras_mask.tolist() == [[True, True]]
    a2, b2 = torch.ones(1, 2, 3), torch.ones(1, 3, 3)
    a2._keras_mask = torch.tensor([[True, False]])
    b2._keras_mask = torch.tensor([[False, True, False]])
    out = Concatenate(axis=1)([a2, b2])
    assert out._keras_mask.tolist() == [[True, False, False, True, False]]
