"""`LearningRateSchedule`: the base class of learning-rate schedules."""

from typing import Any

import torch


class LearningRateSchedule:
    """Maps the optimizer's step counter to a learning rate.

    Subclasses implement `__call__(step)`, which receives the optimizer's
    `iterations` (an int64 0-d tensor, or a Python int) and returns a 0-d
    float32 tensor on the step's device, using tensor ops only so that a
    training step never waits on the device. They also implement
    `get_config()` so that the schedule can be saved.

    Example:
    >>> class Halving(LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.1 * 0.5 ** as_step_tensor(step)
    ...     def get_config(self):
    ...         return {}
    >>> round(float(Halving()(2)), 4)
    0.025
    """

    def __call__(self, step: torch.Tensor | int) -> torch.Tensor:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            f"`__call__(self, step)` and return the learning rate for `step`."
        )

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            f"`get_config()` to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "LearningRateSchedule":
        """Rebuilds the schedule from the dict `get_config()` returned."""
        return cls(**config)


def as_step_tensor(step: torch.Tensor | int | float) -> torch.Tensor:
    """Returns `step` as a float32 tensor, on the device it already lives on.

    Example:
    >>> as_step_tensor(3)
    tensor(3.)
    """
    return torch.as_tensor(step).to(torch.float32)


def check_decay_steps(schedule: LearningRateSchedule, name: str, value: Any) -> None:
    """Raises `ValueError` unless a schedule's step-count argument is positive."""
    if value <= 0:
        raise ValueError(
            f"Learning rate schedule {type(schedule).__name__} expected "
            f"{name} > 0, but received {name}={value!r}. Pass the number of "
            f"optimizer steps over which the learning rate decays."
        )
