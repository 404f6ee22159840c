"""`Lion`: sign-based updates from an interpolated momentum."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Lion(Optimizer):
    """Lion: steps of fixed size in the sign of an interpolated momentum.

    `w = w - lr * sign(beta_1 * m + (1 - beta_1) * g)`, then
    `m = beta_2 * m + (1 - beta_2) * g`.
    See [Chen et al., 2023](http://arxiv.org/abs/2302.06675).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        beta_1: Float in (0, 1], interpolation for the step. Defaults to `0.9`.
        beta_2: Float, decay of the momentum. Defaults to `0.99`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(1))
    >>> _ = Lion(learning_rate=0.1).apply_gradients([(torch.ones(1), weight)])
    >>> round(weight.item(), 4)
    -0.1
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
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
                f"beta_1={beta_1!r}. With beta_1 <= 0 Lion becomes SignSGD."
            )
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        momentums = self._gather(self._momentums)
        directions = torch._foreach_mul(momentums, self.beta_1)
        torch._foreach_add_(directions, grads, alpha=1 - self.beta_1)
        torch._foreach_sign_(directions)
        torch._foreach_mul_(directions, learning_rate)
        torch._foreach_sub_(variables, directions)
        torch._foreach_mul_(momentums, self.beta_2)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_2)

    def get_config(self) -> dict[str, Any]:
        config = {
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
        }
        return {**super().get_config(), **config}
