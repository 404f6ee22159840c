"""`ScheduleFreeAdamW`: AdamW that needs no learning-rate schedule."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW: interpolates an Adam sequence with its running average.

    The optimizer keeps `z` (its "momentum" slot, started at the weights),
    where Adam-normalized steps land, and the weights `y` are an
    interpolation of `z` with the running average `x` of the `z` sequence.
    Each step recovers `x = (y - (1 - beta_1) * z) / beta_1`, updates
    `z = z - lr * g / (sqrt(v / (1 - beta_2**t)) + epsilon)`, averages
    `x = (1 - 1/t) * x + z / t` and sets `y = (1 - beta_1) * z + beta_1 * x`.
    With `warmup_steps`, `lr` grows linearly from 0 over that many steps.
    See [Defazio et al., 2024](https://arxiv.org/abs/2405.15682).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.0025`.
        beta_1: Float in (0, 1], interpolation between `z` and the average
            (and its momentum). Defaults to `0.9`.
        beta_2: Float in [0, 1), decay of the second moment. Defaults to
            `0.999`.
        epsilon: Float >= 0, added to the denominator. Defaults to `1e-8`.
        warmup_steps: Int >= 0, steps of linear learning-rate warmup.
            Defaults to `0`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(2))
    >>> optimizer = ScheduleFreeAdamW(learning_rate=0.1)
    >>> _ = optimizer.apply_gradients([(torch.ones(2), weight)])
    >>> [round(x, 4) for x in weight.tolist()]
    [-0.1, -0.1]
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.0025,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        warmup_steps: int = 0,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        if not 0 < beta_1 <= 1:
            raise ValueError(
                f"{self._label} expected beta_1 in (0, 1], but received "
                f"beta_1={beta_1!r}. The average is recovered by dividing by "
                f"beta_1; pass e.g. 0.9."
            )
        if not 0 <= beta_2 < 1:
            raise ValueError(
                f"{self._label} expected beta_2 in [0, 1), but received "
                f"beta_2={beta_2!r}. Pass a decay rate such as 0.999."
            )
        self._check_non_negative(epsilon=epsilon)
        if (
            isinstance(warmup_steps, bool)
            or not isinstance(warmup_steps, int)
            or warmup_steps < 0
        ):
            raise ValueError(
                f"{self._label} expected warmup_steps to be an int >= 0, but "
                f"received warmup_steps={warmup_steps!r}."
            )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        with torch.no_grad():
            torch._foreach_copy_(self._momentums, [v.detach() for v in variables])

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        momentums = self._gather(self._momentums)
        velocities = self._gather(self._velocities)
        step = (self.iterations + 1).to(learning_rate.dtype)
        if self.warmup_steps > 0:
            learning_rate = learning_rate * (step / self.warmup_steps).clamp_max(1.0)
        # The running average, from the weights and the momentum before the step.
        averages = torch._foreach_mul(momentums, -(1 - self.beta_1))
        torch._foreach_add_(averages, variables)
        torch._foreach_div_(averages, self.beta_1)
        beta_2_power = torch.pow(torch.full_like(step, self.beta_2), step)
        torch._foreach_lerp_(
            velocities, torch._foreach_mul(grads, grads), 1 - self.beta_2
        )
        denominators = torch._foreach_div(velocities, 1 - beta_2_power)
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, self.epsilon)
        steps = torch._foreach_mul(grads, learning_rate)
        torch._foreach_div_(steps, denominators)
        torch._foreach_sub_(momentums, steps)
        weight = 1.0 / step
        torch._foreach_mul_(averages, 1 - weight)
        torch._foreach_add_(averages, torch._foreach_mul(momentums, weight))
        new_weights = torch._foreach_mul(momentums, 1 - self.beta_1)
        torch._foreach_add_(new_weights, torch._foreach_mul(averages, self.beta_1))
        torch._foreach_copy_(variables, new_weights)

    def get_config(self) -> dict[str, Any]:
        config = {
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "warmup_steps": self.warmup_steps,
        }
        return {**super().get_config(), **config}
