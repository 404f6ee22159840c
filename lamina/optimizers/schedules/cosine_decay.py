"""`CosineDecay`: half a cosine wave from the initial rate, with optional warmup."""

import math
from typing import Any

import torch

from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.learning_rate_schedule import as_step_tensor
from lamina.optimizers.schedules.learning_rate_schedule import check_decay_steps


class CosineDecay(LearningRateSchedule):
    """Cosine decay with an optional linear warmup (SGDR without restarts).

    Without warmup: `lr(step) = initial_learning_rate * decayed` where
    `decayed = (1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) /
    decay_steps)) + alpha`. With `warmup_target`, the rate first rises
    linearly from `initial_learning_rate` to `warmup_target` over
    `warmup_steps`, then decays from `warmup_target`.
    See [Loshchilov & Hutter, 2016](https://arxiv.org/abs/1608.03983).

    Args:
        initial_learning_rate: Float, the learning rate at step 0.
        decay_steps: Positive int, the steps over which to decay.
        alpha: Float, the final rate as a fraction of the start rate.
            Defaults to `0.0`.
        name: String. Defaults to `"CosineDecay"`.
        warmup_target: Float or `None`, the rate reached after warmup; `None`
            disables warmup. Defaults to `None`.
        warmup_steps: Int, the number of warmup steps. Defaults to `0`.

    Example:
    >>> schedule = CosineDecay(0.1, decay_steps=10)
    >>> round(float(schedule(5)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ):
        check_decay_steps(self, "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step: torch.Tensor, start_rate: float) -> torch.Tensor:
        completed_fraction = step / float(self.decay_steps)
        cosine_decayed = 0.5 * (1.0 + torch.cos(math.pi * completed_fraction))
        decayed = (1.0 - self.alpha) * cosine_decayed + self.alpha
        return start_rate * decayed

    def __call__(self, step: torch.Tensor | int) -> torch.Tensor:
        step = as_step_tensor(step)
        initial_rate = float(self.initial_learning_rate)
        if self.warmup_target is None:
            step = torch.clamp(step, max=float(self.decay_steps))
            return self._decay(step, initial_rate)
        warmup_steps = float(self.warmup_steps)
        step = torch.clamp(step, max=float(self.decay_steps) + warmup_steps)
        target = float(self.warmup_target)
        # Both branches are computed and one is selected on the device, so
        # that choosing does not wait for the step counter.
        warmup = (target - initial_rate) * (step / warmup_steps) + initial_rate
        decay = self._decay(step - warmup_steps, target)
        return torch.where(step < warmup_steps, warmup, decay)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }
