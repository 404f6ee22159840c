"""pad_sequences lives in lamina.utils.sequence_utils and is re-exported."""

import numpy as np

from lamina.utils import pad_sequences
from lamina.utils.sequence_utils import pad_sequences as direct


def test_pad_sequences_single_definition():
    assert pad_sequences is direct


def test_pad_sequences_float_values_and_object_dtype():
    out = pad_sequences([[0.5], [1.5, 2.5]], dtype="float32", value=-1.0)
    np.testing.assert_array_equal(out, [[-1.0, 0.5], [1.5, 2.5]])
    words = pad_sequences([["a"], ["b", "c"]], dtype=object, value="")
    assert words.tolist() == [["", "a"], ["b", "c"]]
