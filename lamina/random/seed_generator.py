"""`SeedGenerator`: a seed that advances, so each draw differs yet replays."""

import contextlib
from collections.abc import Iterator
from typing import Any

import torch

from lamina.backend.device import get_device

_MAX_SEED = 2**31 - 1


class SeedGenerator:
    """A stateful source of seeds for the random ops.

    Each call to `next()` returns a fresh integer seed derived from the initial
    `seed` and a counter, so a program seeded the same way draws the same
    numbers. With `seed=None` the initial seed comes from torch's global RNG
    (so `lamina.utils.set_random_seed` governs it).

    Args:
        seed: Initial integer seed, or `None` for a random one.
        name: Optional name. Defaults to `"seed_generator"`.

    Example:
    >>> a, b = SeedGenerator(1), SeedGenerator(1)
    >>> a.next() == b.next(), a.next() == a.next()
    (True, False)
    """

    def __init__(
        self, seed: int | None = None, name: str | None = None, **kwargs: Any
    ) -> None:
        if kwargs.pop("backend", None) not in (None, "torch") or kwargs:
            raise ValueError(
                f"SeedGenerator received unexpected arguments {sorted(kwargs)}. "
                f"Pass only seed= and name=."
            )
        if seed is None:
            seed = int(torch.randint(0, _MAX_SEED, ()))
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError(
                f"SeedGenerator expected an integer seed or None, but received "
                f"{seed!r} of type {type(seed).__name__}."
            )
        self.name = name or "seed_generator"
        self.state = torch.tensor([seed, 0], dtype=torch.int64)

    def next(self, ordered: bool = True) -> int:
        """Returns the next seed and advances the state."""
        seed, counter = (int(v) for v in self.state.tolist())
        self.state[1] += 1
        # A splitmix-style mix keeps consecutive seeds far apart.
        mixed = (seed * 0x9E3779B1 + counter * 0x85EBCA77 + 0x165667B1) % _MAX_SEED
        return mixed

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (the initial seed and the name)."""
        return {"seed": int(self.state[0]), "name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "SeedGenerator":
        """Rebuilds a generator from `get_config()`."""
        return cls(**config)


def draw_seed(seed: int | SeedGenerator | None) -> int | None:
    """The integer seed for one draw (`None` means torch's global RNG)."""
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, int) and not isinstance(seed, bool):
        return seed
    if isinstance(seed, torch.Tensor) and seed.numel() == 1:
        return int(seed)
    raise TypeError(
        f"seed must be an int, a SeedGenerator or None, but received {seed!r} "
        f"of type {type(seed).__name__}."
    )


@contextlib.contextmanager
def seeded(
    seed: int | SeedGenerator | None, device: torch.device | None = None
) -> Iterator[torch.device]:
    """Runs the body with torch's RNG seeded by `seed`, restoring it afterwards.

    With `seed=None` the global RNG is used (and advanced) as is.
    """
    device = torch.device(device or get_device())
    value = draw_seed(seed)
    if value is None:
        yield device
        return
    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(
        devices=devices, device_type=device.type if device.type != "cpu" else "cuda"
    ):
        torch.manual_seed(value)
        yield device
