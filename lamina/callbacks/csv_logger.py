"""`CSVLogger`: writes each epoch's logs as a row of a CSV file."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs


def _cell(value: Any) -> Any:
    """Strings and numbers as they are; sequences as `"[a, b]"`, like Keras."""
    if isinstance(value, str):
        return value
    is_scalar_array = isinstance(value, np.ndarray) and value.ndim == 0
    if isinstance(value, Iterable) and not is_scalar_array:
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Streams the epoch results to a CSV file, one row per epoch.

    The columns are `epoch` then the log keys sorted; when the first epoch
    has no validation metrics, `val_` columns are reserved anyway (filled
    with `NA`), as Keras does.

    Args:
        filename: Path of the CSV file, e.g. `"run/log.csv"`.
        separator: Column separator. Defaults to `","`.
        append: Whether to append to an existing file (continuing a run)
            instead of overwriting it. Defaults to `False`.

    Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
    >>> logger = CSVLogger(path)
    >>> logger.on_train_begin()
    >>> logger.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
    >>> logger.on_train_end()
    >>> print(open(path).read(), end="")
    epoch,loss,val_loss
    0,0.5,0.75
    """

    def __init__(
        self, filename: str | os.PathLike, separator: str = ",", append: bool = False
    ):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer: csv.DictWriter | None = None
        self.keys: list[str] | None = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        mode = "w"
        if self.append:
            mode = "a"
            if os.path.exists(self.filename):
                with open(self.filename, encoding="utf-8") as existing:
                    self.append_header = not existing.readline()
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode, newline="", encoding="utf-8")  # noqa: SIM115
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]
        if self.writer is None:
            self.writer = self._make_writer()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def _make_writer(self) -> csv.DictWriter:
        writer = csv.DictWriter(
            self.csv_file,
            fieldnames=["epoch", *self.keys],
            delimiter=self.sep,
            lineterminator="\r\n",
        )
        if self.append_header:
            writer.writeheader()
        return writer

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
