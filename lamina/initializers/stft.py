"""The STFT initializer: convolution kernels that compute a windowed DFT."""

import math
from collections.abc import Sequence
from typing import Any

import torch

from lamina.backend import standardize_dtype
from lamina.initializers.initializer import Initializer
from lamina.initializers.initializer import Shape

_WINDOWS = {
    "bartlett": torch.signal.windows.bartlett,
    "blackman": torch.signal.windows.blackman,
    "hamming": torch.signal.windows.hamming,
    "hann": torch.signal.windows.hann,
}
_SCALINGS = ("density", "spectrum")


class STFT(Initializer):
    """Makes `(frame_length, 1, fft_bins)` kernels for a short-time DFT.

    Each kernel column `f` holds `cos(-2 pi t f / n_fft)` (`side="real"`) or the
    sine (`side="imag"`), times the window, divided by the window's L2 norm
    (`scaling="density"`) or L1 norm (`"spectrum"`), where
    `n_fft = 2 * (fft_bins - 1)`.

    Args:
        side: `"real"` or `"imag"`. Defaults to `"real"`.
        window: A window name (`"hann"`, `"hamming"`, `"blackman"`,
            `"bartlett"`), a sequence of `frame_length` values, or `None`.
            Defaults to `"hann"`.
        scaling: `"density"`, `"spectrum"` or `None`. Defaults to `"density"`.
        periodic: Whether a named window is periodic rather than symmetric.
            Defaults to `False`.

    Example:
    >>> tuple(STFT()((8, 1, 5)).shape)
    (8, 1, 5)
    """

    def __init__(
        self,
        side: str = "real",
        window: str | Sequence[float] | None = "hann",
        scaling: str | None = "density",
        periodic: bool = False,
    ):
        if side not in ("real", "imag"):
            raise ValueError(
                f"STFT expected side to be 'real' or 'imag', but received "
                f"side={side!r}."
            )
        if isinstance(window, str) and window not in _WINDOWS:
            raise ValueError(
                f"STFT received unknown window={window!r}. Available windows: "
                f"{', '.join(sorted(_WINDOWS))}, or pass the values as a list."
            )
        if scaling is not None and scaling not in _SCALINGS:
            raise ValueError(
                f"STFT expected scaling to be one of {_SCALINGS} or None, but "
                f"received scaling={scaling!r}."
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = standardize_dtype(dtype)
        frame_length, _, fft_bins = shape
        time = torch.arange(frame_length, dtype=torch.float64).reshape(-1, 1, 1)
        frequency = torch.arange(fft_bins, dtype=torch.float64).reshape(1, 1, -1)
        angle = -2.0 * math.pi * time * frequency / ((fft_bins - 1) * 2)
        kernel = torch.cos(angle) if self.side == "real" else torch.sin(angle)
        if self.window is None:
            return kernel.to(dtype)
        window = self._window_values(frame_length).reshape(-1, 1, 1)
        kernel = kernel * window
        if self.scaling == "density":
            kernel = kernel / torch.sqrt(torch.sum(window**2))
        elif self.scaling == "spectrum":
            kernel = kernel / torch.sum(torch.abs(window))
        return kernel.to(dtype)

    def _window_values(self, frame_length: int) -> torch.Tensor:
        if isinstance(self.window, str):
            make = _WINDOWS[self.window]
            return make(frame_length, sym=not self.periodic, dtype=torch.float64)
        values = torch.as_tensor(self.window, dtype=torch.float64)
        if tuple(values.shape) != (frame_length,):
            raise ValueError(
                f"STFT expected window of shape ({frame_length},) to match the "
                f"kernel's frame length, but received shape {tuple(values.shape)}."
            )
        return values

    def get_config(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }
