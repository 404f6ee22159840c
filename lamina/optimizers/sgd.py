"""`SGD`: gradient descent, with optional (Nesterov) momentum."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum.

    Without momentum: `w = w - learning_rate * g`. With momentum:
    `m = momentum * m - learning_rate * g`, then `w = w + m`, or with
    `nesterov=True`, `w = w + momentum * m - learning_rate * g`.

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.01`.
        momentum: Float in [0, 1]. Defaults to `0.0`.
        nesterov: Bool, use Nesterov momentum. Defaults to `False`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.ones(2))
    >>> optimizer = SGD(learning_rate=0.1)
    >>> _ = optimizer.apply_gradients([(torch.ones(2), weight)])
    >>> weight.tolist()
    [0.8999999761581421, 0.8999999761581421]
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
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
        if isinstance(momentum, bool) or not 0 <= momentum <= 1:
            raise ValueError(
                f"{self._label} expected momentum to be a float in [0, 1], but "
                f"received momentum={momentum!r}."
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        scaled_grads = torch._foreach_mul(grads, learning_rate)
        if self.momentum == 0:
            torch._foreach_sub_(variables, scaled_grads)
            return
        momentums = self._gather(self.momentums)
        torch._foreach_mul_(momentums, self.momentum)
        torch._foreach_sub_(momentums, scaled_grads)
        if self.nesterov:
            torch._foreach_sub_(variables, scaled_grads)
            torch._foreach_add_(variables, momentums, alpha=self.momentum)
        else:
            torch._foreach_add_(variables, momentums)

    def get_config(self) -> dict[str, Any]:
        config = {"momentum": self.momentum, "nesterov": self.nesterov}
        return {**super().get_config(), **config}
