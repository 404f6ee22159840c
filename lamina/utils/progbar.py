"""A text progress bar, and the one helper that writes user-facing text."""

from __future__ import annotations

import math
import os
import re
import sys
import time
from collections.abc import Iterable
from typing import Any

import torch

from lamina.utils.io_utils import is_interactive_logging_enabled
from lamina.utils.io_utils import log_message

# Styling escapes are sent only to a terminal: logs and files get plain text.
_BOLD = "\x1b[1m"
_GREEN = "\x1b[32m"
_GREY = "\x1b[37m"
_RESET = "\x1b[0m"
_BAR_CHAR = "\u2501"  # '━', as Keras draws it
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def _is_rank_zero() -> bool:
    """Whether this process may print: only rank 0 does in distributed runs."""
    if not torch.distributed.is_available():
        return True
    if not torch.distributed.is_initialized():
        return True
    return torch.distributed.get_rank() == 0


def print_msg(message: str, line_break: bool = True) -> None:
    """Writes `message` to `sys.stdout` and flushes; the library never `print`s.

    Only rank 0 of a distributed run writes. Characters the stream cannot
    encode (a bar drawn on a Latin-1 console) are replaced rather than raised.

    Args:
        message: The text to write.
        line_break: Whether to end the text with a newline. Defaults to `True`.

    Example:
    >>> print_msg("Epoch 1/2")
    Epoch 1/2
    """
    if not _is_rank_zero():
        return
    if not is_interactive_logging_enabled():
        log_message(message)
        return
    text = f"{message}\n" if line_break else str(message)
    stream = sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        text = text.replace(_BAR_CHAR, "=")
        stream.write(text.encode(encoding, errors="replace").decode(encoding))
    stream.flush()


def _is_dynamic_display() -> bool:
    """Whether stdout can redraw a line in place (a terminal or a notebook)."""
    is_tty = hasattr(sys.stdout, "isatty") and sys.stdout.isatty()
    return is_tty or "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ


def _format_number(value: float) -> str:
    """Keras's metric format: 4 decimals, or scientific when tiny."""
    if abs(value) > 1e-3:
        return f"{value:.4f}"
    return f"{value:.4e}"


def _format_time_per_unit(time_per_unit: float, unit_name: str) -> str:
    """`' 6ms/step'`, `' 250us/step'` or `' 2s/step'`, as Keras chooses."""
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1e6:.0f}us/{unit_name}"


def _format_eta(seconds: float) -> str:
    """`'1:02:03'`, `'2:03'` or `'3s'`."""
    whole = int(seconds)
    if seconds > 3600:
        return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    if seconds > 60:
        return f"{whole // 60}:{whole % 60:02d}"
    return f"{whole}s"


def _to_float(value: Any) -> float:
    """Reads a number, a NumPy scalar or a one-element tensor (a host sync)."""
    if isinstance(value, torch.Tensor):
        return float(value.detach().float().mean())
    try:
        return float(value)
    except TypeError:
        # A sequence of per-step values: Keras shows their mean.
        return float(sum(value) / max(len(value), 1))


class Progbar:
    """Displays a progress bar with the running values of some metrics.

    On a terminal (or notebook) the bar is redrawn in place with `\\r` at most
    once per `interval` seconds. When stdout is not a terminal (a file, a pipe,
    a CI log) nothing is written until the final update, which writes the
    finished bar as one line, so long runs do not flood the log.

    Metrics not in `stateful_metrics` are averaged over the steps seen (each
    value weighted by the steps it covers); stateful ones are shown as they
    are. Values may be 0-d torch tensors: stateful ones are read (a host sync)
    only when the bar is drawn.

    Args:
        target: Total number of steps expected, or `None` if unknown.
        width: Width of the bar in characters. Defaults to `20`.
        verbose: `0` silent, `1` a live bar, `2` one line at the end.
            Defaults to `1`.
        interval: Minimum number of seconds between two redraws. Defaults to
            `0.05`.
        stateful_metrics: Names of metrics shown as-is, not averaged. Give
            this or `stateless_metrics`, not both. Defaults to `None` (all
            averaged).
        unit_name: Name of one step in the time display, as in `6ms/step`.
            Defaults to `"step"`.
        stateless_metrics: Names of the only metrics to average; all others
            are shown as-is. Defaults to `None`.

    Example:
    >>> bar = Progbar(target=2, verbose=2)
    >>> bar.update(1, [("loss", 0.5)])
    >>> bar.update(2, [("loss", 0.25)])  # doctest: +ELLIPSIS
    2/2 - 0s - ...s/step - loss: 0.2500
    """

    def __init__(
        self,
        target: int | None,
        width: int = 20,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Iterable[str] | None = None,
        unit_name: str = "step",
        *,
        stateless_metrics: Iterable[str] | None = None,
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar received both stateful_metrics and stateless_metrics, "
                "but accepts only one. Pass stateful_metrics to list the "
                "metrics shown as-is, or stateless_metrics to list the metrics "
                "to average."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = (
            set(stateful_metrics) if stateful_metrics is not None else None
        )
        self.stateless_metrics = (
            set(stateless_metrics) if stateless_metrics is not None else None
        )
        if self.stateful_metrics is None and self.stateless_metrics is None:
            self.stateful_metrics = set()
        self._dynamic_display = _is_dynamic_display()
        self._seen_so_far = 0
        # name -> [sum of value * steps, steps]; stateful: [raw value, 1]
        self._values: dict[str, list[Any]] = {}
        self._values_order: list[str] = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step: float | None = None
        self._prev_total_width = 0

    def update(
        self,
        current: int,
        values: Iterable[tuple[str, Any]] | None = None,
        finalize: bool | None = None,
    ) -> None:
        """Records step `current` and redraws the bar when it is due.

        Args:
            current: Index of the current step (1-based count of steps done).
            values: `(name, value)` pairs for this step. Stateless values are
                averaged over steps; stateful values are shown as given.
            finalize: Whether this is the last update. Defaults to
                `current >= target` (never, when the target is unknown).

        Example:
        >>> bar = Progbar(target=None, verbose=0)
        >>> bar.update(3, [("loss", 1.0)])
        >>> bar._seen_so_far
        3
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or [], finalize)
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if not finalize and (
                not self._dynamic_display or now - self._last_update < self.interval
            ):
                return
            self._draw_live(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize:
            self._draw_summary(current, now, time_per_unit)
        self._last_update = now

    def is_due(self) -> bool:
        """Whether an update now (not the last one) would redraw a live bar.

        Example:
        >>> Progbar(target=10, verbose=0).is_due()
        False
        """
        if self.verbose != 1 or not self._dynamic_display:
            return False
        return time.time() - self._last_update >= self.interval

    def add(self, n: int, values: Iterable[tuple[str, Any]] | None = None) -> None:
        """Advances the bar by `n` steps.

        Args:
            n: Number of steps done since the last update.
            values: `(name, value)` pairs, as for `update`.

        Example:
        >>> bar = Progbar(target=10, verbose=0)
        >>> bar.add(4)
        >>> bar.add(2)
        >>> bar._seen_so_far
        6
        """
        self.update(self._seen_so_far + n, values)

    def _is_stateless(self, name: str) -> bool:
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _record(
        self, current: int, values: Iterable[tuple[str, Any]], finalize: bool
    ) -> None:
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            if not self._is_stateless(name) or finalize:
                # Shown as-is; tensors stay unread until the bar is drawn.
                self._values[name] = [value, 1]
                continue
            # Each value stands for the steps since the previous update; at
            # least one, so a repeated step still counts.
            steps = max(current - self._seen_so_far, 1)
            total = _to_float(value) * steps
            if name in self._values:
                self._values[name][0] += total
                self._values[name][1] += steps
            else:
                self._values[name] = [total, steps]

    def _metric_average(self, name: str) -> float:
        total, steps = self._values[name]
        return _to_float(total) / max(1, steps)

    def _draw_live(
        self, current: int, now: float, time_per_unit: float, finalize: bool
    ) -> None:
        """Draws the verbose=1 line: in place on a terminal, once otherwise."""
        styled = self._dynamic_display
        bold = (lambda text: f"{_BOLD}{text}{_RESET}") if styled else str
        if self.target is not None and self.target > 0:
            num_digits = int(math.log10(self.target)) + 1
            bar = bold(f"{current:{num_digits}d}/{self.target}") + " "
            done_width = min(int(self.width * current / self.target), self.width)
            done = _BAR_CHAR * done_width
            todo = _BAR_CHAR * (self.width - done_width)
            if styled:
                done = f"{_GREEN}{done}{_RESET}" if done else ""
                todo = f"{_GREY}{todo}{_RESET}"
            bar += done + todo
        else:
            bar = f"{current:7d}/Unknown"
        if self.target is not None and self.target > 0 and not finalize:
            clock = _format_eta(time_per_unit * (self.target - current))
        else:
            clock = f"{now - self._start:.0f}s"
        info = " " + bold(clock)
        info += _format_time_per_unit(time_per_unit, self.unit_name)
        info += self._format_metrics()
        total_width = len(_ANSI_ESCAPE.sub("", bar + info))
        message = "\b" * self._prev_total_width + "\r" if styled else ""
        message += bar + info
        if styled and self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize or not styled:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = total_width

    def _format_metrics(self) -> str:
        return "".join(
            f" - {name}: {_format_number(self._metric_average(name))}"
            for name in self._values_order
        )

    def _draw_summary(self, current: int, now: float, time_per_unit: float) -> None:
        """Draws the verbose=2 line: `2/2 - 0s - 6ms/step - loss: 0.3750`."""
        if self.target is None or self.target <= 0:
            return
        num_digits = int(math.log10(self.target)) + 1
        info = f"{current:{num_digits}d}/{self.target} - {now - self._start:.0f}s"
        info += f" -{_format_time_per_unit(time_per_unit, self.unit_name)}"
        for name in self._values_order:
            average = self._metric_average(name)
            # Keras compares the signed value here (not abs) on this path.
            text = f"{average:.4f}" if average > 1e-3 else f"{average:.4e}"
            info += f" - {name}: {text}"
        print_msg(info)

    def _estimate_step_duration(self, current: int, now: float) -> float:
        """Seconds per step, leaving out the (slow, warm-up) first step."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit
