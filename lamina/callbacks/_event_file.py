"""TensorBoard event files, written and read without TensorFlow.

An event file is a sequence of TFRecords (`uint64 length`, masked CRC32C of
the length, the payload, masked CRC32C of the payload), each payload a
serialized `tensorflow.Event` protobuf. The few messages TensorBoard needs
(`Event`, `Summary`, `SummaryMetadata`, `TensorProto`, `HistogramProto`) are
encoded here by hand in the protobuf wire format, with the field numbers of
`tensorflow/core/util/event.proto` and `tensorflow/core/framework/summary.proto`.

Summaries take the form `tf.summary` (TensorFlow 2) writes, so TensorBoard's
plugins read them as they read Keras's: scalars are float32 tensors tagged
with the `scalars` plugin, images are string tensors for the `images`
plugin, and the Keras model config is a string tensor for the
`graph_keras_model` plugin. Histograms are `HistogramProto`s, which
TensorBoard's histogram plugin reads alongside the tensor form.
"""

from __future__ import annotations

import itertools
import os
import socket
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import numpy as np

# ----------------------------------------------------------------- CRC32C


def _crc32c_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC32C_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli) of `data`, as TFRecord framing uses it.

    Example:
    >>> hex(crc32c(b"123456789"))
    '0xe3069283'
    """
    table = _CRC32C_TABLE
    crc = 0xFFFFFFFF
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """The CRC rotated and offset, so that a CRC of CRCs stays well spread."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frame_record(payload: bytes) -> bytes:
    """`payload` as one TFRecord: length, its CRC, payload, payload CRC."""
    length = struct.pack("<Q", len(payload))
    return b"".join(
        (
            length,
            struct.pack("<I", masked_crc32c(length)),
            payload,
            struct.pack("<I", masked_crc32c(payload)),
        )
    )


def read_records(path: str | os.PathLike) -> Iterator[bytes]:
    """The payloads of the TFRecords in `path`, each checked against its CRC."""
    with open(path, "rb") as file:
        data = file.read()
    offset = 0
    while offset < len(data):
        header = data[offset : offset + 12]
        if len(header) < 12:
            raise ValueError(f"Event file '{path}' ends inside a record header.")
        (length,) = struct.unpack("<Q", header[:8])
        (length_crc,) = struct.unpack("<I", header[8:])
        payload = data[offset + 12 : offset + 12 + length]
        footer = data[offset + 12 + length : offset + 16 + length]
        if masked_crc32c(header[:8]) != length_crc or len(footer) < 4:
            raise ValueError(f"Event file '{path}' has a damaged record header.")
        if masked_crc32c(payload) != struct.unpack("<I", footer)[0]:
            raise ValueError(f"Event file '{path}' has a record with a bad CRC.")
        yield payload
        offset += 16 + length


# ------------------------------------------------------ protobuf encoding

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5
DT_FLOAT = 1
DT_STRING = 7


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64s take ten bytes, two's complement
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _key(number: int, wire_type: int) -> bytes:
    return _varint((number << 3) | wire_type)


def _int_field(number: int, value: int) -> bytes:
    return _key(number, _VARINT) + _varint(value)


def _bytes_field(number: int, payload: bytes | str) -> bytes:
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return _key(number, _BYTES) + _varint(len(payload)) + payload


def _double_field(number: int, value: float) -> bytes:
    return _key(number, _FIXED64) + struct.pack("<d", value)


def _float_field(number: int, value: float) -> bytes:
    return _key(number, _FIXED32) + struct.pack("<f", value)


def _packed_doubles(number: int, values: np.ndarray) -> bytes:
    return _bytes_field(number, np.asarray(values, dtype="<f8").tobytes())


def summary_metadata(plugin_name: str, content: bytes = b"") -> bytes:
    """A `SummaryMetadata` naming the plugin that reads the value."""
    plugin_data = _bytes_field(1, plugin_name)
    if content:
        plugin_data += _bytes_field(2, content)
    return _bytes_field(1, plugin_data)


def _tensor_shape(dims: tuple[int, ...]) -> bytes:
    return b"".join(_bytes_field(2, _int_field(1, size)) for size in dims)


def float_scalar_tensor(value: float) -> bytes:
    """A float32 scalar `TensorProto`, its value in `tensor_content` as TF2."""
    return b"".join(
        (
            _int_field(1, DT_FLOAT),
            _bytes_field(2, b""),
            _bytes_field(4, struct.pack("<f", value)),
        )
    )


def string_tensor(strings: list[bytes], dims: tuple[int, ...]) -> bytes:
    """A string `TensorProto` of shape `dims` (`()` for one string)."""
    return b"".join(
        (
            _int_field(1, DT_STRING),
            _bytes_field(2, _tensor_shape(dims)),
            *(_bytes_field(8, s) for s in strings),
        )
    )


def histogram_proto(values: np.ndarray, bucket_count: int = 30) -> bytes:
    """A `HistogramProto` of `values` in equal-width buckets, as TF2 counts them.

    Each bucket's right edge is its `bucket_limit`; the first one starts at
    `min`. Non-finite values are left out.
    """
    values = np.asarray(values, dtype="float64").ravel()
    values = values[np.isfinite(values)]
    if values.size == 0:
        limits = counts = np.zeros(0)
        low = high = 0.0
    else:
        low, high = float(values.min()), float(values.max())
        if low == high:
            limits, counts = np.array([high]), np.array([values.size])
        else:
            counts, edges = np.histogram(values, bins=bucket_count)
            limits = edges[1:]
    return b"".join(
        (
            _double_field(1, low),
            _double_field(2, high),
            _double_field(3, float(values.size)),
            _double_field(4, float(values.sum())),
            _double_field(5, float(np.square(values).sum())),
            _packed_doubles(6, limits),
            _packed_doubles(7, counts),
        )
    )


def _summary_value(
    tag: str, metadata: bytes | None, tensor: bytes | None, histogram: bytes | None
) -> bytes:
    parts = [_bytes_field(1, tag)]
    if histogram is not None:
        parts.append(_bytes_field(5, histogram))
    if tensor is not None:
        parts.append(_bytes_field(8, tensor))
    if metadata is not None:
        parts.append(_bytes_field(9, metadata))
    return b"".join(parts)


def _event(wall_time: float, step: int, body: bytes) -> bytes:
    return _double_field(1, wall_time) + _int_field(2, step) + body


# ---------------------------------------------------------------- writing

_file_numbers = itertools.count()


class EventFileWriter:
    """Appends summaries to one event file in `log_dir`, created on first write.

    The file is named as TensorFlow names its own
    (`events.out.tfevents.<time>.<host>.<pid>.<n>.v2`), so TensorBoard finds
    it, and opens with the `brain.Event:2` version record.

    Args:
        log_dir: Folder of the file; created if missing.

    Example:
    >>> import tempfile
    >>> writer = EventFileWriter(tempfile.mkdtemp())
    >>> writer.add_scalar("epoch_loss", 0.5, step=0)
    >>> writer.close()
    >>> [v.tag for e in read_events(writer.path) for v in e.values]
    ['epoch_loss']
    """

    def __init__(self, log_dir: str | os.PathLike):
        self.log_dir = os.fspath(log_dir)
        self.path: str | None = None
        self._file: Any = None

    def _open(self) -> Any:
        if self._file is None:
            os.makedirs(self.log_dir, exist_ok=True)
            name = (
                f"events.out.tfevents.{int(time.time()):010d}."
                f"{socket.gethostname()}.{os.getpid()}.{next(_file_numbers)}.v2"
            )
            self.path = os.path.join(self.log_dir, name)
            self._file = open(self.path, "wb")  # noqa: SIM115 (kept open)
            version = _bytes_field(3, "brain.Event:2")
            self._file.write(frame_record(_event(time.time(), 0, version)))
        return self._file

    def add_summary(
        self,
        tag: str,
        step: int,
        *,
        metadata: bytes | None = None,
        tensor: bytes | None = None,
        histogram: bytes | None = None,
    ) -> None:
        """Writes one `Event` holding one summary value."""
        file = self._open()
        value = _summary_value(tag, metadata, tensor, histogram)
        summary = _bytes_field(1, value)
        record = _event(time.time(), int(step), _bytes_field(5, summary))
        file.write(frame_record(record))

    def add_scalar(self, tag: str, value: float, step: int) -> None:
        """Writes `value` as `tf.summary.scalar` does (float32, `scalars`)."""
        self.add_summary(
            tag,
            step,
            metadata=summary_metadata("scalars"),
            tensor=float_scalar_tensor(float(value)),
        )

    def add_histogram(self, tag: str, values: np.ndarray, step: int) -> None:
        """Writes a `HistogramProto` of `values`."""
        self.add_summary(tag, step, histogram=histogram_proto(values))

    def add_images(
        self, tag: str, pngs: list[bytes], width: int, height: int, step: int
    ) -> None:
        """Writes PNG images as `tf.summary.image` does (`[w, h, png...]`)."""
        strings = [str(width).encode(), str(height).encode(), *pngs]
        self.add_summary(
            tag,
            step,
            metadata=summary_metadata("images"),
            tensor=string_tensor(strings, (len(strings),)),
        )

    def add_text_tensor(
        self, tag: str, text: str, step: int, plugin_name: str, content: bytes
    ) -> None:
        """Writes `text` as a scalar string tensor read by `plugin_name`."""
        self.add_summary(
            tag,
            step,
            metadata=summary_metadata(plugin_name, content),
            tensor=string_tensor([text.encode("utf-8")], ()),
        )

    def flush(self) -> None:
        """Pushes what was written to the operating system."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Flushes and closes the file; a later write opens a new one."""
        if self._file is not None:
            self._file.close()
            self._file = None


# ---------------------------------------------------------------- reading


def _fields(data: bytes) -> Iterator[tuple[int, Any]]:
    """`(field number, raw value)` pairs of a serialized message."""
    offset = 0
    while offset < len(data):
        key, offset = _read_varint(data, offset)
        number, wire_type = key >> 3, key & 7
        if wire_type == _VARINT:
            value, offset = _read_varint(data, offset)
        elif wire_type == _FIXED64:
            value, offset = data[offset : offset + 8], offset + 8
        elif wire_type == _FIXED32:
            value, offset = data[offset : offset + 4], offset + 4
        elif wire_type == _BYTES:
            length, offset = _read_varint(data, offset)
            value, offset = data[offset : offset + length], offset + length
        else:
            raise ValueError(f"Unsupported protobuf wire type {wire_type}.")
        yield number, value


def _read_varint(data: bytes, offset: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[offset]
        offset += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, offset
        shift += 7


@dataclass
class SummaryValue:
    """One decoded `Summary.Value`: its tag, plugin and payload."""

    tag: str = ""
    plugin_name: str = ""
    plugin_content: bytes = b""
    simple_value: float | None = None
    tensor: np.ndarray | list[bytes] | None = None
    histogram: dict[str, Any] | None = None


@dataclass
class Event:
    """One decoded `Event`."""

    wall_time: float = 0.0
    step: int = 0
    file_version: str | None = None
    values: list[SummaryValue] = field(default_factory=list)


def read_events(path: str | os.PathLike) -> list[Event]:
    """Decodes every `Event` of an event file (the reader of the tests)."""
    return [_parse_event(payload) for payload in read_records(path)]


def _parse_event(data: bytes) -> Event:
    event = Event()
    for number, value in _fields(data):
        if number == 1:
            (event.wall_time,) = struct.unpack("<d", value)
        elif number == 2:
            event.step = value - (1 << 64) if value >= 1 << 63 else value
        elif number == 3:
            event.file_version = value.decode("utf-8")
        elif number == 5:
            event.values.extend(
                _parse_value(raw) for n, raw in _fields(value) if n == 1
            )
    return event


def _parse_value(data: bytes) -> SummaryValue:
    result = SummaryValue()
    for number, value in _fields(data):
        if number == 1:
            result.tag = value.decode("utf-8")
        elif number == 2:
            (result.simple_value,) = struct.unpack("<f", value)
        elif number == 5:
            result.histogram = _parse_histogram(value)
        elif number == 8:
            result.tensor = _parse_tensor(value)
        elif number == 9:
            for n, plugin_data in _fields(value):
                if n == 1:
                    plugin = dict(_fields(plugin_data))
                    result.plugin_name = plugin.get(1, b"").decode("utf-8")
                    result.plugin_content = plugin.get(2, b"")
    return result


def _parse_tensor(data: bytes) -> np.ndarray | list[bytes]:
    dtype, dims, content, strings = None, [], b"", []
    for number, value in _fields(data):
        if number == 1:
            dtype = value
        elif number == 2:
            dims = [dict(_fields(dim)).get(1, 0) for n, dim in _fields(value)]
        elif number == 4:
            content = value
        elif number == 8:
            strings.append(value)
    if dtype == DT_STRING:
        return strings
    if dtype != DT_FLOAT:
        raise ValueError(f"Unsupported tensor dtype {dtype} in an event file.")
    return np.frombuffer(content, dtype="<f4").reshape(dims)


def _parse_histogram(data: bytes) -> dict[str, Any]:
    names = {1: "min", 2: "max", 3: "num", 4: "sum", 5: "sum_squares"}
    result: dict[str, Any] = {"bucket_limit": [], "bucket": []}
    for number, value in _fields(data):
        if number in names:
            (result[names[number]],) = struct.unpack("<d", value)
        elif number in (6, 7):
            key = "bucket_limit" if number == 6 else "bucket"
            result[key].extend(np.frombuffer(value, dtype="<f8").tolist())
    return result
