import pytest
import torch
from _callback_testing import FakeModel

from lamina.callbacks import CallbackList
from lamina.callbacks import TerminateOnNaN


@pytest.fixture
def model():
    return FakeModel()


def test_terminate_on_nan_stops_on_inf(model, capsys):
    callbacks = CallbackList([TerminateOnNaN()], model=model)
    callbacks.on_train_batch_end(0, {"loss": torch.tensor(1.0)})
    assert not model.stop_training
    callbacks.on_train_batch_end(1, {"loss": torch.tensor(float("inf"))})
    assert model.stop_training
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"


def test_terminate_on_nan_can_raise(model):
    callback = TerminateOnNaN(raise_error=True)
    callback.set_model(model)
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 4"):
        callback.on_batch_end(4, {"loss": float("nan")})
