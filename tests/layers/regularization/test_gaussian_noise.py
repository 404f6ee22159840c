import pytest
import torch

from lamina.layers import GaussianNoise
from lamina.testing import check_layer


def test_gaussian_noise_conformance():
    check_layer(lambda: GaussianNoise(0.1), torch.randn(2, 3), (2, 3))


def test_gaussian_noise_adds_noise_only_in_training():
    x = torch.zeros(2000)
    assert torch.equal(GaussianNoise(0.5)(x), x)
    noisy = GaussianNoise(0.5)(x, training=True)
    assert abs(float(noisy.std()) - 0.5) < 0.05


def test_gaussian_noise_rejects_negative_stddev():
    with pytest.raises(ValueError, match="stddev=-1"):
        GaussianNoise(-1)
