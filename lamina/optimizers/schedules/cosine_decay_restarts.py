"""`CosineDecayRestarts`: cosine decay that restarts, SGDR style."""

import math
from typing import Any

import torch

from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.learning_rate_schedule import as_step_tensor
from lamina.optimizers.schedules.learning_rate_schedule import check_decay_steps


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts.

    The first period lasts `first_decay_steps`; each later period is `t_mul`
    times longer and starts from `m_mul` times the previous start rate.
    See [Loshchilov & Hutter, 2016](https://arxiv.org/abs/1608.03983).

    Args:
        initial_learning_rate: Float, the learning rate at step 0.
        first_decay_steps: Positive int, the length of the first period.
        t_mul: Float, the growth factor of the period length. Defaults to
            `2.0`.
        m_mul: Float, the factor of the start rate per restart. Defaults to
            `1.0`.
        alpha: Float, the minimum rate as a fraction of the start rate.
            Defaults to `0.0`.
        name: String. Defaults to `"SGDRDecay"`.

    Example:
    >>> schedule = CosineDecayRestarts(0.1, first_decay_steps=10, t_mul=1.0)
    >>> round(float(schedule(10)), 6)
    0.1
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ):
        check_decay_steps(self, "first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def _restart_and_fraction(
        self, completed_fraction: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        t_mul = float(self._t_mul)
        if t_mul == 1.0:
            restart = torch.floor(completed_fraction)
            return restart, completed_fraction - restart
        # Periods grow geometrically: find the period index i with
        # sum_{k<i} t_mul**k <= fraction < sum_{k<=i} t_mul**k.
        t_mul_tensor = torch.full_like(completed_fraction, t_mul)
        restart = torch.floor(
            torch.log(1.0 - completed_fraction * (1.0 - t_mul))
            / torch.log(t_mul_tensor)
        )
        elapsed_periods = (1.0 - torch.pow(t_mul_tensor, restart)) / (1.0 - t_mul)
        fraction = (completed_fraction - elapsed_periods) / torch.pow(
            t_mul_tensor, restart
        )
        return restart, fraction

    def __call__(self, step: torch.Tensor | int) -> torch.Tensor:
        completed_fraction = as_step_tensor(step) / float(self.first_decay_steps)
        restart, fraction = self._restart_and_fraction(completed_fraction)
        m_factor = torch.pow(torch.full_like(restart, float(self._m_mul)), restart)
        cosine_decayed = 0.5 * m_factor * (1.0 + torch.cos(math.pi * fraction))
        decayed = (1.0 - self.alpha) * cosine_decayed + self.alpha
        return float(self.initial_learning_rate) * decayed

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
