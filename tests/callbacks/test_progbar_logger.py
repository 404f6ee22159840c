import re

import pytest
import torch

from lamina.callbacks import CallbackList
from lamina.callbacks import ProgbarLogger


def _fit(epochs, steps, verbose, val=True):
    callbacks = CallbackList(
        add_history=True, add_progbar=True, verbose=verbose, epochs=epochs, steps=steps
    )
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for step in range(steps):
            callbacks.on_train_batch_begin(step)
            logs = {"loss": torch.tensor(0.5), "accuracy": torch.tensor(0.25)}
            callbacks.on_train_batch_end(step, logs)
        epoch_logs = {"loss": 0.28714, "accuracy": 0.91234}
        if val:
            callbacks.on_test_begin()
            callbacks.on_test_batch_end(0, {"loss": torch.tensor(1.0)})
            callbacks.on_test_end({"loss": 0.3})
            epoch_logs.update(val_loss=0.3, val_accuracy=0.9)
        callbacks.on_epoch_end(epoch, epoch_logs)
    callbacks.on_train_end()


LINE = re.compile(
    r"^\d+/\d+ ━{20} \d+s \d+(us|ms|s)/step - accuracy: 0\.9123 - loss: 0\.2871"
    r" - val_accuracy: 0\.9000 - val_loss: 0\.3000$"
)


def test_progbar_logger_verbose1_non_tty_writes_one_line_per_epoch(capsys):
    _fit(epochs=2, steps=1000, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2"
    assert lines[2] == "Epoch 2/2"
    assert len(lines) == 4
    assert LINE.match(lines[1]), lines[1]
    assert lines[1].startswith("1000/1000 ")


def test_progbar_logger_verbose2_one_line_per_epoch(capsys):
    _fit(epochs=2, steps=10, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert re.match(
        r"^10/10 - \d+s - \d+(us|ms|s)/step - accuracy: 0\.9123 - loss: 0\.2871"
        r" - val_accuracy: 0\.9000 - val_loss: 0\.3000$",
        lines[1],
    )


def test_progbar_logger_single_epoch_has_no_epoch_header(capsys):
    _fit(epochs=1, steps=3, verbose=1, val=False)
    out = capsys.readouterr().out
    assert "Epoch" not in out
    assert out.startswith("3/3 ")


def test_progbar_logger_verbose0_is_silent(capsys):
    _fit(epochs=2, steps=3, verbose=0)
    assert capsys.readouterr().out == ""


def test_progbar_logger_unknown_steps_learns_target(capsys):
    logger = ProgbarLogger()
    logger.set_params({"verbose": 2, "epochs": 1, "steps": None})
    logger.on_epoch_begin(0)
    for step in range(5):
        logger.on_train_batch_end(step, {})
    logger.on_epoch_end(0, {"loss": 0.5})
    assert logger.target == 5
    assert capsys.readouterr().out.splitlines()[-1].startswith("5/5 - ")


def test_progbar_logger_evaluate_shows_bar(capsys):
    callbacks = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=2)
    callbacks.on_test_begin()
    for step in range(2):
        callbacks.on_test_batch_end(step, {"loss": torch.tensor(0.5)})
    callbacks.on_test_end({"loss": 0.5})
    assert re.match(
        r"^2/2 ━{20} \d+s \d+(us|ms|s)/step - loss: 0\.5000$", capsys.readouterr().out
    )


def test_progbar_logger_rejects_bad_count_mode():
    with pytest.raises(ValueError, match="count_mode='batches'.*'steps' or 'samples'"):
        ProgbarLogger(count_mode="batches")


def test_progbar_logger_counts_samples(capsys):
    logger = ProgbarLogger(count_mode="samples")
    logger.set_params(
        {"verbose": 2, "epochs": 1, "steps": 3, "samples": 70, "batch_size": 32}
    )
    logger.on_epoch_begin(0)
    for step in range(3):
        logger.on_train_batch_end(step, {})
    logger.on_epoch_end(0, {})
    assert re.match(r"^70/70 - \d+s - \d+(us|ms|s)/sample$", capsys.readouterr().out)
