import io
import re
import sys

import pytest
import torch

from lamina.utils import Progbar
from lamina.utils import progbar as progbar_module


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progbar_non_tty_writes_bounded_lines(capsys):
    bar = Progbar(target=1000)
    for step in range(1, 1001):
        bar.update(step, [("loss", torch.tensor(0.5))])
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "\r" not in out and "\x1b" not in out
    assert re.match(r"^1000/1000 ━{20} \d+s \d+(us|ms|s)/step - loss: 0\.5000\n$", out)


def test_progbar_terminal_redraws_in_place_and_throttles(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    clock = iter(i * 0.01 for i in range(10_000))
    monkeypatch.setattr(progbar_module.time, "time", lambda: next(clock))
    bar = Progbar(target=100, interval=0.1)
    for step in range(1, 101):
        bar.update(step, [("loss", 0.25)])
    out = terminal.getvalue()
    redraws = out.count("\r")
    assert 5 <= redraws <= 12  # ~1 s of fake time at most 10 redraws/s, + final
    assert out.endswith("\n")
    assert "\x1b[32m" in out  # green done part on a terminal


def test_progbar_stateless_values_are_averaged(capsys):
    bar = Progbar(target=3, verbose=2)
    bar.update(1, [("loss", 1.0)])
    bar.update(3, [("loss", 4.0)], finalize=False)  # weighs 2 steps
    assert bar._metric_average("loss") == pytest.approx(3.0)


def test_progbar_stateful_values_shown_as_is(capsys):
    bar = Progbar(target=2, verbose=1, stateful_metrics=["acc"])
    bar.update(1, [("acc", 0.5)])
    bar.update(2, [("acc", 0.75), ("loss", 0.00012)])
    out = capsys.readouterr().out
    assert out.endswith("- acc: 0.7500 - loss: 1.2000e-04\n")


def test_progbar_keeps_first_seen_metric_order(capsys):
    bar = Progbar(target=1, verbose=2)
    bar.update(1, [("zeta", 1.0), ("alpha", 2.0)])
    out = capsys.readouterr().out
    assert out.index("zeta") < out.index("alpha")
    assert bar._values_order == ["zeta", "alpha"]


@pytest.mark.parametrize(
    "seconds, expected",
    [
        (2.0, " 2s/step"),
        (0.006, " 6ms/step"),
        (0.00025, " 250us/step"),
        (0, " 0s/step"),
    ],
)
def test_progbar_time_per_step_units(seconds, expected):
    assert progbar_module._format_time_per_unit(seconds, "step") == expected


@pytest.mark.parametrize(
    "seconds, expected", [(5.5, "5s"), (125, "2:05"), (3725, "1:02:05")]
)
def test_progbar_eta_format(seconds, expected):
    assert progbar_module._format_eta(seconds) == expected


def test_progbar_unknown_target(capsys):
    bar = Progbar(target=None)
    bar.update(5, [("loss", 0.5)], finalize=True)
    assert capsys.readouterr().out.startswith("      5/Unknown ")


def test_progbar_add_advances(capsys):
    bar = Progbar(target=4, verbose=2)
    bar.add(2)
    bar.add(2)
    assert capsys.readouterr().out.startswith("4/4 - ")


def test_progbar_rejects_both_metric_lists():
    with pytest.raises(ValueError, match="stateful_metrics and stateless_metrics"):
        Progbar(1, stateful_metrics=["a"], stateless_metrics=["b"])


def test_progbar_replaces_unencodable_bar(monkeypatch):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    Progbar(target=1).update(1)
    stream.flush()
    assert raw.getvalue().decode().startswith("1/1 ====================")
