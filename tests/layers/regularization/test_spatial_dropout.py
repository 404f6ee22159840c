import pytest
import torch

import lamina
from lamina.layers import SpatialDropout1D
from lamina.layers import SpatialDropout2D
from lamina.layers import SpatialDropout3D
from lamina.testing import check_layer


def test_spatial_dropout_conformance():
    check_layer(lambda: SpatialDropout1D(0.3), torch.randn(2, 3, 4), (2, 3, 4))
    check_layer(lambda: SpatialDropout2D(0.3), torch.randn(2, 3, 3, 4), (2, 3, 3, 4))
    check_layer(
        lambda: SpatialDropout3D(0.3), torch.randn(1, 2, 2, 2, 4), (1, 2, 2, 2, 4)
    )


def test_spatial_dropout1d_drops_whole_channels_and_scales():
    lamina.utils.set_random_seed(1)
    out = SpatialDropout1D(0.5)(torch.ones(8, 10, 16), training=True)
    per_channel = out[:, 0, :]  # every step of a channel shares the draw
    assert torch.equal(out, per_channel.unsqueeze(1).expand_as(out))
    assert set(out.unique().tolist()) <= {0.0, 2.0}
    assert 0 < (per_channel == 0).sum() < per_channel.numel()


def test_spatial_dropout2d_channels_first():
    lamina.utils.set_random_seed(2)
    out = SpatialDropout2D(0.5, data_format="channels_first")(
        torch.ones(4, 6, 3, 3), training=True
    )
    assert torch.equal(out, out[:, :, :1, :1].expand_as(out))


def test_spatial_dropout_identity_outside_training():
    x = torch.randn(2, 3, 4)
    assert torch.equal(SpatialDropout1D(0.9)(x), x)
    assert torch.equal(SpatialDropout1D(0.9)(x, training=False), x)


def test_spatial_dropout_rejects_wrong_rank_and_rate():
    with pytest.raises(ValueError, match="rank 3"):
        SpatialDropout1D(0.2)(torch.ones(2, 3))
    with pytest.raises(ValueError, match="rate=1.5"):
        SpatialDropout2D(1.5)


def test_spatial_dropout_config_keys_match_keras():
    assert set(SpatialDropout1D(0.2).get_config()) == {"rate", "seed", "name", "dtype"}
    assert "data_format" in SpatialDropout3D(0.2).get_config()
