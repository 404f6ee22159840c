"""The hashes of `_fingerprint` against values TensorFlow 2.21 computed.

The expected numbers are `tf.strings.to_hash_bucket_fast` (FarmHash),
`to_hash_bucket_strong` (SipHash-2-4) and `tf.sparse.cross_hashed`, each
with `num_buckets = 2**63 - 1`, on the strings below; lengths cover every
code path of FarmHash (0-16, 17-32, 33-64 and longer bytes).
"""

import numpy as np

from lamina.layers.preprocessing._fingerprint import CROSS_HASH_KEY
from lamina.layers.preprocessing._fingerprint import fingerprint64
from lamina.layers.preprocessing._fingerprint import fingerprint_cat64
from lamina.layers.preprocessing._fingerprint import hash_to_bins
from lamina.layers.preprocessing._fingerprint import siphash64
from lamina.layers.preprocessing._fingerprint import to_bins

LENGTHS = [0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 300]
STRINGS = [bytes((7 * i + n) % 256 for i in range(n)) for n in LENGTHS]
BUCKETS = 2**63 - 1
TF_FAST = [
    1936946117179621456, 5161771770385946686, 4662423180930907492,
    4685977051251400297, 8010051901585887497, 3403648104430010921,
    3575310498258597009, 663651183927826905, 7736696382783243920,
    2801713092741292787, 3992320350721670009, 3233698670931835598,
    5814893019130172778, 1859692024977922285, 444801980686921533,
    5926385096735868780, 6615484076916436426, 5067021833811671751,
    3886849482814154723,
]  # fmt: skip
TF_STRONG_12345_67890 = [
    3320497352430948231, 1746529208869265024, 7634574127628017263,
    528741143482498205, 5616831924761300859, 6356444162831541231,
    5639335540579323291, 2975201597828474401, 3668558973676042062,
    9192112461384545991, 8490117043413787595, 6652919215112561700,
    6077463681701339989, 3545355790233237931, 2179601907294250825,
    7463981610564168929, 4470528074358957349, 4460979398166760604,
    350217192599166769,
]  # fmt: skip


def test_fingerprint64_matches_tensorflow_farmhash():
    assert to_bins(fingerprint64(STRINGS), BUCKETS).tolist() == TF_FAST


def test_siphash64_matches_tensorflow_strong_hash():
    hashes = siphash64(STRINGS, (12345, 67890))
    assert to_bins(hashes, BUCKETS).tolist() == TF_STRONG_12345_67890


def test_siphash64_matches_reference_vector():
    # Appendix A of the SipHash paper: key 00..0f, message 00..0e.
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    assert int(siphash64([bytes(range(15))], key)[0]) == 0xA129CA6149BE45E5


def test_fingerprint_cat64_matches_tensorflow_cross_hashed():
    strings = fingerprint64([b"a", "héllo".encode(), b""])
    integers = np.array([1, -7, 2**40]).astype(np.uint64)
    crossed = np.full(3, CROSS_HASH_KEY, dtype=np.uint64)
    for feature in (strings, integers, strings):
        crossed = fingerprint_cat64(crossed, feature)
    expected = [6748944641514001707, 4267906956915274422, 5834491005263694461]
    assert to_bins(crossed, BUCKETS).tolist() == expected


def test_hash_to_bins_hashes_integers_as_decimal_text():
    by_text = hash_to_bins(np.array(["12", "-3"], dtype=object), 1000)
    assert hash_to_bins(np.array([12, -3]), 1000).tolist() == by_text.tolist()


def test_hash_to_bins_keeps_shape_and_hashes_repeats_alike():
    bins = hash_to_bins(np.array([["x", "y"], ["x", "x"]], dtype=object), 97)
    assert bins.shape == (2, 2) and bins[0, 0] == bins[1, 0] == bins[1, 1]
