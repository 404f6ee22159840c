"""Audio preprocessing layers (`keras.layers.MelSpectrogram`, ...)."""

from lamina.layers.preprocessing.audio.mel_spectrogram import MelSpectrogram
from lamina.layers.preprocessing.audio.stft_spectrogram import STFTSpectrogram
