"""Which device lamina puts new weights and data on."""

import contextlib
import os
from collections.abc import Iterator

import torch

_DEVICE: torch.device | None = None


def _best_available_device() -> torch.device:
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def get_device() -> torch.device:
    """Returns the device for new weights and batches.

    The first of: the device given to `set_device`, the `LAMINA_DEVICE`
    environment variable, then CUDA, MPS, CPU, whichever is available.

    Example:
    >>> get_device().type in ("cpu", "cuda", "mps")
    True
    """
    if _DEVICE is not None:
        return _DEVICE
    chosen = os.environ.get("LAMINA_DEVICE")
    if chosen:
        return torch.device(chosen)
    return _best_available_device()


def set_device(device: str | torch.device | None) -> None:
    """Chooses the device explicitly (`"cpu"`, `"cuda:1"`, `"mps"`), or `None` for
    the automatic choice. Takes effect for layers built afterwards.

    Example:
    >>> set_device("cpu"); get_device()
    device(type='cpu')
    >>> set_device(None)
    """
    global _DEVICE
    _DEVICE = None if device is None else torch.device(device)


@contextlib.contextmanager
def device_scope(device_name: str | torch.device) -> Iterator[torch.device]:
    """Puts the weights and tensors lamina creates inside on `device_name`.

    This is `keras.device`: `"gpu"` and `"gpu:1"` name CUDA devices, as on
    Keras's torch backend. The previous device choice returns on exit.

    Args:
        device_name: `"cpu"`, `"gpu:0"`, `"cuda:1"`, `"mps"` or a
            `torch.device`.

    Example:
    >>> with device_scope("cpu") as device:
    ...     print(device, get_device())
    cpu cpu
    """
    global _DEVICE
    device = _parse_device_name(device_name)
    previous = _DEVICE
    _DEVICE = device
    try:
        yield device
    finally:
        _DEVICE = previous


def _parse_device_name(device_name: str | torch.device) -> torch.device:
    if isinstance(device_name, torch.device):
        return device_name
    if not isinstance(device_name, str):
        raise ValueError(
            f"device() expected a device name such as 'gpu:0' or 'cpu', but "
            f"received device_name={device_name!r}."
        )
    name = device_name.lower().replace("gpu", "cuda")
    try:
        return torch.device(name)
    except RuntimeError as err:
        raise ValueError(
            f"device() received device_name={device_name!r}, which is not a "
            f"device. Pass 'cpu', 'gpu', 'gpu:1', 'cuda:0' or 'mps'."
        ) from err
