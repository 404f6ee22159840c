"""Masks flow through layers as in Keras: which layers pass them on, and how."""

import numpy as np
import pytest
import torch

import lamina

TOKENS = np.array([[3, 5, 0, 0], [7, 0, 2, 0]])

# Layers placed after Embedding(mask_zero=True); each keeps or drops the mask.
FOLLOWERS = {
    "LayerNormalization": lambda L: L.LayerNormalization(),
    "Dense": lambda L: L.Dense(3),
    "Dropout": lambda L: L.Dropout(0.5),
    "Activation": lambda L: L.Activation("relu"),
    "BatchNormalization": lambda L: L.BatchNormalization(),
    "LSTM_sequences": lambda L: L.LSTM(3, return_sequences=True),
    "LSTM_last": lambda L: L.LSTM(3),
    "GlobalAveragePooling1D": lambda L: L.GlobalAveragePooling1D(),
    "Conv1D": lambda L: L.Conv1D(2, 1),
    "TimeDistributed": lambda L: L.TimeDistributed(L.Dense(2)),
    "Masking": lambda L: L.Masking(),
    "RMSNormalization": lambda L: L.RMSNormalization(),
}


def _mask_after(library, follower, tensor):
    embedding = library.layers.Embedding(10, 4, mask_zero=True)
    output = follower(library.layers)(embedding(tensor))
    mask = getattr(output, "_keras_mask", None)
    return None if mask is None else np.asarray(mask.detach().cpu())


@pytest.mark.parametrize("name", sorted(FOLLOWERS))
def test_mask_after_layer_matches_keras(keras, name):
    expected = _mask_after(keras, FOLLOWERS[name], keras.ops.convert_to_tensor(TOKENS))
    actual = _mask_after(lamina, FOLLOWERS[name], torch.tensor(TOKENS))
    if expected is None:
        assert actual is None
    else:
        np.testing.assert_array_equal(actual, expected)
