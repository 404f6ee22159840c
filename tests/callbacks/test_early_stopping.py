import numpy as np
import pytest
from _callback_testing import FakeModel
from _callback_testing import run_epochs

from lamina.callbacks import EarlyStopping


@pytest.fixture
def model():
    return FakeModel()


def _losses(*values, key="val_loss"):
    return [{key: v} for v in values]


def test_early_stopping_stops_after_patience(model):
    stopper = EarlyStopping(patience=2)
    last = run_epochs(stopper, model, _losses(1.0, 0.8, 0.9, 0.85, 0.7))
    assert last == 3
    assert stopper.stopped_epoch == 3
    assert stopper.best == 0.8
    assert stopper.wait == 2


def test_early_stopping_min_delta_ignores_small_gains(model):
    stopper = EarlyStopping(monitor="loss", min_delta=0.1, patience=1)
    run_epochs(stopper, model, _losses(1.0, 0.95, 0.5, key="loss"))
    assert stopper.stopped_epoch == 1


def test_early_stopping_accuracy_is_maximized(model):
    stopper = EarlyStopping(monitor="val_accuracy", patience=0)
    run_epochs(stopper, model, _losses(0.5, 0.6, 0.55, key="val_accuracy"))
    assert stopper.stopped_epoch == 2
    assert stopper.best == 0.6


@pytest.mark.parametrize(
    "name", ["acc", "val_acc", "auc", "val_sparse_categorical_accuracy"]
)
def test_early_stopping_auto_mode_maximizes_scores(name, model):
    stopper = EarlyStopping(monitor=name)
    stopper.set_model(model)
    stopper._set_monitor_op()
    assert stopper._is_improvement(0.9, 0.8)


@pytest.mark.parametrize("name", ["val_loss", "mse", "val_mean_absolute_error"])
def test_early_stopping_auto_mode_minimizes_errors(name, model):
    stopper = EarlyStopping(monitor=name)
    stopper.set_model(model)
    stopper._set_monitor_op()
    assert stopper._is_improvement(0.8, 0.9)


def test_early_stopping_auto_mode_uses_model_metric_direction(model):
    class Score:
        name = "score"
        _direction = "up"

    model.metrics = [Score()]
    stopper = EarlyStopping(monitor="val_score")
    stopper.set_model(model)
    stopper._set_monitor_op()
    assert stopper._is_improvement(2.0, 1.0)


def test_early_stopping_unknown_direction_raises(model):
    stopper = EarlyStopping(monitor="val_widgets")
    stopper.set_model(model)
    with pytest.raises(ValueError, match="monitor='val_widgets'.*mode='max'"):
        stopper.on_epoch_end(0, {"val_widgets": 1.0})


def test_early_stopping_unknown_mode_warns_and_uses_auto():
    with pytest.warns(UserWarning, match="mode='foo'.*'auto', 'min', 'max'"):
        stopper = EarlyStopping(mode="foo")
    assert stopper.mode == "auto"


def test_early_stopping_missing_metric_warns_with_available(model):
    stopper = EarlyStopping()
    stopper.set_model(model)
    stopper.on_train_begin()
    with pytest.warns(UserWarning, match="Available metrics are: accuracy, loss"):
        stopper.on_epoch_end(0, {"accuracy": 0.5, "loss": 1.0})
    assert not model.stop_training


def test_early_stopping_baseline_keeps_counting(model):
    stopper = EarlyStopping(monitor="loss", baseline=0.5, patience=2)
    run_epochs(stopper, model, _losses(1.0, 0.9, 0.95, key="loss"))
    assert stopper.stopped_epoch == 2  # never reset: 0.5 was not beaten
    assert stopper.best == 0.9


def test_early_stopping_start_from_epoch_skips_warmup(model):
    stopper = EarlyStopping(monitor="loss", start_from_epoch=2, patience=0)
    last = run_epochs(stopper, model, _losses(1.0, 2.0, 3.0, 3.5, key="loss"))
    assert last == 3
    assert stopper.stopped_epoch == 3


def test_early_stopping_restores_best_weights_when_stopped(model):
    stopper = EarlyStopping(monitor="loss", patience=1, restore_best_weights=True)
    run_epochs(stopper, model, _losses(1.0, 0.5, 0.7, 0.8, key="loss"))
    assert stopper.best_epoch == 1
    np.testing.assert_array_equal(model.weights[0], [1, 1])


def test_early_stopping_restores_best_weights_without_stopping(model):
    stopper = EarlyStopping(monitor="loss", patience=5, restore_best_weights=True)
    run_epochs(stopper, model, _losses(1.0, 0.2, 0.7, key="loss"))
    assert stopper.stopped_epoch == 0
    np.testing.assert_array_equal(model.weights[0], [1, 1])


def test_early_stopping_verbose_messages(model, capsys):
    stopper = EarlyStopping(
        monitor="loss", patience=0, verbose=1, restore_best_weights=True
    )
    run_epochs(stopper, model, _losses(1.0, 2.0, key="loss"))
    assert capsys.readouterr().out == (
        "Epoch 2: early stopping\n"
        "Restoring model weights from the end of the best epoch: 1.\n"
    )


def test_early_stopping_resets_between_fits(model):
    stopper = EarlyStopping(monitor="loss", patience=0)
    run_epochs(stopper, model, _losses(1.0, 2.0, key="loss"))
    model.stop_training = False
    last = run_epochs(stopper, model, _losses(5.0, 4.0, 3.0, key="loss"))
    assert last == 2
    assert stopper.stopped_epoch == 0
