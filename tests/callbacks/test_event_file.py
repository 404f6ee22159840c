"""The hand-written event-file format, checked by its own reader and by
TensorBoard's (when the `tensorboard` package is installed)."""

import struct
import zlib

import numpy as np
import pytest

from lamina.callbacks._event_file import EventFileWriter
from lamina.callbacks._event_file import crc32c
from lamina.callbacks._event_file import frame_record
from lamina.callbacks._event_file import masked_crc32c
from lamina.callbacks._event_file import read_events
from lamina.callbacks._event_file import read_records
from lamina.callbacks._weight_images import encode_png


def _accumulator(log_dir):
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator"
    )
    everything = {"tensors": 0, "histograms": 0, "scalars": 0, "images": 0}
    accumulator = event_accumulator.EventAccumulator(
        str(log_dir), size_guidance=everything
    )
    accumulator.Reload()
    return accumulator


def test_crc32c_known_values():
    # RFC 3720, B.4: CRC-32C test vectors.
    assert crc32c(b"") == 0
    assert crc32c(bytes(32)) == 0x8A9136AA
    assert crc32c(bytes([0xFF] * 32)) == 0x62A8AB43
    assert crc32c(bytes(range(32))) == 0x46DD794E


def test_frame_record_layout():
    record = frame_record(b"abc")
    assert struct.unpack("<Q", record[:8]) == (3,)
    assert struct.unpack("<I", record[8:12]) == (masked_crc32c(record[:8]),)
    assert record[12:15] == b"abc"
    assert struct.unpack("<I", record[15:]) == (masked_crc32c(b"abc"),)


def test_read_records_rejects_a_damaged_payload(tmp_path):
    path = tmp_path / "events.out.tfevents.1"
    record = bytearray(frame_record(b"payload"))
    record[14] ^= 0xFF
    path.write_bytes(bytes(record))
    with pytest.raises(ValueError, match="bad CRC"):
        list(read_records(path))


def test_writer_names_and_opens_file_as_tensorflow(tmp_path):
    writer = EventFileWriter(tmp_path / "train")
    assert writer.path is None  # nothing written, no file
    writer.add_scalar("epoch_loss", 0.5, step=3)
    writer.close()
    name = writer.path.rsplit("/", 1)[1]
    assert name.startswith("events.out.tfevents.") and name.endswith(".v2")
    events = read_events(writer.path)
    assert events[0].file_version == "brain.Event:2"
    (value,) = events[1].values
    assert (events[1].step, value.tag, value.plugin_name) == (
        3,
        "epoch_loss",
        "scalars",
    )
    assert value.tensor.dtype == np.float32 and value.tensor.shape == ()
    assert float(value.tensor) == 0.5


def test_negative_and_large_steps_round_trip(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.add_scalar("a", 1.0, step=-2)
    writer.add_scalar("a", 1.0, step=2**40)
    writer.close()
    assert [e.step for e in read_events(writer.path)[1:]] == [-2, 2**40]


def test_histogram_counts(tmp_path):
    values = np.random.default_rng(0).normal(size=(50, 4))
    values[0, 0] = np.nan  # left out
    writer = EventFileWriter(tmp_path)
    writer.add_histogram("w/histogram", values, step=1)
    writer.add_histogram("c/histogram", np.full(5, 2.0), step=1)
    writer.close()
    histogram = read_events(writer.path)[1].values[0].histogram
    finite = values[np.isfinite(values)]
    assert histogram["num"] == finite.size == sum(histogram["bucket"])
    assert histogram["min"] == finite.min() and histogram["max"] == finite.max()
    assert histogram["sum"] == pytest.approx(finite.sum())
    assert histogram["sum_squares"] == pytest.approx(np.square(finite).sum())
    assert len(histogram["bucket"]) == 30
    assert histogram["bucket_limit"][-1] == finite.max()
    constant = read_events(writer.path)[2].values[0].histogram
    assert constant["bucket_limit"] == [2.0] and constant["bucket"] == [5.0]


def test_png_encoding_decodes():
    image_module = pytest.importorskip("PIL.Image")
    import io

    pixels = np.arange(24, dtype="uint8").reshape(2, 4, 3) * 10
    png = encode_png(pixels)
    decoded = np.asarray(image_module.open(io.BytesIO(png)))
    np.testing.assert_array_equal(decoded, pixels)
    assert zlib.crc32(png[12:29]) == struct.unpack(">I", png[29:33])[0]


def test_tensorboard_reads_every_summary_kind(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.add_scalar("epoch_loss", 0.25, step=0)
    writer.add_scalar("epoch_loss", 0.125, step=1)
    writer.add_histogram("k/histogram", np.arange(10.0), step=0)
    png = encode_png(np.zeros((2, 3, 1), dtype="uint8"))
    writer.add_images("k/image", [png], width=3, height=2, step=0)
    writer.add_text_tensor("keras", '{"a": 1}', 0, "graph_keras_model", b"1")
    writer.close()
    accumulator = _accumulator(tmp_path)
    from tensorboard.util import tensor_util

    tags = accumulator.Tags()
    assert set(tags["tensors"]) == {"epoch_loss", "k/image", "keras"}
    assert tags["histograms"] == ["k/histogram"]
    losses = accumulator.Tensors("epoch_loss")
    assert [
        (e.step, float(tensor_util.make_ndarray(e.tensor_proto))) for e in losses
    ] == [
        (0, 0.25),
        (1, 0.125),
    ]
    metadata = accumulator.SummaryMetadata("epoch_loss")
    assert metadata.plugin_data.plugin_name == "scalars"
    histogram = accumulator.Histograms("k/histogram")[0].histogram_value
    assert (histogram.num, histogram.min, histogram.max) == (10, 0, 9)
    image = tensor_util.make_ndarray(accumulator.Tensors("k/image")[0].tensor_proto)
    assert list(image) == [b"3", b"2", png]
    graph = accumulator.SummaryMetadata("keras").plugin_data
    assert (graph.plugin_name, graph.content) == ("graph_keras_model", b"1")
