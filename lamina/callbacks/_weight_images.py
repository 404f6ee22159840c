"""Weights as images for `TensorBoard(write_images=True)`: layout and PNG."""

from __future__ import annotations

import struct
import zlib

import numpy as np

_PNG_COLOR_TYPES = {1: 0, 3: 2, 4: 6}  # grey, RGB, RGBA


def weight_as_images(weight: np.ndarray, data_format: str) -> np.ndarray | None:
    """`(images, height, width, channels)` float pixels of a weight, or `None`.

    Keras's layout: a bias becomes one `1 x n` column, a Dense kernel one
    image with its longer axis across, a 1-D convolution kernel one image
    per output channel. A 4-D kernel is shown as it is when its last axis
    holds 1, 3 or 4 channels; other shapes have no image.

    Example:
    >>> weight_as_images(np.zeros((3, 5)), "channels_last").shape
    (1, 3, 5, 1)
    >>> weight_as_images(np.zeros((3, 3, 2, 8)), "channels_last") is None
    True
    """
    image = np.squeeze(np.asarray(weight, dtype="float32"))
    if image.ndim == 1:  # a bias
        image = image.reshape(1, image.shape[0], 1, 1)  # (1, n, 1, 1)
    elif image.ndim == 2:  # a Dense kernel, wider than tall
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, *image.shape, 1)  # (1, rows, cols, 1)
    elif image.ndim == 3:  # a convolution kernel: one image per channel
        if data_format == "channels_last":
            image = image.transpose(2, 0, 1)  # (channels, steps, inputs)
        image = image[..., np.newaxis]  # (channels, steps, inputs, 1)
    if image.ndim == 4 and image.shape[-1] in _PNG_COLOR_TYPES:
        return image
    return None


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    """Floats in [0, 1] to bytes as `tf.image.convert_image_dtype` saturates.

    Example:
    >>> to_uint8(np.array([-1.0, 0.5, 1.0, 2.0])).tolist()
    [0, 127, 255, 255]
    """
    return np.clip(pixels * 255.5, 0, 255).astype("uint8")


def encode_png(image: np.ndarray) -> bytes:
    """A PNG of a `(height, width, channels)` uint8 array (1, 3 or 4 channels).

    Example:
    >>> encode_png(np.zeros((2, 3, 1), dtype="uint8"))[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    height, width, channels = image.shape
    rows = image.reshape(height, width * channels)
    filtered = np.concatenate([np.zeros((height, 1), "uint8"), rows], axis=1)
    header = struct.pack(
        ">IIBBBBB", width, height, 8, _PNG_COLOR_TYPES[channels], 0, 0, 0
    )
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(filtered.tobytes())),
            _png_chunk(b"IEND", b""),
        )
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
