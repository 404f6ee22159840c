"""`Adagrad`: step sizes shrink with the sum of past squared gradients."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Adagrad(Optimizer):
    """Adagrad: per-weight rates scaled by accumulated squared gradients.

    `a = a + g**2`, `w = w - lr * g / sqrt(a + epsilon)`.

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        initial_accumulator_value: Float >= 0, the starting value of `a`.
            Defaults to `0.1`.
        epsilon: Float, added inside the square root. Defaults to `1e-7`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(1))
    >>> _ = Adagrad(learning_rate=0.1).apply_gradients([(torch.ones(1), weight)])
    >>> round(weight.item(), 4)
    -0.0953
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        initial_accumulator_value: float = 0.1,
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
        self._check_non_negative(initial_accumulator_value=initial_accumulator_value)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            variables, "accumulator", initializer=self.initial_accumulator_value
        )

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        accumulators = self._gather(self._accumulators)
        torch._foreach_addcmul_(accumulators, grads, grads)
        denominators = torch._foreach_add(accumulators, self.epsilon)
        torch._foreach_sqrt_(denominators)
        steps = torch._foreach_mul(grads, learning_rate)
        torch._foreach_div_(steps, denominators)
        torch._foreach_sub_(variables, steps)

    def get_config(self) -> dict[str, Any]:
        config = {
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
        return {**super().get_config(), **config}
