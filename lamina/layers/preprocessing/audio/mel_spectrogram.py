"""`MelSpectrogram`: audio to a (decibel) mel-scale spectrogram."""

import math
from typing import Any

import torch

from lamina.backend.device import get_device
from lamina.layers.layer import Layer
from lamina.ops.math import stft

# The HTK mel scale: mel(f) = 1127 * ln(1 + f / 700).
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0
_WINDOWS = ("hann", "hamming")


class MelSpectrogram(Layer):
    """Turns raw audio into a mel spectrogram, optionally in decibels.

    Each frame of `sequence_length` samples, every `sequence_stride` samples
    (the signal reflect-padded by `fft_length // 2` at both ends), is windowed
    and transformed; the magnitudes raised to `mag_exp` are summed into
    `num_mel_bins` triangular HTK mel filters spanning `[min_freq, max_freq]`.
    With `power_to_db=True` the result becomes
    `10 * log10(max(S, min_power) / max(|ref_power|, min_power))`, floored at
    `top_db` below the largest value of the whole batch (as Keras does).

    Args:
        fft_length: Int, DFT size. Defaults to `2048`.
        sequence_stride: Int, samples between frame starts. Defaults to `512`.
        sequence_length: Int, samples per window, at most `fft_length`.
            Defaults to `None`: `fft_length`.
        window: `"hann"`, `"hamming"` or `None` (rectangular). Defaults to
            `"hann"`.
        sampling_rate: Samples per second of the audio. Defaults to `16000`.
        num_mel_bins: Int, number of mel bands. Defaults to `128`.
        min_freq: Float, lower edge of the lowest band, in Hz. Defaults to
            `20.0`.
        max_freq: Float, upper edge of the highest band, in Hz. Defaults to
            `None`: `int(sampling_rate / 2)`.
        power_to_db: Whether to convert to decibels. Defaults to `True`.
        top_db: Float, dynamic range kept below the peak, in dB. Defaults to
            `80.0`.
        mag_exp: Float, exponent of the magnitudes (`1.0` magnitude, `2.0`
            power). Defaults to `2.0`.
        min_power: Float, floor of the power before the logarithm. Defaults
            to `1e-10`.
        ref_power: Float, the power that maps to 0 dB. Defaults to `1.0`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, time)` or `(time,)`.

    Output shape:
        `(batch, num_mel_bins, frames)` or `(num_mel_bins, frames)`, with
        `frames = time // sequence_stride + 1`.

    Example:
    >>> layer = MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    >>> tuple(layer(torch.randn(2, 160)).shape)
    (2, 8, 11)
    """

    def __init__(
        self,
        fft_length: int = 2048,
        sequence_stride: int = 512,
        sequence_length: int | None = None,
        window: str | None = "hann",
        sampling_rate: int = 16000,
        num_mel_bins: int = 128,
        min_freq: float = 20.0,
        max_freq: float | None = None,
        power_to_db: bool = True,
        top_db: float = 80.0,
        mag_exp: float = 2.0,
        min_power: float = 1e-10,
        ref_power: float = 1.0,
        **kwargs: Any,
    ) -> None:
        sequence_length = sequence_length or fft_length
        max_freq = max_freq or int(sampling_rate / 2)
        _check_counts(fft_length, sequence_stride, sequence_length, num_mel_bins)
        _check_frequencies(window, sampling_rate, min_freq, max_freq)
        super().__init__(**kwargs)
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        # A constant of the config, made once; `persistent=False` keeps it
        # out of the weights, as Keras has none for this layer.
        matrix = linear_to_mel_weight_matrix(
            self.num_mel_bins,
            self.fft_length // 2 + 1,
            self.sampling_rate,
            self.min_freq,
            self.max_freq,
        )
        self.register_buffer("_mel_matrix", matrix.to(get_device()), persistent=False)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        compute_dtype = getattr(torch, self.compute_dtype)
        dtype = compute_dtype if compute_dtype == torch.float64 else torch.float32
        signal = inputs.to(dtype)
        real, imag = stft(
            signal,
            sequence_length=self.sequence_length,
            sequence_stride=self.sequence_stride,
            fft_length=self.fft_length,
            window=self.window,
            center=True,
        )  # (..., frames, fft_length // 2 + 1)
        spectrum = torch.sqrt(real.square() + imag.square()) ** self.mag_exp
        matrix = self._mel_matrix.to(device=spectrum.device, dtype=dtype)
        mel = spectrum @ matrix  # (..., frames, num_mel_bins)
        if self.power_to_db:
            mel = self._to_decibels(mel)
        return mel.transpose(-1, -2).to(compute_dtype)  # (..., num_mel_bins, frames)

    def _to_decibels(self, power: torch.Tensor) -> torch.Tensor:
        decibels = 10.0 * torch.log10(torch.clamp(power, min=self.min_power))
        reference = max(abs(self.ref_power), self.min_power)
        decibels = decibels - 10.0 * math.log10(reference)
        # The floor follows the peak of the whole batch, as in Keras.
        return torch.maximum(decibels, decibels.max() - self.top_db)

    def get_config(self) -> dict[str, Any]:
        config = {
            "fft_length": self.fft_length,
            "sequence_stride": self.sequence_stride,
            "sequence_length": self.sequence_length,
            "window": self.window,
            "sampling_rate": self.sampling_rate,
            "num_mel_bins": self.num_mel_bins,
            "min_freq": self.min_freq,
            "max_freq": self.max_freq,
            "power_to_db": self.power_to_db,
            "top_db": self.top_db,
            "mag_exp": self.mag_exp,
            "min_power": self.min_power,
            "ref_power": self.ref_power,
        }
        return {**super().get_config(), **config}


def linear_to_mel_weight_matrix(
    num_mel_bins: int,
    num_spectrogram_bins: int,
    sampling_rate: float,
    lower_edge_hertz: float,
    upper_edge_hertz: float,
) -> torch.Tensor:
    """The `(num_spectrogram_bins, num_mel_bins)` float32 matrix of triangular
    HTK mel filters with peak 1; the DC bin's row is zero."""
    frequencies = torch.linspace(
        0.0, sampling_rate / 2.0, num_spectrogram_bins, dtype=torch.float32
    )[1:]
    bins_mel = _hertz_to_mel(frequencies).unsqueeze(1)  # (bins - 1, 1)
    edges = torch.linspace(
        float(_hertz_to_mel(torch.tensor(float(lower_edge_hertz)))),
        float(_hertz_to_mel(torch.tensor(float(upper_edge_hertz)))),
        num_mel_bins + 2,
        dtype=torch.float32,
    )
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]  # (num_mel_bins,)
    rising = (bins_mel - lower) / (center - lower)  # (bins - 1, num_mel_bins)
    falling = (upper - bins_mel) / (upper - center)
    weights = torch.clamp(torch.minimum(rising, falling), min=0.0)
    return torch.nn.functional.pad(weights, (0, 0, 1, 0))  # (bins, num_mel_bins)


def _hertz_to_mel(frequencies: torch.Tensor) -> torch.Tensor:
    return _MEL_HIGH_FREQUENCY_Q * torch.log(
        1.0 + frequencies / _MEL_BREAK_FREQUENCY_HERTZ
    )


def _check_counts(
    fft_length: Any, sequence_stride: Any, sequence_length: Any, num_mel_bins: Any
) -> None:
    for argument, value in (
        ("fft_length", fft_length),
        ("sequence_stride", sequence_stride),
        ("sequence_length", sequence_length),
        ("num_mel_bins", num_mel_bins),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"MelSpectrogram expected {argument} to be a positive integer, "
                f"but received {argument}={value!r}."
            )
    if fft_length < sequence_length:
        raise ValueError(
            f"MelSpectrogram expected fft_length >= sequence_length, but "
            f"received fft_length={fft_length}, sequence_length="
            f"{sequence_length}. Raise fft_length or shorten the window."
        )


def _check_frequencies(
    window: Any, sampling_rate: Any, min_freq: Any, max_freq: Any
) -> None:
    if window is not None and window not in _WINDOWS:
        raise ValueError(
            f"MelSpectrogram expected window to be 'hann', 'hamming' or None, "
            f"but received window={window!r}."
        )
    if not isinstance(sampling_rate, (int, float)) or sampling_rate <= 0:
        raise ValueError(
            f"MelSpectrogram expected sampling_rate to be a positive number, "
            f"but received sampling_rate={sampling_rate!r}."
        )
    if not 0 <= min_freq < max_freq:
        raise ValueError(
            f"MelSpectrogram expected 0 <= min_freq < max_freq, but received "
            f"min_freq={min_freq!r}, max_freq={max_freq!r}. Keep max_freq at "
            f"most the Nyquist frequency sampling_rate / 2 = {sampling_rate / 2}."
        )
