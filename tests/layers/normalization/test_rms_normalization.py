import numpy as np
import pytest
import torch

import lamina.layers
from lamina.layers.normalization.rms_normalization import RMSNormalization
from lamina.testing import check_layer

X = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")


def _reference(x, scale, axes, epsilon=1e-6):
    return x / np.sqrt(np.mean(x**2, axis=tuple(axes), keepdims=True) + epsilon) * scale


def test_rms_normalization_passes_check_layer():
    check_layer(
        lambda: RMSNormalization(), X, (2, 3, 4), expected_weight_names=["scale"]
    )


def test_rms_normalization_multi_axis_passes_check_layer():
    check_layer(
        lambda: RMSNormalization(axis=[1, 2], epsilon=1e-3),
        X,
        (2, 3, 4),
        check_compile=False,
    )


@pytest.mark.parametrize("axis", [-1, [1, 2], [-2, -1]])
def test_rms_normalization_matches_numpy_on_trailing_axes(axis):
    layer = RMSNormalization(axis=axis)
    layer(torch.as_tensor(X))
    scale = np.random.default_rng(1).normal(size=layer.scale.shape).astype("float32")
    layer.set_weights([scale])
    axes = [axis] if isinstance(axis, int) else axis
    expected = _reference(X, scale, axes)
    np.testing.assert_allclose(layer(torch.as_tensor(X)).detach(), expected, atol=1e-5)


def test_rms_normalization_inner_axis_broadcasts_scale_onto_it():
    layer = RMSNormalization(axis=1)
    layer(torch.as_tensor(X))
    scale = np.array([1.0, 2.0, 3.0], "float32")
    layer.set_weights([scale])
    expected = _reference(X, scale[:, None], [1])
    np.testing.assert_allclose(layer(torch.as_tensor(X)).detach(), expected, atol=1e-5)


def test_rms_normalization_mixed_sign_axes_keep_keras_scale_order():
    layer = RMSNormalization(axis=[-1, 1])
    layer(torch.as_tensor(X))
    assert layer.axis == [-1, 1] and tuple(layer.scale.shape) == (4, 3)
    scale = np.random.default_rng(2).normal(size=(4, 3)).astype("float32")
    layer.set_weights([scale])
    expected = _reference(X, scale.T, [1, 2])
    np.testing.assert_allclose(layer(torch.as_tensor(X)).detach(), expected, atol=1e-5)


def test_rms_normalization_build_stores_axis_as_list():
    layer = RMSNormalization()
    assert layer.get_config()["axis"] == -1
    layer(torch.as_tensor(X))
    assert layer.get_config()["axis"] == [-1]


def test_rms_normalization_half_precision_computes_in_float32():
    layer = RMSNormalization(dtype="bfloat16")
    x = torch.as_tensor(X).to(torch.bfloat16) * 100
    outputs = layer(x)
    assert outputs.dtype == torch.bfloat16
    expected = _reference(x.float().numpy(), 1.0, [-1])
    np.testing.assert_allclose(outputs.detach().float(), expected, rtol=1e-2)


def test_rms_normalization_rejects_bad_arguments():
    with pytest.raises(TypeError, match="axis to be an int or a list of ints"):
        RMSNormalization(axis="last")
    with pytest.raises(TypeError, match="epsilon to be a float"):
        RMSNormalization(epsilon="small")
    with pytest.raises(ValueError, match=r"received axis=\[3\]"):
        RMSNormalization(axis=[3])(torch.as_tensor(X))


def test_rms_normalization_needs_known_normalized_axes():
    inputs = lamina.layers.Input(batch_shape=(None, 3, None))
    with pytest.raises(ValueError, match="needs known sizes on the normalized axes"):
        RMSNormalization()(inputs)
