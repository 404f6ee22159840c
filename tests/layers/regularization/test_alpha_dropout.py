import pytest
import torch

from lamina.layers import AlphaDropout
from lamina.testing import check_layer


def test_alpha_dropout_conformance():
    check_layer(lambda: AlphaDropout(0.2), torch.randn(2, 3), (2, 3))


def test_alpha_dropout_keeps_mean_and_variance():
    torch.manual_seed(0)
    x = torch.randn(200000)
    out = AlphaDropout(0.2)(x, training=True)
    assert abs(float(out.mean())) < 0.02
    assert abs(float(out.std()) - 1.0) < 0.02
    assert torch.equal(AlphaDropout(0.2)(x), x)


def test_alpha_dropout_noise_shape():
    out = AlphaDropout(0.5, noise_shape=(None, 1))(torch.randn(6, 4), training=True)
    assert out.shape == (6, 4)


def test_alpha_dropout_rejects_bad_rate():
    with pytest.raises(ValueError, match="rate=-0.1"):
        AlphaDropout(-0.1)
