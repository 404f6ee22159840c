import torch

from lamina.layers import ActivityRegularization
from lamina.testing import check_layer


def test_activity_regularization_conformance():
    check_layer(lambda: ActivityRegularization(l1=0.1), torch.randn(2, 3), (2, 3))


def test_activity_regularization_adds_batch_mean_penalty():
    layer = ActivityRegularization(l1=1.0, l2=0.5)
    x = torch.tensor([[1.0, -2.0], [0.0, 1.0]])
    assert torch.equal(layer(x), x)
    # (l1 * 4 + l2 * 6) / batch of 2
    assert float(layer.losses[0]) == (4.0 + 3.0) / 2


def test_activity_regularization_config_keys():
    config = ActivityRegularization(l1=0.2).get_config()
    assert config["l1"] == 0.2 and config["l2"] == 0.0
    assert "activity_regularizer" not in config
    assert ActivityRegularization.from_config(config).l1 == 0.2
