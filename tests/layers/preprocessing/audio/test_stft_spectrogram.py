"""STFTSpectrogram."""

import numpy as np
import pytest
import torch

from lamina.layers.preprocessing.audio.stft_spectrogram import STFTSpectrogram
from lamina.testing import check_layer

_SIGNAL = np.random.default_rng(0).normal(size=(2, 64, 2)).astype("float32")


@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({"mode": "log"}, (2, 7, 18)),
        ({"mode": "stft", "padding": "same", "expand_dims": True}, (2, 8, 18, 2)),
        ({"mode": "real", "frame_step": 4}, (2, 13, 18)),
    ],
)
def test_stft_spectrogram_passes_check_layer(kwargs, shape):
    # Compiling the default mode once is enough to keep the file fast.
    check_layer(
        lambda: STFTSpectrogram(frame_length=16, data_format="channels_last", **kwargs),
        _SIGNAL,
        shape,
        expected_weight_names=(
            ["real_kernel"]
            if kwargs["mode"] == "real"
            else ["real_kernel", "imag_kernel"]
        ),
        check_compile=kwargs["mode"] == "log",
        rtol=1e-4,
        atol=1e-4,
    )


def test_stft_spectrogram_magnitude_matches_torch_stft():
    signal = torch.randn(1, 128, 1)
    layer = STFTSpectrogram(
        mode="magnitude",
        frame_length=32,
        frame_step=8,
        window=None,
        scaling=None,
        data_format="channels_last",
    )
    reference = torch.stft(
        signal[0, :, 0],
        32,
        8,
        window=torch.ones(32),
        center=False,
        return_complex=True,
    ).abs()  # (bins, frames)
    np.testing.assert_allclose(
        layer(signal)[0].detach(), reference.T, rtol=1e-4, atol=1e-4
    )


def test_stft_spectrogram_channels_first_layout():
    layer = STFTSpectrogram(
        frame_length=16, expand_dims=True, data_format="channels_first"
    )
    assert tuple(layer(torch.randn(2, 3, 64)).shape) == (2, 3, 7, 9)


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"mode": "power"}, "mode to be one of"),
        ({"frame_step": 300}, "frame_step to be a positive integer"),
        ({"fft_length": 100}, "fft_length to be an integer not less"),
        ({"scaling": "loud"}, "scaling to be"),
        ({"padding": "causal"}, "padding to be"),
        ({"window": "no_such_window"}, "unknown window"),
        ({"window": [1.0, 2.0]}, "window of frame_length=256"),
    ],
)
def test_stft_spectrogram_rejects_bad_arguments(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        STFTSpectrogram(**kwargs)


def test_stft_spectrogram_warns_on_fft_length_not_power_of_two():
    with pytest.warns(UserWarning, match="not a power of two"):
        STFTSpectrogram(frame_length=16, fft_length=24)


def test_stft_spectrogram_rejects_integer_audio():
    layer = STFTSpectrogram(frame_length=16, data_format="channels_last")
    with pytest.raises(TypeError, match="Cast the audio to float"):
        layer.call(torch.ones(1, 64, 1, dtype=torch.int32))


def test_stft_spectrogram_scipy_window_builds():
    layer = STFTSpectrogram(
        frame_length=16, window="tukey", data_format="channels_last"
    )
    assert tuple(layer(torch.randn(1, 64, 1)).shape) == (1, 7, 9)
