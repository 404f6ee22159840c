import pytest
import torch

from lamina.layers import Dot
from lamina.layers import dot
from lamina.testing import check_layer


def test_dot_conformance():
    check_layer(
        lambda: Dot(axes=(2, 1)),
        [torch.randn(2, 3, 4), torch.randn(2, 4, 5)],
        (2, 3, 5),
    )


def test_dot_matches_einsum():
    x, y = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    expected = torch.einsum("bik,bjk->bij", x, y)
    torch.testing.assert_close(Dot(axes=2)([x, y]), expected)


def test_dot_vectors_give_batch_by_one():
    assert tuple(dot([torch.ones(4, 3), torch.ones(4, 3)], axes=1).shape) == (4, 1)


def test_dot_normalize_gives_cosine():
    x = torch.tensor([[3.0, 4.0]])
    out = Dot(axes=1, normalize=True)([x, x * 2])
    assert abs(float(out) - 1.0) < 1e-6


def test_dot_rejects_mismatched_axes():
    with pytest.raises(
        ValueError, match=r"'dot_x' \(Dot\) with axes=1.*\[\(None, 3\), \(None, 4\)\]"
    ):
        Dot(axes=1, name="dot_x")([torch.ones(2, 3), torch.ones(2, 4)])


def test_dot_rejects_bad_axes_argument():
    with pytest.raises(ValueError, match="pair of ints"):
        Dot(axes=(1, 2, 3))
