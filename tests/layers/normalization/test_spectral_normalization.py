import numpy as np
import pytest
import torch

from lamina.layers import Conv2D
from lamina.layers import Dense
from lamina.layers import Embedding
from lamina.layers import Flatten
from lamina.layers.normalization.spectral_normalization import SpectralNormalization
from lamina.testing import check_layer

X = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")


def _spectral_norm(kernel):
    matrix = kernel.detach().reshape(-1, kernel.shape[-1])
    return float(torch.linalg.matrix_norm(matrix, ord=2))


def test_spectral_normalization_passes_check_layer():
    check_layer(
        lambda: SpectralNormalization(Dense(5)),
        X,
        (3, 5),
        expected_weight_names=["kernel", "vector_u", "bias"],
    )


def test_spectral_normalization_weights_follow_keras_order():
    layer = SpectralNormalization(Dense(5, name="dense_inner"), name="sn")
    layer(torch.as_tensor(X))
    assert [w.path for w in layer.weights] == [
        "sn/dense_inner/kernel",
        "sn/vector_u",
        "sn/dense_inner/bias",
    ]
    assert [w.name for w in layer.trainable_weights] == ["kernel", "bias"]
    # the kernel is listed by both layers, but is one parameter
    assert len(list(layer.parameters())) == 3
    assert layer.kernel is layer.layer.kernel


def test_spectral_normalization_training_normalizes_the_kernel():
    layer = SpectralNormalization(Conv2D(4, 3), power_iterations=100)
    x = torch.as_tensor(np.random.default_rng(1).normal(size=(2, 6, 6, 3)))
    layer(x)
    before = layer.kernel.detach().clone()
    layer(x)  # inference leaves the kernel alone
    assert torch.equal(layer.kernel.detach(), before)
    layer(x, training=True)
    assert _spectral_norm(layer.kernel) == pytest.approx(1.0, abs=1e-2)
    assert not torch.equal(layer.vector_u.detach(), torch.zeros(1, 4))


def test_spectral_normalization_matches_hand_written_power_iteration():
    layer = SpectralNormalization(Dense(5), power_iterations=2)
    layer(torch.as_tensor(X))
    kernel = layer.kernel.detach().numpy().copy()
    u = layer.vector_u.detach().numpy().copy()
    for _ in range(2):
        v = u @ kernel.T
        v = v / np.linalg.norm(v)
        u = v @ kernel
        u = u / np.linalg.norm(u)
    sigma = (v @ kernel @ u.T).item()
    output = layer(torch.as_tensor(X), training=True)
    np.testing.assert_allclose(layer.kernel.detach(), kernel / sigma, rtol=1e-5)
    np.testing.assert_allclose(layer.vector_u.detach(), u, rtol=1e-5)
    np.testing.assert_allclose(output.detach(), X @ (kernel / sigma), atol=1e-5)


def test_spectral_normalization_gradient_reaches_the_kernel():
    layer = SpectralNormalization(Dense(5))
    output = layer(torch.as_tensor(X), training=True)
    output.square().sum().backward()
    assert layer.kernel.grad is not None and layer.vector_u.grad is None


def test_spectral_normalization_leaves_a_zero_kernel_alone():
    layer = SpectralNormalization(Dense(2, kernel_initializer="zeros"))
    layer(torch.as_tensor(X), training=True)
    assert not layer.kernel.detach().any()
    assert torch.isfinite(layer.vector_u.detach()).all()


def test_spectral_normalization_wraps_embedding():
    layer = SpectralNormalization(Embedding(10, 4), power_iterations=100)
    output = layer(torch.tensor([[1, 2, 3]]), training=True)
    assert output.dtype == torch.float32 and tuple(output.shape) == (1, 3, 4)
    assert _spectral_norm(layer.kernel) == pytest.approx(1.0, abs=1e-2)


def test_spectral_normalization_rejects_bad_arguments():
    with pytest.raises(ValueError, match="power_iterations to be a positive integer"):
        SpectralNormalization(Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="expected a lamina Layer to wrap"):
        SpectralNormalization("dense")
    with pytest.raises(ValueError, match="'kernel' or 'embeddings' weight"):
        SpectralNormalization(Flatten())(torch.ones(2, 3))
