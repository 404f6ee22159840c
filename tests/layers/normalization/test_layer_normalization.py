import numpy as np
import pytest
import torch

from lamina.layers import LayerNormalization
from lamina.testing import check_layer


def test_layer_normalization_conformance():
    check_layer(LayerNormalization, torch.randn(2, 3, 4), (2, 3, 4), ["gamma", "beta"])
    check_layer(
        lambda: LayerNormalization(axis=[1, 2]), torch.randn(2, 3, 4), (2, 3, 4)
    )


@pytest.mark.parametrize("axis", [-1, 1, [1, 2]])
def test_layer_normalization_matches_numpy(axis):
    x = np.random.default_rng(0).normal(1.0, 2.0, size=(2, 3, 4)).astype("float32")
    out = LayerNormalization(axis=axis)(torch.as_tensor(x)).detach().numpy()
    axes = tuple(axis) if isinstance(axis, list) else (axis,)
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-3), atol=1e-5)


def test_layer_normalization_rms_scaling_has_no_beta():
    with pytest.warns(UserWarning, match="rms_scaling"):
        layer = LayerNormalization(rms_scaling=True)
    layer(torch.randn(2, 3))
    assert [w.name for w in layer.weights] == ["gamma"]


def test_layer_normalization_rejects_bad_axis():
    with pytest.raises(ValueError, match="axis=5"):
        LayerNormalization(axis=5)(torch.ones(2, 3))
