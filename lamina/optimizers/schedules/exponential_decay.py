"""`ExponentialDecay`: the learning rate shrinks by a fixed factor per period."""

from typing import Any

import torch

from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.learning_rate_schedule import as_step_tensor
from lamina.optimizers.schedules.learning_rate_schedule import check_decay_steps


class ExponentialDecay(LearningRateSchedule):
    """Decays the learning rate exponentially.

    `lr(step) = initial_learning_rate * decay_rate ** (step / decay_steps)`,
    with the exponent rounded down when `staircase=True`.

    Args:
        initial_learning_rate: Float, the learning rate at step 0.
        decay_steps: Positive int, the steps over which the rate is multiplied
            by `decay_rate` once.
        decay_rate: Float, the factor per `decay_steps` steps.
        staircase: Bool, decay in discrete jumps. Defaults to `False`.
        name: String. Defaults to `"ExponentialDecay"`.

    Example:
    >>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> round(float(schedule(20)), 6)
    0.025
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ):
        check_decay_steps(self, "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: torch.Tensor | int) -> torch.Tensor:
        exponent = as_step_tensor(step) / float(self.decay_steps)
        if self.staircase:
            exponent = torch.floor(exponent)
        decay_rate = torch.full_like(exponent, float(self.decay_rate))
        return float(self.initial_learning_rate) * torch.pow(decay_rate, exponent)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
