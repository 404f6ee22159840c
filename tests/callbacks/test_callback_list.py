import numpy as np
import pytest
import torch
from _callback_testing import FakeModel

from lamina.callbacks import Callback
from lamina.callbacks import CallbackList
from lamina.callbacks import History
from lamina.callbacks import LambdaCallback
from lamina.callbacks import ModelCheckpoint
from lamina.callbacks import ProgbarLogger
from lamina.callbacks import ReduceLROnPlateau
from lamina.callbacks import _logs
from lamina.callbacks import callback_list as callback_list_module


@pytest.fixture
def model():
    return FakeModel()


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.batch_logs = []

    def on_train_batch_end(self, batch, logs=None):
        self.batch_logs.append(logs)


class Keras2Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_batch_end(self, batch, logs=None):
        self.calls.append((batch, logs))


def _tensor_logs(step):
    return {"loss": torch.tensor(1.0 / (step + 1)), "accuracy": torch.tensor(0.5)}


def test_callback_list_adds_history_and_progbar_once(model):
    history = History()
    callbacks = CallbackList(
        [history], add_history=True, add_progbar=True, model=model, epochs=2
    )
    assert callbacks.callbacks[0] is history
    assert sum(isinstance(cb, History) for cb in callbacks.callbacks) == 1
    assert isinstance(callbacks.callbacks[-1], ProgbarLogger)
    assert model.history is history
    assert history.params == {"epochs": 2}


def test_callback_list_flattens_nested_lists(model):
    inner = [Callback(), [Callback()]]
    assert len(CallbackList([Callback(), inner]).callbacks) == 3


def test_callback_list_rejects_non_callback():
    with pytest.raises(TypeError, match=r"callbacks\[1\].*LambdaCallback"):
        CallbackList([Callback(), lambda epoch, logs: None])


def test_callback_list_skips_batch_dispatch_without_overrides(model, monkeypatch):
    conversions = []
    real = _logs.pythonify_logs

    def counting(logs):
        conversions.append(logs)
        return real(logs)

    monkeypatch.setattr(callback_list_module, "pythonify_logs", counting)
    callbacks = CallbackList(
        add_history=True, add_progbar=True, model=model, verbose=0, epochs=1, steps=5
    )
    callbacks.on_train_begin()
    callbacks.on_epoch_begin(0)
    assert callbacks._batch_receivers["on_test_batch_begin"] == []
    conversions.clear()
    for step in range(5):
        callbacks.on_train_batch_begin(step)
        callbacks.on_train_batch_end(step, _tensor_logs(step))
    assert conversions == []  # no host sync per step in a default fit
    callbacks.on_epoch_end(0, {"loss": 0.2})
    callbacks.on_train_end()
    assert model.history.history == {"loss": [0.2]}


def test_callback_list_model_checkpoint_per_epoch_costs_no_sync(model, monkeypatch):
    monkeypatch.setattr(
        callback_list_module, "pythonify_logs", pytest.fail
    )  # any conversion fails the test
    callbacks = CallbackList([ModelCheckpoint("m.keras")], model=model)
    callbacks.on_train_batch_end(0, _tensor_logs(0))


def test_callback_list_converts_only_for_overriding_callbacks(model):
    recorder = Recorder()
    seen_by_progbar = []

    class TensorReader(ProgbarLogger):
        def on_train_batch_end(self, batch, logs=None):
            seen_by_progbar.append(logs)

    callbacks = CallbackList([recorder, TensorReader()], model=model)
    callbacks.on_train_batch_end(0, _tensor_logs(0))
    assert recorder.batch_logs == [{"accuracy": 0.5, "loss": 1.0}]
    assert list(recorder.batch_logs[0]) == ["accuracy", "loss"]  # sorted
    assert isinstance(seen_by_progbar[0]["loss"], torch.Tensor)


def test_callback_list_keras2_on_batch_end_gets_train_batches(model):
    recorder = Keras2Recorder()
    callbacks = CallbackList([recorder], model=model)
    callbacks.on_train_batch_end(3, _tensor_logs(0))
    callbacks.on_test_batch_end(0, _tensor_logs(0))
    assert recorder.calls == [(3, {"accuracy": 0.5, "loss": 1.0})]


def test_callback_list_lambda_batch_hook_is_detected(model):
    seen = []
    callback = LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(logs))
    callbacks = CallbackList([callback], model=model)
    callbacks.on_train_batch_end(0, {"loss": torch.tensor(2.0)})
    assert seen == [{"loss": 2.0}]


def test_callback_list_flattens_nested_logs_and_numpy_values(model):
    recorder = Recorder()
    callbacks = CallbackList([recorder], model=model)
    logs = {"b": {"loss": np.float32(0.25)}, "a": torch.tensor([3.0])}
    callbacks.on_train_batch_end(0, logs)
    assert recorder.batch_logs == [{"a": 3.0, "loss": 0.25}]


def test_callback_list_epoch_logs_are_one_shared_dict(model):
    history = History()
    callbacks = CallbackList([ReduceLROnPlateau(monitor="loss"), history], model=model)
    callbacks.on_train_begin()
    callbacks.on_epoch_end(0, {"loss": torch.tensor(0.5)})
    assert history.history["loss"] == [0.5]
    assert history.history["learning_rate"] == [pytest.approx(0.1)]


def test_callback_list_append_attaches_model_and_params(model):
    callbacks = CallbackList(model=model, epochs=3)
    recorder = Recorder()
    callbacks.append(recorder)
    assert recorder.model is model
    assert recorder.params == {"epochs": 3}
    callbacks.on_train_batch_end(0, {"loss": torch.tensor(1.0)})
    assert recorder.batch_logs == [{"loss": 1.0}]
