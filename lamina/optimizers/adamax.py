"""`Adamax`: Adam with the infinity norm in place of the second moment."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Adamax(Optimizer):
    """Adamax: the infinity-norm variant of Adam.

    `m = beta_1 * m + (1 - beta_1) * g`, `u = max(beta_2 * u, abs(g))`,
    `w = w - lr * m / ((u + epsilon) * (1 - beta_1**t))`.
    See [Kingma & Ba, 2014](https://arxiv.org/abs/1412.6980).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        beta_1: Float, decay of the first moment. Defaults to `0.9`.
        beta_2: Float, decay of the infinity norm. Defaults to `0.999`.
        epsilon: Float, added to the denominator. Defaults to `1e-7`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(1))
    >>> _ = Adamax(learning_rate=0.1).apply_gradients([(torch.ones(1), weight)])
    >>> round(weight.item(), 4)
    -0.1
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._m, self._u = self.add_optimizer_variables(variables, ["momentum", "norm"])

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        momentums = self._gather(self._m)
        norms = self._gather(self._u)
        step = (self.iterations + 1).to(learning_rate.dtype)
        beta_1_power = torch.pow(torch.full_like(step, self.beta_1), step)
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(norms, self.beta_2)
        torch._foreach_maximum_(norms, torch._foreach_abs(grads))
        denominators = torch._foreach_add(norms, self.epsilon)
        torch._foreach_mul_(denominators, 1 - beta_1_power)
        steps = torch._foreach_mul(momentums, learning_rate)
        torch._foreach_div_(steps, denominators)
        torch._foreach_sub_(variables, steps)

    def get_config(self) -> dict[str, Any]:
        config = {
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
        return {**super().get_config(), **config}
