"""`PolynomialDecay`: the learning rate follows a polynomial to an end value."""

from typing import Any

import torch

from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.learning_rate_schedule import as_step_tensor
from lamina.optimizers.schedules.learning_rate_schedule import check_decay_steps


class PolynomialDecay(LearningRateSchedule):
    """Decays the learning rate polynomially to `end_learning_rate`.

    `lr(step) = (initial - end) * (1 - step / decay_steps) ** power + end`,
    with `step` capped at `decay_steps`. With `cycle=True`, `decay_steps` is
    instead stretched to the next multiple that exceeds `step`.

    Args:
        initial_learning_rate: Float, the learning rate at step 0.
        decay_steps: Positive int, the steps over which to decay.
        end_learning_rate: Float, the final learning rate. Defaults to
            `0.0001`.
        power: Float, the polynomial's power. Defaults to `1.0`.
        cycle: Bool, restart the decay after `decay_steps`. Defaults to
            `False`.
        name: String. Defaults to `"PolynomialDecay"`.

    Example:
    >>> schedule = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)
    >>> round(float(schedule(5)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ):
        check_decay_steps(self, "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step: torch.Tensor | int) -> torch.Tensor:
        step = as_step_tensor(step)
        decay_steps = torch.full_like(step, float(self.decay_steps))
        if self.cycle:
            periods = torch.ceil(step / float(self.decay_steps))
            decay_steps = decay_steps * torch.where(step == 0, 1.0, periods)
        else:
            step = torch.minimum(step, decay_steps)
        remaining = 1.0 - step / decay_steps
        span = float(self.initial_learning_rate) - float(self.end_learning_rate)
        decayed = span * torch.pow(remaining, float(self.power))
        return decayed + float(self.end_learning_rate)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }
