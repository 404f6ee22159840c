"""Math ops: segment reductions, top-k, `logsumexp`, FFTs and special functions.

Complex values travel as `(real, imag)` pairs of float tensors, as in Keras.

Example:
>>> import torch
>>> segment_sum(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0, 0, 1])).tolist()
[3.0, 3.0]
>>> top_k(torch.tensor([1, 5, 3]), 2).values.tolist()
[5, 3]
"""

import math
from typing import Any

import torch

from lamina.ops._convert import to_float
from lamina.ops._convert import to_tensor

TensorLike = Any

_SEGMENT_FILL = {"sum": 0.0, "prod": 1.0, "amax": -math.inf, "amin": math.inf}


def _segment(
    data: TensorLike, segment_ids: TensorLike, num_segments: int | None, reduce: str
) -> torch.Tensor:
    data = to_tensor(data)
    ids = to_tensor(segment_ids, device=data.device).long()
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    # Out-of-range ids land in a spare last row that is dropped.
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    inner = data.shape[1:]
    index = ids.reshape((-1,) + (1,) * len(inner)).expand(data.shape)
    compute = data if data.is_floating_point() else data.double()
    out = torch.full(
        (num_segments + 1,) + inner,
        _SEGMENT_FILL[reduce],
        dtype=compute.dtype,
        device=data.device,
    )
    out = out.scatter_reduce(0, index, compute, reduce=reduce)
    return out[:-1].to(data.dtype)


def segment_sum(
    data: TensorLike,
    segment_ids: TensorLike,
    num_segments: int | None = None,
    sorted: bool = False,
) -> torch.Tensor:  # noqa: A002
    """Sums the rows of `data` that share a segment id."""
    return _segment(data, segment_ids, num_segments, "sum")


def segment_prod(
    data: TensorLike,
    segment_ids: TensorLike,
    num_segments: int | None = None,
    sorted: bool = False,
) -> torch.Tensor:  # noqa: A002
    """Multiplies the rows of `data` that share a segment id."""
    return _segment(data, segment_ids, num_segments, "prod")


def segment_max(
    data: TensorLike,
    segment_ids: TensorLike,
    num_segments: int | None = None,
    sorted: bool = False,
) -> torch.Tensor:  # noqa: A002
    """Maximum of the rows of `data` that share a segment id (-inf if empty)."""
    return _segment(data, segment_ids, num_segments, "amax")


def segment_min(
    data: TensorLike,
    segment_ids: TensorLike,
    num_segments: int | None = None,
    sorted: bool = False,
) -> torch.Tensor:  # noqa: A002
    """Minimum of the rows of `data` that share a segment id (inf if empty)."""
    return _segment(data, segment_ids, num_segments, "amin")


def top_k(x: TensorLike, k: int, sorted: bool = True) -> Any:  # noqa: A002
    """The `k` largest values along the last axis and their indices."""
    return torch.topk(to_tensor(x), k, dim=-1, sorted=sorted)


def in_top_k(targets: TensorLike, predictions: TensorLike, k: int) -> torch.Tensor:
    """Whether each target's prediction is among the top `k` (ties count)."""
    predictions = to_tensor(predictions)
    targets = to_tensor(targets, device=predictions.device).long()[:, None]
    kth = torch.topk(predictions, k, dim=-1).values[:, -1:]
    target_scores = torch.take_along_dim(predictions, targets, dim=-1)
    return (target_scores >= kth).any(dim=-1)


def logsumexp(x: TensorLike, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """`log(sum(exp(x)))` over `axis`, computed stably."""
    x = to_float(to_tensor(x))
    dims = tuple(range(x.ndim)) if axis is None else axis
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


def extract_sequences(
    x: TensorLike, sequence_length: int, sequence_stride: int
) -> torch.Tensor:
    """Frames of `sequence_length` taken every `sequence_stride` on the last axis."""
    return to_tensor(x).unfold(-1, sequence_length, sequence_stride)


def rsqrt(x: TensorLike) -> torch.Tensor:
    """`1 / sqrt(x)`."""
    return torch.rsqrt(to_float(to_tensor(x)))


def erf(x: TensorLike) -> torch.Tensor:
    """The error function."""
    return torch.erf(to_float(to_tensor(x)))


def erfc(x: TensorLike) -> torch.Tensor:
    """The complementary error function, `1 - erf(x)`."""
    return torch.erfc(to_float(to_tensor(x)))


def erfinv(x: TensorLike) -> torch.Tensor:
    """The inverse error function."""
    return torch.erfinv(to_float(to_tensor(x)))


def logdet(x: TensorLike) -> torch.Tensor:
    """Natural log of the determinant of square matrices."""
    return torch.logdet(to_tensor(x))


def view_as_complex(x: TensorLike) -> torch.Tensor:
    """A complex tensor from a real one whose last axis holds `(real, imag)`."""
    return torch.view_as_complex(to_tensor(x).contiguous())


def view_as_real(x: TensorLike) -> torch.Tensor:
    """A real tensor with a last axis of `(real, imag)` from a complex one."""
    return torch.view_as_real(to_tensor(x))


def _complex(x: Any) -> torch.Tensor:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"Expected x as a (real, imag) pair of float tensors, but received "
            f"{type(x).__name__}. Pass x=(real, imag)."
        )
    real, imag = to_tensor(x[0]), to_tensor(x[1])
    if not (real.is_floating_point() and imag.is_floating_point()):
        raise ValueError(
            f"Expected float real and imaginary parts, but received dtypes "
            f"{real.dtype} and {imag.dtype}. Cast both to float32."
        )
    if real.shape != imag.shape:
        raise ValueError(
            f"Expected real and imaginary parts of one shape, but received "
            f"{tuple(real.shape)} and {tuple(imag.shape)}."
        )
    return torch.complex(real, imag.to(real.device))


def _pair(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return z.real, z.imag


def fft(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """FFT over the last axis of `(real, imag)`."""
    return _pair(torch.fft.fft(_complex(x)))


def fft2(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """2-D FFT over the last two axes of `(real, imag)`."""
    return _pair(torch.fft.fft2(_complex(x)))


def ifft2(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """Inverse 2-D FFT over the last two axes of `(real, imag)`."""
    return _pair(torch.fft.ifft2(_complex(x)))


def rfft(
    x: TensorLike, fft_length: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """FFT of a real signal over the last axis: the non-negative frequencies."""
    return _pair(torch.fft.rfft(to_tensor(x), n=fft_length, dim=-1))


def irfft(x: Any, fft_length: int | None = None) -> torch.Tensor:
    """Inverse of `rfft`: a real signal from `(real, imag)` half-spectra."""
    return torch.fft.irfft(_complex(x), n=fft_length, dim=-1)


def _window(
    window: Any,
    sequence_length: int,
    fft_length: int,
    dtype: torch.dtype,
    device: torch.device,
) -> torch.Tensor:
    """The analysis window, centred and zero-padded to `fft_length`."""
    if window is None:
        values = torch.ones(sequence_length, dtype=dtype, device=device)
    elif isinstance(window, str):
        builders = {"hann": torch.hann_window, "hamming": torch.hamming_window}
        if window not in builders:
            raise ValueError(
                f"window={window!r} is not a known window. Expected 'hann', "
                f"'hamming', None or a tensor of length {sequence_length}."
            )
        values = builders[window](
            sequence_length, periodic=True, dtype=dtype, device=device
        )
    else:
        values = to_tensor(window, dtype=dtype, device=device)
    if values.shape != (sequence_length,):
        raise ValueError(
            f"window must have shape ({sequence_length},), but received "
            f"{tuple(values.shape)}."
        )
    left = (fft_length - sequence_length) // 2
    return torch.nn.functional.pad(values, (left, fft_length - sequence_length - left))


def stft(
    x: TensorLike,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    window: Any = "hann",
    center: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Short-time Fourier transform over the last axis, as `(real, imag)`.

    Output shape: `(..., num_frames, fft_length // 2 + 1)`.
    """
    x = to_float(to_tensor(x))
    if fft_length < sequence_length:
        raise ValueError(
            f"stft needs fft_length >= sequence_length, but received "
            f"fft_length={fft_length}, sequence_length={sequence_length}."
        )
    win = _window(window, sequence_length, fft_length, x.dtype, x.device)
    if center:
        pad = fft_length // 2
        shape = x.shape
        x = torch.nn.functional.pad(
            x.reshape(1, -1, shape[-1]), (pad, pad), mode="reflect"
        ).reshape(*shape[:-1], -1)
    frames = x.unfold(-1, fft_length, sequence_stride) * win
    return _pair(torch.fft.rfft(frames, dim=-1))


def istft(
    x: Any,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    length: int | None = None,
    window: Any = "hann",
    center: bool = True,
) -> torch.Tensor:
    """Inverse of `stft` by weighted overlap-add."""
    frames = irfft(x, fft_length)  # (..., num_frames, fft_length)
    win = _window(window, sequence_length, fft_length, frames.dtype, frames.device)
    num_frames = frames.shape[-2]
    total = fft_length + sequence_stride * (num_frames - 1)
    signal = _overlap_add(frames * win, sequence_stride, total)
    norm = _overlap_add(
        (win * win).expand(num_frames, fft_length), sequence_stride, total
    )
    signal = signal / torch.where(norm > 1e-10, norm, torch.ones_like(norm))
    start = fft_length // 2 if center else 0
    if length is not None:
        return signal[..., start : start + length]
    end = total - fft_length // 2 if center else total
    return signal[..., start:end]


def _overlap_add(frames: torch.Tensor, stride: int, total: int) -> torch.Tensor:
    batch = frames.shape[:-2]
    num_frames, width = frames.shape[-2:]
    columns = frames.reshape(-1, num_frames, width).transpose(1, 2)
    out = torch.nn.functional.fold(columns, (1, total), (1, width), stride=(1, stride))
    return out.reshape(*batch, total)
