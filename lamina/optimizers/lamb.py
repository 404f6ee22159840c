"""`Lamb`: Adam steps rescaled per weight by a layer-wise trust ratio."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Lamb(Optimizer):
    """LAMB: Adam's direction, scaled per weight by `norm(w) / norm(step)`.

    `m` and `v` are Adam's bias-corrected moments, `step = m / (sqrt(v) +
    epsilon)`, and `w = w - lr * ratio * step` with
    `ratio = norm(w) / norm(step)` (1 when either norm is 0). The per-weight
    ratio keeps large-batch training stable.
    See [You et al., 2019](https://arxiv.org/abs/1904.00962).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        beta_1: Float in [0, 1), decay of the first moment. Defaults to `0.9`.
        beta_2: Float in [0, 1), decay of the second moment. Defaults to
            `0.999`.
        epsilon: Float >= 0, added to the denominator. Defaults to `1e-7`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.tensor([3.0, 4.0]))
    >>> _ = Lamb(learning_rate=0.1).apply_gradients([(torch.ones(2), weight)])
    >>> [round(x, 4) for x in weight.tolist()]
    [2.6464, 3.6464]
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
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
        for argument, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0 <= value < 1:
                raise ValueError(
                    f"{self._label} expected {argument} in [0, 1), but received "
                    f"{argument}={value!r}. Pass a decay rate such as 0.9."
                )
        self._check_non_negative(epsilon=epsilon)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        momentums = self._gather(self._momentums)
        velocities = self._gather(self._velocities)
        step = (self.iterations + 1).to(learning_rate.dtype)
        beta_1_power = torch.pow(torch.full_like(step, self.beta_1), step)
        beta_2_power = torch.pow(torch.full_like(step, self.beta_2), step)
        torch._foreach_lerp_(momentums, grads, 1 - self.beta_1)
        torch._foreach_lerp_(
            velocities, torch._foreach_mul(grads, grads), 1 - self.beta_2
        )
        steps = torch._foreach_div(momentums, 1 - beta_1_power)
        denominators = torch._foreach_div(velocities, 1 - beta_2_power)
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_div_(steps, denominators)
        weight_norms = torch.stack(torch._foreach_norm(variables))  # (weights,)
        step_norms = torch.stack(torch._foreach_norm(steps))  # (weights,)
        usable = (weight_norms > 0) & (step_norms > 0)
        ratios = torch.where(usable, weight_norms / step_norms, 1.0)  # (weights,)
        torch._foreach_mul_(steps, list((ratios * learning_rate).unbind()))
        torch._foreach_sub_(variables, steps)

    def get_config(self) -> dict[str, Any]:
        config = {
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
        return {**super().get_config(), **config}
