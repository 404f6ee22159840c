import pytest
from _callback_testing import FakeModel

from lamina.callbacks import ReduceLROnPlateau


@pytest.fixture
def model():
    return FakeModel()


def _rates(model, callback, losses):
    callback.set_model(model)
    callback.on_train_begin()
    rates = []
    for epoch, loss in enumerate(losses):
        callback.on_epoch_end(epoch, {"val_loss": loss})
        rates.append(float(model.optimizer.learning_rate))
    return rates


def test_reduce_lr_on_plateau_reduces_after_patience(model):
    callback = ReduceLROnPlateau(factor=0.5, patience=2)
    rates = _rates(model, callback, [1.0, 1.0, 1.0, 1.0, 1.0])
    assert rates == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])


def test_reduce_lr_on_plateau_cooldown_and_min_lr(model):
    callback = ReduceLROnPlateau(factor=0.1, patience=1, cooldown=2, min_lr=0.002)
    rates = _rates(model, callback, [1.0] * 8)
    assert rates == pytest.approx([0.1, 0.01, 0.01, 0.002, 0.002, 0.002, 0.002, 0.002])


def test_reduce_lr_on_plateau_adds_learning_rate_to_logs(model):
    callback = ReduceLROnPlateau()
    callback.set_model(model)
    callback.on_train_begin()
    logs = {"val_loss": 1.0}
    callback.on_epoch_end(0, logs)
    assert logs["learning_rate"] == pytest.approx(0.1)


def test_reduce_lr_on_plateau_rejects_factor_one():
    with pytest.raises(ValueError, match="factor=1.0.*below 1.0"):
        ReduceLROnPlateau(factor=1.0)


def test_reduce_lr_on_plateau_accepts_keras2_epsilon():
    assert ReduceLROnPlateau(epsilon=0.01).min_delta == 0.01


def test_reduce_lr_on_plateau_verbose_message(model, capsys):
    callback = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=0, verbose=1)
    _rates(model, callback, [1.0, 1.0])
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05" in (
        capsys.readouterr().out
    )


def test_reduce_lr_on_plateau_missing_metric_warns(model):
    callback = ReduceLROnPlateau(monitor="val_loss")
    callback.set_model(model)
    with pytest.warns(UserWarning, match="Available metrics are: loss, learning_rate"):
        callback.on_epoch_end(0, {"loss": 1.0})


def test_reduce_lr_on_plateau_without_optimizer_says_compile(model):
    model.optimizer = None
    callback = ReduceLROnPlateau()
    callback.set_model(model)
    with pytest.raises(ValueError, match="model.compile"):
        callback.on_epoch_end(0, {"val_loss": 1.0})
