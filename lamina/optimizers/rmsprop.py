"""`RMSprop`: divides the gradient by a running root mean square."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class RMSprop(Optimizer):
    """RMSprop: scales each step by a moving average of squared gradients.

    `v = rho * v + (1 - rho) * g**2`; the step is `lr * g / sqrt(v + epsilon)`,
    with `v - mean(g)**2` instead of `v` when `centered=True`, and accumulated
    into `m = momentum * m + step` when `momentum > 0`.

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        rho: Float, decay of the moving average. Defaults to `0.9`.
        momentum: Float. Defaults to `0.0`.
        epsilon: Float, added inside the square root. Defaults to `1e-7`.
        centered: Bool, normalize by the estimated variance. Defaults to
            `False`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(1))
    >>> _ = RMSprop(learning_rate=0.1).apply_gradients([(torch.ones(1), weight)])
    >>> round(weight.item(), 4)
    -0.3162
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
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
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(variables, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(
                variables, "average_gradient"
            )

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        velocities = self._gather(self._velocities)
        torch._foreach_mul_(velocities, self.rho)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.rho)
        denominators = torch._foreach_add(velocities, self.epsilon)
        if self.centered:
            average_grads = self._gather(self._average_gradients)
            torch._foreach_mul_(average_grads, self.rho)
            torch._foreach_add_(average_grads, grads, alpha=1 - self.rho)
            torch._foreach_addcmul_(
                denominators, average_grads, average_grads, value=-1
            )
        torch._foreach_sqrt_(denominators)
        increments = torch._foreach_mul(grads, learning_rate)
        torch._foreach_div_(increments, denominators)
        if self.momentum > 0:
            momentums = self._gather(self._momentums)
            torch._foreach_mul_(momentums, self.momentum)
            torch._foreach_add_(momentums, increments)
            increments = momentums
        torch._foreach_sub_(variables, increments)

    def get_config(self) -> dict[str, Any]:
        config = {
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
        return {**super().get_config(), **config}
