"""The LSTM and GRU time loops compiled from C (`_rnn_native.c`), via `ctypes`.

Running a whole loop in one C call removes PyTorch's per-op dispatch
(about a dozen small ops per step in Python) and fuses the gate
nonlinearities and the state update into one pass per step (issue 5, W2):
W2's LSTM training step drops from about 18 to 12 ms on one core.
The matmuls go to the BLAS `sgemm_`/`dgemm_` that PyTorch links (MKL).

The source has no PyTorch headers: it builds in under a second with the
system C compiler (`$CC`, else `cc`) and is cached under
`$LAMINA_HOME/native` (`~/.lamina/native`), keyed by the source, the flags
and the CPU. `library()` returns `None`, and the caller keeps its PyTorch
loop, when there is no compiler, the build fails, or PyTorch does not use
MKL (whose Fortran BLAS takes 32-bit integers, as the C code assumes).
"""

import ctypes
import functools
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile

import torch

from lamina.utils.file_utils import cache_root

Tensor = torch.Tensor

_SOURCE = os.path.join(os.path.dirname(__file__), "_rnn_native.c")
_FLAGS = ["-O3", "-march=native", "-fPIC", "-shared"]
_TYPES = {torch.float32: "float", torch.float64: "double"}
# pointer arguments of each C function, after (steps, batch, units)
_POINTER_COUNTS = {
    "lstm_forward": 10,
    "lstm_backward": 12,
    "gru_forward": 11,
    "gru_backward": 12,
}


def is_supported(*tensors: Tensor | None) -> bool:
    """Whether the C loops can run on `tensors`: all on CPU, of one dtype.

    Never under `torch.compile`: it cannot trace a `ctypes` call, and it
    fuses the PyTorch loops itself.
    """
    if torch.compiler.is_compiling():
        return False
    present = [tensor for tensor in tensors if tensor is not None]
    dtype = present[0].dtype
    return (
        dtype in _TYPES
        and all(t.device.type == "cpu" and t.dtype == dtype for t in present)
        and library() is not None
    )


def lstm_forward(
    projected: Tensor,
    recurrent_mask: Tensor | None,
    step_mask: Tensor | None,
    kernel: Tensor,
    gates: Tensor,
    tanh_c: Tensor,
    hs: Tensor,
    cs: Tensor,
) -> None:
    """Fills `gates`, `tanh_c` and `hs[1:]`, `cs[1:]` (`hs[0]`, `cs[0]` set).

    Shapes as in `LSTMSequence`; `step_mask` is `(time, batch)` uint8.
    """
    steps, batch, width = projected.shape
    work = projected.new_empty(batch, width // 4)
    _call(
        "lstm_forward",
        (steps, batch, width // 4),
        projected,
        recurrent_mask,
        step_mask,
        kernel,
        gates,
        tanh_c,
        hs,
        cs,
        work,
    )


def lstm_backward(
    grad_hs: Tensor | None,
    recurrent_mask: Tensor | None,
    step_mask: Tensor | None,
    kernel: Tensor,
    gates: Tensor,
    tanh_c: Tensor,
    cs: Tensor,
    dh: Tensor,
    dc: Tensor,
    grad_z: Tensor,
) -> None:
    """Fills `grad_z`; `dh`, `dc` go in as the last step's and come out as h0's."""
    steps, batch, width = gates.shape
    work = gates.new_empty(batch, width // 4)
    _call(
        "lstm_backward",
        (steps, batch, width // 4),
        grad_hs,
        recurrent_mask,
        step_mask,
        kernel,
        gates,
        tanh_c,
        cs,
        dh,
        dc,
        grad_z,
        work,
    )


def gru_forward(
    projected: Tensor,
    recurrent_mask: Tensor | None,
    step_mask: Tensor | None,
    kernel: Tensor,
    recurrent_bias: Tensor | None,
    gates: Tensor,
    inner_h: Tensor,
    hs: Tensor,
) -> None:
    """Fills `gates` (z, r, n), `inner_h` and `hs[1:]` (`hs[0]` set).

    Shapes as in `GRUSequence`; `step_mask` is `(time, batch)` uint8.
    """
    steps, batch, width = projected.shape
    work = projected.new_empty(batch, width // 3)
    inner = projected.new_empty(batch, width)
    _call(
        "gru_forward",
        (steps, batch, width // 3),
        projected,
        recurrent_mask,
        step_mask,
        kernel,
        recurrent_bias,
        gates,
        inner_h,
        hs,
        work,
        inner,
    )


def gru_backward(
    grad_hs: Tensor | None,
    recurrent_mask: Tensor | None,
    step_mask: Tensor | None,
    kernel: Tensor,
    gates: Tensor,
    inner_h: Tensor,
    hs: Tensor,
    dh: Tensor,
    grad_x: Tensor,
    grad_inner: Tensor,
) -> None:
    """Fills `grad_x` and `grad_inner`; `dh` goes in as the last step's, out as h0's."""
    steps, batch, width = gates.shape
    work = gates.new_empty(batch, width // 3)
    _call(
        "gru_backward",
        (steps, batch, width // 3),
        grad_hs,
        recurrent_mask,
        step_mask,
        kernel,
        gates,
        inner_h,
        hs,
        dh,
        grad_x,
        grad_inner,
        work,
    )


def _call(name: str, sizes: tuple[int, int, int], *tensors: Tensor | None) -> None:
    """Runs the C function `<dtype>_<name>` on `sizes` (steps, batch, units)."""
    floating = (t for t in tensors if t is not None and t.is_floating_point())
    dtype = _TYPES[next(floating).dtype]
    pointers = [_pointer(tensor) for tensor in tensors]
    getattr(library(), f"{dtype}_{name}")(*sizes, *pointers, _gemm(dtype))


def _pointer(tensor: Tensor | None) -> int | None:
    if tensor is None:
        return None
    if not tensor.is_contiguous():  # the caller passes contiguous tensors
        raise ValueError(
            f"The C RNN loop expected contiguous tensors, but received one of "
            f"shape {tuple(tensor.shape)} with strides {tensor.stride()}. Call "
            f".contiguous() on it first (a bug in lamina if you see this)."
        )
    return tensor.data_ptr()


@functools.cache
def _gemm(name: str) -> int:
    blas = ctypes.CDLL(torch._C.__file__)  # resolves through libtorch_cpu
    symbol = {"float": "sgemm_", "double": "dgemm_"}[name]
    return ctypes.cast(getattr(blas, symbol), ctypes.c_void_p).value


@functools.cache
def library() -> ctypes.CDLL | None:
    """The compiled loops, built on first use; `None` where they cannot run."""
    if not sys.platform.startswith("linux") or not torch.backends.mkl.is_available():
        return None
    try:
        _gemm("float")
        _gemm("double")
    except AttributeError:  # this PyTorch build does not export the BLAS
        return None
    path = _build()
    if path is None:
        return None
    lib = ctypes.CDLL(path)
    for name, count in _POINTER_COUNTS.items():
        for dtype in _TYPES.values():
            function = getattr(lib, f"{dtype}_{name}")
            function.argtypes = [ctypes.c_int] * 3 + [ctypes.c_void_p] * count
            function.restype = None
    return lib


def _build() -> str | None:
    """Path of the shared library, compiled unless cached; `None` on failure."""
    compiler = shutil.which(os.environ.get("CC", "cc"))
    if compiler is None:
        return None
    with open(_SOURCE, "rb") as file:
        source = file.read()
    key = hashlib.sha256(
        b"\0".join([source, " ".join(_FLAGS).encode(), compiler.encode(), _cpu_id()])
    ).hexdigest()[:16]
    folder = os.path.join(cache_root(), "native")
    path = os.path.join(folder, f"rnn_{key}.so")
    if os.path.exists(path):
        return path
    temporary = None
    try:
        os.makedirs(folder, exist_ok=True)
        # build under a temporary name, then rename: concurrent processes
        # never load a half-written file
        handle, temporary = tempfile.mkstemp(suffix=".so", dir=folder)
        os.close(handle)
        subprocess.run(
            [compiler, *_FLAGS, _SOURCE, "-o", temporary, "-lm"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        os.replace(temporary, path)
    except (OSError, subprocess.SubprocessError):  # compile error, read-only home
        if temporary is not None and os.path.exists(temporary):
            os.remove(temporary)
        return None
    return path


def _cpu_id() -> bytes:
    """The CPU's model and flags: `-march=native` code is for this CPU only."""
    lines = [platform.machine()]
    try:
        with open("/proc/cpuinfo") as file:
            for line in file:
                if line.startswith(("model name", "flags")):
                    lines.append(line)
                if len(lines) == 3:
                    break
    except OSError:
        pass  # no /proc: the machine name alone keys the cache
    return "".join(lines).encode()
