"""One place that seeds every random number generator lamina uses."""

import random

import numpy as np
import torch


def set_random_seed(seed: int) -> None:
    """Seeds Python's `random`, NumPy and PyTorch (all devices) at once.

    Example:
    >>> set_random_seed(7); a = torch.rand(1)
    >>> set_random_seed(7); bool(torch.rand(1) == a)
    True
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(
            f"set_random_seed expected an integer seed, but received "
            f"{seed!r} of type {type(seed).__name__}."
        )
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
