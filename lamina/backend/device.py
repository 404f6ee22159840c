"""Which device lamina puts new weights and data on."""

import os

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
