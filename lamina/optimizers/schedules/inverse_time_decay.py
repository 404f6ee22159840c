"""`InverseTimeDecay`: the learning rate falls as one over elapsed time."""

from typing import Any

import torch

from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.learning_rate_schedule import as_step_tensor
from lamina.optimizers.schedules.learning_rate_schedule import check_decay_steps


class InverseTimeDecay(LearningRateSchedule):
    """Decays the learning rate in inverse proportion to the step.

    `lr(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)`,
    with `step / decay_steps` rounded down when `staircase=True`. With
    `decay_steps=1` this is the Keras 2 `decay=` argument of optimizers.

    Args:
        initial_learning_rate: Float, the learning rate at step 0.
        decay_steps: Positive number, the time unit of the decay.
        decay_rate: Float, how fast the rate falls.
        staircase: Bool, decay in discrete jumps. Defaults to `False`.
        name: String. Defaults to `"InverseTimeDecay"`.

    Example:
    >>> schedule = InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)
    >>> round(float(schedule(2)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ):
        check_decay_steps(self, "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: torch.Tensor | int) -> torch.Tensor:
        progress = as_step_tensor(step) / float(self.decay_steps)
        if self.staircase:
            progress = torch.floor(progress)
        denominator = 1.0 + float(self.decay_rate) * progress
        return float(self.initial_learning_rate) / denominator

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
