"""MelSpectrogram and STFTSpectrogram give Keras's outputs, configs and files."""

import numpy as np
import pytest
import torch

from lamina.layers.preprocessing.audio.mel_spectrogram import MelSpectrogram
from lamina.layers.preprocessing.audio.stft_spectrogram import STFTSpectrogram
from lamina.saving import load_model

_RTOL = 1e-4


def _assert_close(actual, expected):
    scale = max(np.abs(expected).max(), 1.0)
    np.testing.assert_allclose(actual, expected, rtol=_RTOL, atol=_RTOL * scale)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {
            "fft_length": 256,
            "sequence_stride": 64,
            "sequence_length": 200,
            "window": "hamming",
            "num_mel_bins": 40,
            "sampling_rate": 8000,
            "min_freq": 100.0,
            "max_freq": 3000.0,
        },
        {
            "fft_length": 128,
            "sequence_stride": 32,
            "power_to_db": False,
            "mag_exp": 1.0,
            "window": None,
            "num_mel_bins": 16,
        },
        {
            "fft_length": 512,
            "sequence_stride": 100,
            "top_db": 20.0,
            "ref_power": -2.0,
            "min_power": 1e-3,
            "num_mel_bins": 64,
        },
    ],
)
def test_mel_spectrogram_matches_keras(keras, kwargs):
    audio = np.random.default_rng(0).normal(size=(2, 3000)).astype("float32")
    kwargs = {"name": "mel", **kwargs}  # auto-name counters differ per library
    reference = keras.layers.MelSpectrogram(**kwargs)
    layer = MelSpectrogram(**kwargs)
    expected = keras.ops.convert_to_numpy(reference(audio))
    _assert_close(layer(torch.tensor(audio)).numpy(), expected)
    assert layer.get_config() == reference.get_config()
    single = keras.ops.convert_to_numpy(reference(audio[0]))
    _assert_close(layer(torch.tensor(audio[0])).numpy(), single)


_STFT_CONFIGS = [
    {"frame_length": 32},
    {
        "mode": "psd",
        "frame_length": 20,
        "frame_step": 5,
        "fft_length": 32,
        "padding": "same",
    },
    {
        "mode": "stft",
        "window": "hamming",
        "periodic": True,
        "scaling": "spectrum",
        "expand_dims": True,
        "frame_length": 32,
    },
    {"mode": "angle", "window": "blackman", "frame_length": 32},
    {"mode": "real", "window": None, "scaling": None, "frame_length": 10},
    {
        "mode": "imag",
        "window": "tukey",
        "frame_length": 30,
        "frame_step": 7,
        "padding": "same",
        "expand_dims": True,
        "data_format": "channels_first",
    },
    {"mode": "magnitude", "frame_length": 16, "data_format": "channels_first"},
]


def _signal(kwargs):
    signal = np.random.default_rng(1).normal(size=(2, 100, 2)).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        return np.ascontiguousarray(signal.transpose(0, 2, 1))
    return signal


@pytest.mark.parametrize("kwargs", _STFT_CONFIGS)
def test_stft_spectrogram_matches_keras(keras, kwargs):
    kwargs = {"data_format": "channels_last", "name": "stft", **kwargs}
    signal = _signal(kwargs)
    reference = keras.layers.STFTSpectrogram(**kwargs)
    layer = STFTSpectrogram(**kwargs)
    expected = keras.ops.convert_to_numpy(reference(signal))
    outputs = layer(torch.tensor(signal)).detach().numpy()
    assert layer.get_config() == reference.get_config()
    assert [w.path for w in layer.weights] == [w.path for w in reference.weights]
    for mine, theirs in zip(layer.get_weights(), reference.get_weights(), strict=True):
        assert mine.shape == theirs.shape
        _assert_close(mine, theirs)
    if kwargs.get("mode") == "angle":  # the same angle may differ by 2 pi
        outputs = np.angle(np.exp(1j * (outputs - expected))) + expected
    _assert_close(outputs, expected)


def test_stft_spectrogram_trained_kernels_cross_files(keras, tmp_path):
    kwargs = {"frame_length": 16, "mode": "magnitude", "data_format": "channels_last"}
    signal = _signal(kwargs)
    inputs = keras.Input((100, 2))
    model = keras.Model(inputs, keras.layers.STFTSpectrogram(**kwargs)(inputs))
    rng = np.random.default_rng(2)
    model.set_weights([w + rng.normal(size=w.shape) for w in model.get_weights()])
    path = str(tmp_path / "keras.keras")
    model.save(path)
    loaded = load_model(path)
    expected = keras.ops.convert_to_numpy(model(signal))
    _assert_close(loaded.predict(signal, verbose=0), expected)
    back = str(tmp_path / "lamina.keras")
    loaded.save(back)
    again = keras.saving.load_model(back)
    _assert_close(keras.ops.convert_to_numpy(again(signal)), expected)


def test_mel_spectrogram_keras_file_loads(keras, tmp_path):
    kwargs = {"fft_length": 128, "sequence_stride": 32, "num_mel_bins": 12}
    audio = np.random.default_rng(3).normal(size=(2, 800)).astype("float32")
    inputs = keras.Input((800,))
    model = keras.Model(inputs, keras.layers.MelSpectrogram(**kwargs)(inputs))
    path = str(tmp_path / "mel.keras")
    model.save(path)
    loaded = load_model(path)
    expected = keras.ops.convert_to_numpy(model(audio))
    _assert_close(loaded.predict(audio, verbose=0), expected)
