import math

import pytest
import torch
from _callback_testing import FakeModel

from lamina.callbacks import LearningRateScheduler


@pytest.fixture
def model():
    return FakeModel()


def test_learning_rate_scheduler_two_argument_schedule(model):
    callback = LearningRateScheduler(lambda epoch, lr: lr * math.exp(-0.1))
    callback.set_model(model)
    for epoch in range(3):
        callback.on_epoch_begin(epoch)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.1 * math.exp(-0.3))


def test_learning_rate_scheduler_keras2_one_argument_schedule(model):
    callback = LearningRateScheduler(lambda epoch: 0.5**epoch)
    callback.set_model(model)
    callback.on_epoch_begin(3)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.125)


def test_learning_rate_scheduler_accepts_tensor_result(model):
    callback = LearningRateScheduler(lambda epoch, lr: torch.tensor(lr) / 2)
    callback.set_model(model)
    callback.on_epoch_begin(0)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)


def test_learning_rate_scheduler_rejects_non_number(model):
    callback = LearningRateScheduler(lambda epoch, lr: "fast")
    callback.set_model(model)
    with pytest.raises(ValueError, match="must return a float.*'fast'"):
        callback.on_epoch_begin(0)


def test_learning_rate_scheduler_logs_rate_and_prints(model, capsys):
    callback = LearningRateScheduler(lambda epoch, lr: 0.5, verbose=1)
    callback.set_model(model)
    callback.on_epoch_begin(0)
    logs = {}
    callback.on_epoch_end(0, logs)
    assert logs == {"learning_rate": 0.5}
    assert "Epoch 1: LearningRateScheduler setting learning rate to 0.5." in (
        capsys.readouterr().out
    )
