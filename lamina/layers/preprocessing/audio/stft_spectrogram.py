"""`STFTSpectrogram`: a short-time Fourier transform as trainable 1-D convolutions."""

import math
import warnings
from typing import Any

import torch

from lamina.backend.config import epsilon
from lamina.backend.config import standardize_data_format
from lamina.initializers.stft import STFT
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.ops.nn.conv import conv

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")
_SCALINGS = ("density", "spectrum")
_PADDINGS = ("valid", "same")
_TORCH_WINDOWS = ("bartlett", "blackman", "hamming", "hann")
_FLOAT_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


class STFTSpectrogram(Layer):
    """Computes the spectrogram of each channel of a signal with a windowed DFT.

    The DFT is a strided 1-D convolution whose kernels (`real_kernel`,
    `imag_kernel`, shape `(frame_length, 1, fft_length // 2 + 1)`) start as
    the windowed cosines and sines of the `STFT` initializer; they are
    trainable, so the filter bank can be fine-tuned.

    Args:
        mode: What to return per frequency bin: `"log"` (log magnitude),
            `"magnitude"`, `"psd"` (power spectral density), `"real"`,
            `"imag"`, `"angle"` or `"stft"` (real and imaginary parts
            concatenated along the frequency axis). Defaults to `"log"`.
        frame_length: Int, samples per frame (the kernel length). Defaults to
            `256`.
        frame_step: Int in `[1, frame_length]`, samples between frame starts.
            Defaults to `None`: `frame_length // 2`.
        fft_length: Int, DFT size, at least `frame_length`. Defaults to
            `None`: the next power of two of `frame_length`.
        window: A window name (any `scipy.signal.get_window` name; `"hann"`,
            `"hamming"`, `"blackman"` and `"bartlett"` need no SciPy), a list
            of `frame_length` values, or `None`. Defaults to `"hann"`.
        periodic: Whether a named window is periodic rather than symmetric.
            Defaults to `False`.
        scaling: `"density"`, `"spectrum"` or `None`, the window
            normalisation. Defaults to `"density"`.
        padding: `"valid"` or `"same"`. Defaults to `"valid"`.
        expand_dims: Whether channels stay a separate axis of the output
            instead of being merged into the frequency axis. Defaults to
            `False`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `None`: the global `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, time, channels)` for `"channels_last"`, else
        `(batch, channels, time)`.

    Output shape:
        `"channels_last"`: `(batch, frames, channels * bins)`, or
        `(batch, frames, bins, channels)` with `expand_dims=True`.
        `"channels_first"`: `(batch, channels * bins, frames)`, or
        `(batch, channels, frames, bins)` with `expand_dims=True`.
        `bins` is `fft_length // 2 + 1`, doubled for `mode="stft"`.

    Example:
    >>> layer = STFTSpectrogram(frame_length=16, data_format="channels_last")
    >>> tuple(layer(torch.ones(2, 64, 1)).shape)
    (2, 7, 9)
    """

    def __init__(
        self,
        mode: str = "log",
        frame_length: int = 256,
        frame_step: int | None = None,
        fft_length: int | None = None,
        window: str | list[float] | None = "hann",
        periodic: bool = False,
        scaling: str | None = "density",
        padding: str = "valid",
        expand_dims: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        _check_arguments(mode, frame_length, frame_step, fft_length, scaling, padding)
        _check_window(window, frame_length)
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self.fft_length = fft_length
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format)
        self._frame_step = frame_step or frame_length // 2
        self._fft_length = fft_length or 2 ** math.ceil(math.log2(frame_length))
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        window = _initializer_window(self.window, self.frame_length, self.periodic)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel",
                shape=shape,
                initializer=STFT("real", window, self.scaling, self.periodic),
            )
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel",
                shape=shape,
                initializer=STFT("imag", window, self.scaling, self.periodic),
            )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.dtype not in _FLOAT_DTYPES:
            raise TypeError(
                f"Layer '{self.name}' (STFTSpectrogram) expected a float16, "
                f"bfloat16, float32 or float64 signal, but received dtype "
                f"{inputs.dtype}. Cast the audio to float first."
            )
        if self.mode == "real":
            return self._arrange(self._convolve(inputs, self.real_kernel))
        if self.mode == "imag":
            return self._arrange(self._convolve(inputs, self.imag_kernel))
        real = self._convolve(inputs, self.real_kernel)
        imag = self._convolve(inputs, self.imag_kernel)
        if self.mode == "angle":
            return self._arrange(torch.atan2(imag, real))
        if self.mode == "stft":
            return self._arrange(torch.cat([real, imag], dim=2))  # 2 * bins
        power = real.square() + imag.square()
        if self.mode == "psd":
            # One-sided density: every bin but DC and Nyquist counts twice.
            inner = torch.nn.functional.pad(power[:, :, 1:-1], (0, 0, 1, 1))
            return self._arrange(power + inner)
        magnitude = self._arrange(torch.sqrt(torch.clamp(power, min=epsilon())))
        if self.mode == "magnitude":
            return magnitude
        return torch.log(torch.clamp(magnitude, min=epsilon()))

    def _convolve(self, inputs: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
        """Per-channel DFT frames as `(batch, channels, bins, frames)`."""
        if self.data_format == "channels_last":
            inputs = inputs.transpose(1, 2)  # (batch, channels, time)
        batch, channels, time = inputs.shape
        signals = inputs.reshape(batch * channels, 1, time)  # (batch*channels, 1, t)
        outputs = conv(
            signals,
            kernel.to(inputs.dtype),
            strides=self._frame_step,
            padding=self.padding,
            data_format="channels_first",
        )  # (batch * channels, bins, frames)
        return outputs.reshape(batch, channels, *outputs.shape[1:])

    def _arrange(self, outputs: torch.Tensor) -> torch.Tensor:
        """`(batch, channels, bins, frames)` to the layer's output layout."""
        batch, channels, bins, frames = outputs.shape
        channels_last = self.data_format == "channels_last"
        if self.expand_dims and channels_last:
            return outputs.permute(0, 3, 2, 1)  # (batch, frames, bins, channels)
        if self.expand_dims:
            return outputs.permute(0, 1, 3, 2)  # (batch, channels, frames, bins)
        merged = outputs.reshape(batch, channels * bins, frames)
        if channels_last:
            return merged.transpose(1, 2)  # (batch, frames, channels * bins)
        return merged  # (batch, channels * bins, frames)

    def get_config(self) -> dict[str, Any]:
        config = {
            "mode": self.mode,
            "frame_length": self.frame_length,
            "frame_step": self.frame_step,
            "fft_length": self.fft_length,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
            "padding": self.padding,
            "data_format": self.data_format,
            "expand_dims": self.expand_dims,
        }
        return {**super().get_config(), **config}


def _check_arguments(
    mode: Any,
    frame_length: Any,
    frame_step: Any,
    fft_length: Any,
    scaling: Any,
    padding: Any,
) -> None:
    prefix = "STFTSpectrogram expected"
    if mode not in _MODES:
        raise ValueError(
            f"{prefix} mode to be one of {', '.join(_MODES)}, but received "
            f"mode={mode!r}."
        )
    if not _is_positive_int(frame_length):
        raise ValueError(
            f"{prefix} frame_length to be a positive integer, but received "
            f"frame_length={frame_length!r}."
        )
    if frame_step is not None and (
        not _is_positive_int(frame_step) or frame_step > frame_length
    ):
        raise ValueError(
            f"{prefix} frame_step to be a positive integer not greater than "
            f"frame_length={frame_length}, but received frame_step={frame_step!r}. "
            f"Pass a step in [1, {frame_length}], or None for half a frame."
        )
    if fft_length is not None and (
        not _is_positive_int(fft_length) or fft_length < frame_length
    ):
        raise ValueError(
            f"{prefix} fft_length to be an integer not less than "
            f"frame_length={frame_length}, but received fft_length={fft_length!r}."
        )
    if fft_length is not None and fft_length & (fft_length - 1):
        warnings.warn(
            f"STFTSpectrogram received fft_length={fft_length}, which is not a "
            f"power of two; the DFT still works, but a power of two is usual.",
            stacklevel=3,
        )
    if scaling is not None and scaling not in _SCALINGS:
        raise ValueError(
            f"{prefix} scaling to be 'density', 'spectrum' or None, but "
            f"received scaling={scaling!r}."
        )
    if padding not in _PADDINGS:
        raise ValueError(
            f"{prefix} padding to be 'valid' or 'same', but received "
            f"padding={padding!r}."
        )


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _check_window(window: Any, frame_length: int) -> None:
    if window is None or (isinstance(window, str) and window in _TORCH_WINDOWS):
        return
    if isinstance(window, str):
        _scipy_window(window, frame_length, periodic=False)
        return
    if len(window) != frame_length:
        raise ValueError(
            f"STFTSpectrogram expected a window of frame_length={frame_length} "
            f"values, but received {len(window)} values. Pass a window name or "
            f"a list as long as a frame."
        )


def _initializer_window(window: Any, frame_length: int, periodic: bool) -> Any:
    """A window the `STFT` initializer takes: a torch-built name or values."""
    if isinstance(window, str) and window not in _TORCH_WINDOWS:
        return _scipy_window(window, frame_length, periodic)
    return window


def _scipy_window(window: str, frame_length: int, periodic: bool) -> list[float]:
    try:
        import scipy.signal  # an optional dependency, only for rare windows
    except ImportError as err:
        raise ImportError(
            f"STFTSpectrogram window={window!r} needs SciPy "
            f"(`pip install scipy`); {', '.join(_TORCH_WINDOWS)} work without it."
        ) from err
    try:
        values = scipy.signal.get_window(window, frame_length, fftbins=periodic)
    except ValueError as err:
        raise ValueError(
            f"STFTSpectrogram received unknown window={window!r}: {err}. Use "
            f"a scipy.signal.get_window name such as 'hann', a list of "
            f"{frame_length} values, or None."
        ) from err
    return values.tolist()
