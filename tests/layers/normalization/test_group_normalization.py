import numpy as np
import pytest
import torch

from lamina.layers import GroupNormalization
from lamina.testing import check_layer


def test_group_normalization_conformance():
    check_layer(
        lambda: GroupNormalization(groups=2),
        torch.randn(2, 5, 4),
        (2, 5, 4),
        ["gamma", "beta"],
    )


def test_group_normalization_matches_numpy():
    x = np.random.default_rng(0).normal(size=(2, 3, 6)).astype("float32")
    out = GroupNormalization(groups=3)(torch.as_tensor(x)).detach().numpy()
    grouped = x.reshape(2, 3, 3, 2)  # (batch, steps, groups, channels per group)
    mean = grouped.mean(axis=(1, 3), keepdims=True)
    var = grouped.var(axis=(1, 3), keepdims=True)
    expected = ((grouped - mean) / np.sqrt(var + 1e-3)).reshape(x.shape)
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_group_normalization_minus_one_means_instance_norm():
    layer = GroupNormalization(groups=-1)
    layer(torch.randn(2, 4, 3))
    assert layer.groups == 3


def test_group_normalization_rejects_groups_not_dividing():
    with pytest.raises(
        ValueError, match="groups=4, which does not divide the 6 channels"
    ):
        GroupNormalization(groups=4)(torch.ones(2, 6))
