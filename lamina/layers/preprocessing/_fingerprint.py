"""The string hashes Keras's preprocessing layers get from TensorFlow, in NumPy.

Keras hashes with TensorFlow ops: `tf.strings.to_hash_bucket_fast` is
FarmHash's `Fingerprint64` (the `farmhashna` variant), `to_hash_bucket_strong`
is SipHash-2-4 with a 128-bit key, and `tf.sparse.cross_hashed` chains
fingerprints with `FingerprintCat64`. These are re-implemented here from the
published algorithms (https://github.com/google/farmhash,
https://www.aumasson.jp/siphash/siphash.pdf) so that lamina puts every value
in the same bin as Keras.

All arithmetic is on `uint64` arrays, which wrap modulo 2**64 as the C++ does.
Strings are hashed in groups of equal byte length, so that every byte offset
is a constant and each step is one vectorised operation over the group.
"""

from collections.abc import Callable

import numpy as np

_K0 = np.uint64(0xC3A5C85C97CB3127)
_K1 = np.uint64(0xB492B66FBE98F273)
_K2 = np.uint64(0x9AE16A3B2F90404F)
_KMUL = np.uint64(0xC6A4A7935BD1E995)
_SEED = np.uint64(81)
CROSS_HASH_KEY = 0xDECAFCAFFE  # TensorFlow's default `hash_key` of cross_hashed


def _u64(value: int) -> np.uint64:
    return np.uint64(value & 0xFFFFFFFFFFFFFFFF)


def _rotate(value: np.ndarray, shift: int) -> np.ndarray:
    """Rotates right by `shift` bits (FarmHash's `Rotate`)."""
    return (value >> np.uint64(shift)) | (value << np.uint64(64 - shift))


def _shift_mix(value: np.ndarray) -> np.ndarray:
    return value ^ (value >> np.uint64(47))


def _fetch64(data: np.ndarray, offset: int) -> np.ndarray:
    """Little-endian 64-bit words at byte `offset` of each row of `data`."""
    return np.ascontiguousarray(data[:, offset : offset + 8]).view("<u8")[:, 0]


def _fetch32(data: np.ndarray, offset: int) -> np.ndarray:
    word = np.ascontiguousarray(data[:, offset : offset + 4]).view("<u4")[:, 0]
    return word.astype(np.uint64)


def _hash_len16(u: np.ndarray, v: np.ndarray, mul: np.uint64) -> np.ndarray:
    a = (u ^ v) * mul
    a = a ^ (a >> np.uint64(47))
    b = (v ^ a) * mul
    b = b ^ (b >> np.uint64(47))
    return b * mul


def _hash_len0to16(data: np.ndarray, length: int) -> np.ndarray:
    rows = data.shape[0]
    if length >= 8:
        mul = _K2 + _u64(length * 2)
        a = _fetch64(data, 0) + _K2
        b = _fetch64(data, length - 8)
        c = _rotate(b, 37) * mul + a
        d = (_rotate(a, 25) + b) * mul
        return _hash_len16(c, d, mul)
    if length >= 4:
        mul = _K2 + _u64(length * 2)
        a = _fetch32(data, 0)
        first = _u64(length) + (a << np.uint64(3))
        return _hash_len16(first, _fetch32(data, length - 4), mul)
    if length > 0:
        a = data[:, 0].astype(np.uint64)
        b = data[:, length >> 1].astype(np.uint64)
        c = data[:, length - 1].astype(np.uint64)
        y = a + (b << np.uint64(8))
        z = _u64(length) + (c << np.uint64(2))
        return _shift_mix((y * _K2) ^ (z * _K0)) * _K2
    return np.full(rows, _K2, dtype=np.uint64)


def _hash_len17to32(data: np.ndarray, length: int) -> np.ndarray:
    mul = _K2 + _u64(length * 2)
    a = _fetch64(data, 0) * _K1
    b = _fetch64(data, 8)
    c = _fetch64(data, length - 8) * mul
    d = _fetch64(data, length - 16) * _K2
    return _hash_len16(
        _rotate(a + b, 43) + _rotate(c, 30) + d, a + _rotate(b + _K2, 18) + c, mul
    )


def _hash_len33to64(data: np.ndarray, length: int) -> np.ndarray:
    mul = _K2 + _u64(length * 2)
    a = _fetch64(data, 0) * _K2
    b = _fetch64(data, 8)
    c = _fetch64(data, length - 8) * mul
    d = _fetch64(data, length - 16) * _K2
    y = _rotate(a + b, 43) + _rotate(c, 30) + d
    z = _hash_len16(y, a + _rotate(b + _K2, 18) + c, mul)
    e = _fetch64(data, 16) * mul
    f = _fetch64(data, 24)
    g = (y + _fetch64(data, length - 32)) * mul
    h = (z + _fetch64(data, length - 24)) * mul
    return _hash_len16(
        _rotate(e + f, 43) + _rotate(g, 30) + h, e + _rotate(f + a, 18) + g, mul
    )


def _weak_hash_len32_with_seeds(
    data: np.ndarray, offset: int, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    w = _fetch64(data, offset)
    x = _fetch64(data, offset + 8)
    y = _fetch64(data, offset + 16)
    z = _fetch64(data, offset + 24)
    a = a + w
    b = _rotate(b + a + z, 21)
    c = a
    a = a + x + y
    b = b + _rotate(a, 44)
    return a + z, b + c


def _hash_long(data: np.ndarray, length: int) -> np.ndarray:
    """FarmHash of strings longer than 64 bytes: 64-byte blocks, then a tail."""
    rows = data.shape[0]
    zeros = np.zeros(rows, dtype=np.uint64)
    y = np.full(rows, _SEED * _K1 + np.uint64(113), dtype=np.uint64)
    z = _shift_mix(y * _K2 + np.uint64(113)) * _K2
    v = (zeros, zeros)
    w = (zeros, zeros)
    x = _SEED * _K2 + _fetch64(data, 0)
    for start in range(0, ((length - 1) // 64) * 64, 64):
        x = _rotate(x + y + v[0] + _fetch64(data, start + 8), 37) * _K1
        y = _rotate(y + v[1] + _fetch64(data, start + 48), 42) * _K1
        x = x ^ w[1]
        y = y + v[0] + _fetch64(data, start + 40)
        z = _rotate(z + w[0], 33) * _K1
        v = _weak_hash_len32_with_seeds(data, start, v[1] * _K1, x + w[0])
        w = _weak_hash_len32_with_seeds(
            data, start + 32, z + w[1], y + _fetch64(data, start + 16)
        )
        z, x = x, z
    mul = _K1 + ((z & np.uint64(0xFF)) << np.uint64(1))
    last = length - 64
    w0 = w[0] + _u64((length - 1) & 63)
    v0 = v[0] + w0
    w0 = w0 + v0
    x = _rotate(x + y + v0 + _fetch64(data, last + 8), 37) * mul
    y = _rotate(y + v[1] + _fetch64(data, last + 48), 42) * mul
    x = x ^ (w[1] * np.uint64(9))
    y = y + v0 * np.uint64(9) + _fetch64(data, last + 40)
    z = _rotate(z + w0, 33) * mul
    v = _weak_hash_len32_with_seeds(data, last, v[1] * mul, x + w0)
    w = _weak_hash_len32_with_seeds(
        data, last + 32, z + w[1], y + _fetch64(data, last + 16)
    )
    z, x = x, z
    return _hash_len16(
        _hash_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z,
        _hash_len16(v[1], w[1], mul) + x,
        mul,
    )


def _farmhash_fixed_length(data: np.ndarray, length: int) -> np.ndarray:
    if length <= 16:
        return _hash_len0to16(data, length)
    if length <= 32:
        return _hash_len17to32(data, length)
    if length <= 64:
        return _hash_len33to64(data, length)
    return _hash_long(data, length)


def _sip_round(
    v0: np.ndarray, v1: np.ndarray, v2: np.ndarray, v3: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    v0 = v0 + v1
    v1 = _rotate(v1, 64 - 13) ^ v0
    v0 = _rotate(v0, 64 - 32)
    v2 = v2 + v3
    v3 = _rotate(v3, 64 - 16) ^ v2
    v0 = v0 + v3
    v3 = _rotate(v3, 64 - 21) ^ v0
    v2 = v2 + v1
    v1 = _rotate(v1, 64 - 17) ^ v2
    v2 = _rotate(v2, 64 - 32)
    return v0, v1, v2, v3


def _siphash_fixed_length(data: np.ndarray, length: int, key: tuple[int, int]):
    """SipHash-2-4 of equal-length rows: 8-byte blocks, then a length-tagged tail."""
    rows = data.shape[0]
    k0, k1 = _u64(key[0]), _u64(key[1])
    v0 = np.full(rows, k0 ^ np.uint64(0x736F6D6570736575), dtype=np.uint64)
    v1 = np.full(rows, k1 ^ np.uint64(0x646F72616E646F6D), dtype=np.uint64)
    v2 = np.full(rows, k0 ^ np.uint64(0x6C7967656E657261), dtype=np.uint64)
    v3 = np.full(rows, k1 ^ np.uint64(0x7465646279746573), dtype=np.uint64)
    full = length - length % 8
    tail = np.zeros((rows, 8), dtype=np.uint8)
    tail[:, : length - full] = data[:, full:length]
    tail[:, 7] = length & 0xFF
    blocks = [_fetch64(data, start) for start in range(0, full, 8)]
    for block in [*blocks, _fetch64(tail, 0)]:
        v3 = v3 ^ block
        v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
        v0 = v0 ^ block
    v2 = v2 ^ np.uint64(0xFF)
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def _hash_strings(
    values: list[bytes], hash_group: Callable[[np.ndarray, int], np.ndarray]
) -> np.ndarray:
    """Applies `hash_group` to the byte strings, grouped by length."""
    result = np.zeros(len(values), dtype=np.uint64)
    lengths = np.fromiter((len(value) for value in values), np.int64, len(values))
    for length in np.unique(lengths):
        rows = np.flatnonzero(lengths == length)
        joined = b"".join(values[row] for row in rows)
        data = np.frombuffer(joined, dtype=np.uint8).reshape(len(rows), int(length))
        with np.errstate(over="ignore"):
            result[rows] = hash_group(data, int(length))
    return result


def fingerprint64(values: list[bytes]) -> np.ndarray:
    """FarmHash `Fingerprint64` of each byte string, as `uint64`.

    Example:
    >>> int(fingerprint64([b""])[0]) == 0x9AE16A3B2F90404F
    True
    """
    return _hash_strings(values, _farmhash_fixed_length)


def siphash64(values: list[bytes], key: tuple[int, int]) -> np.ndarray:
    """SipHash-2-4 of each byte string under the 128-bit `key`, as `uint64`.

    Example:
    >>> key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    >>> hex(int(siphash64([bytes(range(15))], key)[0]))  # the paper's vector
    '0xa129ca6149be45e5'
    """
    return _hash_strings(
        values, lambda data, length: _siphash_fixed_length(data, length, key)
    )


def fingerprint_cat64(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """TensorFlow's `FingerprintCat64`: combines two fingerprints into one."""
    with np.errstate(over="ignore"):
        result = first ^ _KMUL
        result = result ^ (_shift_mix(second * _KMUL) * _KMUL)
        result = result * _KMUL
        result = _shift_mix(result) * _KMUL
        return _shift_mix(result)


def to_bins(hashes: np.ndarray, num_bins: int) -> np.ndarray:
    """`hash % num_bins` on the unsigned hashes, as `int64` bin indices."""
    return (hashes % np.uint64(num_bins)).astype(np.int64)


def hash_to_bins(
    values: np.ndarray, num_bins: int, salt: tuple[int, int] | None = None
) -> np.ndarray:
    """Bin of each value as Keras's `Hashing` computes it, same shape, `int64`.

    Strings are hashed as their UTF-8 bytes and integers as their decimal
    text (`tf.as_string`); each distinct value is hashed once. With a
    `salt` the hash is SipHash-2-4 keyed by it, else FarmHash.

    Example:
    >>> hash_to_bins(np.array(["a", "b", "a"], dtype=object), 3).tolist()
    [0, 1, 0]
    """
    unique, inverse = np.unique(values.reshape(-1), return_inverse=True)
    texts = [_text_bytes(value) for value in unique.tolist()]
    hashes = fingerprint64(texts) if salt is None else siphash64(texts, salt)
    return to_bins(hashes, num_bins)[inverse].reshape(values.shape)


def _text_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bool):
        return b"true" if value else b"false"
    return str(value).encode("utf-8")
