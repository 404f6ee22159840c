"""MelSpectrogram."""

import numpy as np
import pytest
import torch

from lamina.layers.preprocessing.audio.mel_spectrogram import MelSpectrogram
from lamina.layers.preprocessing.audio.mel_spectrogram import (
    linear_to_mel_weight_matrix,
)
from lamina.testing import check_layer

_AUDIO = np.random.default_rng(0).normal(size=(2, 400)).astype("float32")


@pytest.mark.parametrize("power_to_db", [True, False])
def test_mel_spectrogram_passes_check_layer(power_to_db):
    # No weights: the training step has nothing to differentiate. Compiling
    # once (power_to_db=True) is enough to keep the file fast.
    check_layer(
        lambda: MelSpectrogram(
            fft_length=64,
            sequence_stride=32,
            num_mel_bins=10,
            power_to_db=power_to_db,
        ),
        _AUDIO,
        (2, 10, 13),
        expected_num_weights=0,
        check_training=False,
        check_compile=power_to_db,
        rtol=1e-4,
        atol=1e-3,
    )


def test_mel_spectrogram_takes_unbatched_audio():
    layer = MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    assert tuple(layer(torch.randn(160)).shape) == (8, 11)


def test_mel_spectrogram_db_floor_is_top_db_below_peak():
    layer = MelSpectrogram(
        fft_length=64, sequence_stride=16, num_mel_bins=8, top_db=10.0
    )
    outputs = layer(torch.randn(2, 160))
    assert float(outputs.max() - outputs.min()) <= 10.0 + 1e-4


def test_mel_matrix_has_unit_peaks_and_a_zero_dc_row():
    matrix = linear_to_mel_weight_matrix(8, 257, 16000, 20.0, 8000.0)
    assert tuple(matrix.shape) == (257, 8)
    assert float(matrix[0].abs().sum()) == 0.0
    assert float(matrix.max()) <= 1.0 and float(matrix.max()) > 0.9


def test_mel_spectrogram_config_resolves_defaults():
    config = MelSpectrogram(fft_length=256, sampling_rate=8000).get_config()
    assert config["sequence_length"] == 256 and config["max_freq"] == 4000


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"fft_length": 64, "sequence_length": 128}, "fft_length >= sequence_length"),
        ({"sequence_stride": 0}, "sequence_stride to be a positive integer"),
        ({"num_mel_bins": 2.5}, "num_mel_bins to be a positive integer"),
        ({"window": "blackman"}, "window to be 'hann'"),
        ({"sampling_rate": -1}, "sampling_rate to be a positive"),
        ({"min_freq": 9000.0}, "min_freq < max_freq"),
    ],
)
def test_mel_spectrogram_rejects_bad_arguments(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        MelSpectrogram(**kwargs)
