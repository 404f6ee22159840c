import numpy as np
import pytest
import torch

import lamina
from lamina.layers import BatchNormalization
from lamina.testing import check_layer

WEIGHTS = ["gamma", "beta", "moving_mean", "moving_variance"]


def _numpy_reference(x, axis, momentum=0.99, epsilon=1e-3):
    axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    shape = [1] * x.ndim
    shape[axis] = -1
    out = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + epsilon)
    return out, mean * (1 - momentum), 1 * momentum + var * (1 - momentum)


def test_batch_normalization_conformance():
    check_layer(BatchNormalization, torch.randn(4, 3), (4, 3), WEIGHTS)
    check_layer(
        lambda: BatchNormalization(axis=1),
        torch.randn(2, 3, 4, 4),
        (2, 3, 4, 4),
        WEIGHTS,
    )


@pytest.mark.parametrize(
    ("shape", "axis"),
    [
        ((8, 3), -1),
        ((4, 5, 3), -1),
        ((2, 3, 4, 4), 1),
        ((2, 4, 4, 3), -1),
        ((2, 2, 3, 3, 3), 1),
    ],
)
def test_batch_normalization_training_matches_numpy(shape, axis):
    x = np.random.default_rng(0).normal(2.0, 3.0, size=shape).astype("float32")
    layer = BatchNormalization(axis=axis)
    out = layer(torch.as_tensor(x), training=True)
    expected, moving_mean, moving_var = _numpy_reference(x, axis)
    np.testing.assert_allclose(out.detach().numpy(), expected, atol=1e-4)
    np.testing.assert_allclose(layer.moving_mean.numpy(), moving_mean, rtol=1e-5)
    # the biased batch variance, as Keras (not PyTorch's unbiased one)
    np.testing.assert_allclose(layer.moving_variance.numpy(), moving_var, rtol=1e-5)


def test_batch_normalization_inference_uses_moving_statistics():
    layer = BatchNormalization(epsilon=0.0)
    layer(torch.zeros(1, 2))
    layer.set_weights(
        [np.ones(2), np.zeros(2), np.array([1.0, 2.0]), np.array([4.0, 1.0])]
    )
    out = layer(torch.tensor([[3.0, 3.0]]))
    np.testing.assert_allclose(out.detach().numpy(), [[1.0, 1.0]])
    assert layer.moving_mean.tolist() == [1.0, 2.0]


def test_batch_normalization_frozen_layer_runs_in_inference_mode():
    layer = BatchNormalization()
    x = torch.randn(6, 3) * 5
    layer(x)
    layer.trainable = False
    out = layer(x, training=True)
    torch.testing.assert_close(out, layer(x, training=False))
    assert layer.moving_mean.tolist() == [0.0, 0.0, 0.0]


def test_batch_normalization_masked_statistics_skip_masked_steps():
    x = torch.tensor([[[1.0], [3.0], [100.0]]])
    mask = torch.tensor([[True, True, False]])
    layer = BatchNormalization(momentum=0.0)
    layer(x, training=True, mask=mask)
    assert abs(float(layer.moving_mean) - 2.0) < 1e-5
    assert abs(float(layer.moving_variance) - 1.0) < 1e-5


def test_batch_normalization_no_scale_no_center():
    layer = BatchNormalization(scale=False, center=False)
    layer(torch.randn(3, 2))
    assert [w.name for w in layer.weights] == ["moving_mean", "moving_variance"]


def test_batch_normalization_in_model_fit_updates_moving_stats():
    model = lamina.Sequential(
        [lamina.layers.Dense(4, input_shape=(3,)), BatchNormalization()]
    )
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        np.random.rand(16, 3).astype("float32"), np.zeros((16, 4)), epochs=1, verbose=0
    )
    assert not np.allclose(model.layers[1].moving_variance.numpy(), 1.0)


def test_batch_normalization_rejects_bad_axis_and_renorm():
    with pytest.raises(ValueError, match="axis=3"):
        BatchNormalization(axis=3)(torch.ones(2, 3))
    with pytest.raises(ValueError, match="renorm=True"):
        BatchNormalization(renorm=True)
