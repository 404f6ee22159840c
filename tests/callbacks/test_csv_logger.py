import numpy as np

from lamina.callbacks import CSVLogger


def _log(path, epoch_logs, **kwargs):
    logger = CSVLogger(path, **kwargs)
    logger.on_train_begin()
    for epoch, logs in enumerate(epoch_logs):
        logger.on_epoch_end(epoch, logs)
    logger.on_train_end()


def test_csv_logger_sorted_columns(tmp_path):
    path = tmp_path / "log.csv"
    _log(path, [{"loss": 0.5, "accuracy": 0.25, "val_loss": 0.75}])
    assert path.read_bytes() == b"epoch,accuracy,loss,val_loss\r\n0,0.25,0.5,0.75\r\n"


def test_csv_logger_reserves_val_columns(tmp_path):
    path = tmp_path / "log.csv"
    _log(path, [{"loss": 0.5}], separator=";")
    assert path.read_text().splitlines() == ["epoch;loss;val_loss", "0;0.5;NA"]


def test_csv_logger_append_writes_header_once(tmp_path):
    path = tmp_path / "log.csv"
    _log(path, [{"loss": 0.5}], append=True)
    _log(path, [{"loss": 0.25}], append=True)
    assert path.read_text().splitlines() == [
        "epoch,loss,val_loss",
        "0,0.5,NA",
        "0,0.25,NA",
    ]


def test_csv_logger_overwrites_without_append(tmp_path):
    path = tmp_path / "log.csv"
    _log(path, [{"loss": 0.5}])
    _log(path, [{"loss": 0.25}])
    assert path.read_text().splitlines()[1:] == ["0,0.25,NA"]


def test_csv_logger_writes_arrays_as_lists(tmp_path):
    path = tmp_path / "log.csv"
    _log(path, [{"loss": 0.5, "val_loss": 0.5, "per_class": np.array([1, 2])}])
    assert path.read_text().splitlines()[1] == '0,0.5,"""[1, 2]""",0.5'
