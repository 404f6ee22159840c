import pytest
import torch

from lamina.layers import GaussianDropout
from lamina.testing import check_layer


def test_gaussian_dropout_conformance():
    check_layer(lambda: GaussianDropout(0.2), torch.randn(2, 3), (2, 3))


def test_gaussian_dropout_multiplies_by_noise_around_one():
    x = torch.ones(4000)
    assert torch.equal(GaussianDropout(0.5)(x), x)
    noisy = GaussianDropout(0.5)(x, training=True)
    assert abs(float(noisy.mean()) - 1.0) < 0.1
    assert abs(float(noisy.std()) - 1.0) < 0.1  # sqrt(0.5 / 0.5)


def test_gaussian_dropout_rejects_bad_rate():
    with pytest.raises(ValueError, match="rate=1"):
        GaussianDropout(1)
