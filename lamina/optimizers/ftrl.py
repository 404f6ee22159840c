"""`Ftrl`: Follow The Regularized Leader, for wide sparse models."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Ftrl(Optimizer):
    """FTRL-Proximal, with online L1/L2 and shrinkage-type L2 regularization.

    Per weight: `n_new = n + g**2`,
    `z = z + g_s - (n_new**-p - n**-p) / lr * w` with `g_s = g + 2 * l2_shrinkage * w`
    and `p = learning_rate_power`, then
    `w = (clip(z, -l1, l1) - z) / (n_new**-p / lr + 2 * (l2 + beta / (2 * lr)))`.
    See [McMahan et al., 2013](https://research.google.com/pubs/archive/41159.pdf).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        learning_rate_power: Float <= 0; `0` keeps the rate fixed. Defaults to
            `-0.5`.
        initial_accumulator_value: Float >= 0, the starting value of `n`.
            Defaults to `0.1`.
        l1_regularization_strength: Float >= 0. Defaults to `0.0`.
        l2_regularization_strength: Float >= 0. Defaults to `0.0`.
        l2_shrinkage_regularization_strength: Float >= 0, an L2 penalty added
            to the gradient. Defaults to `0.0`.
        beta: Float, the paper's beta. Defaults to `0.0`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(1))
    >>> _ = Ftrl(learning_rate=0.1).apply_gradients([(torch.ones(1), weight)])
    >>> round(weight.item(), 4)
    -0.0953
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
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
        self._check_non_negative(
            initial_accumulator_value=initial_accumulator_value,
            l1_regularization_strength=l1_regularization_strength,
            l2_regularization_strength=l2_regularization_strength,
            l2_shrinkage_regularization_strength=l2_shrinkage_regularization_strength,
        )
        if learning_rate_power > 0:
            raise ValueError(
                f"{self._label} expected learning_rate_power <= 0, but received "
                f"learning_rate_power={learning_rate_power!r}. Use 0 for a fixed "
                f"learning rate."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulators, self._linears = self.add_optimizer_variables(
            variables,
            ["accumulator", "linear"],
            initializer=[self.initial_accumulator_value, "zeros"],
        )

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        accumulators = self._gather(self._accumulators)
        linears = self._gather(self._linears)
        power = -self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        shrunk_grads = torch._foreach_add(
            grads, variables, alpha=2 * self.l2_shrinkage_regularization_strength
        )
        new_accumulators = torch._foreach_addcmul(accumulators, grads, grads)
        new_powers = torch._foreach_pow(new_accumulators, power)
        sigmas = torch._foreach_sub(new_powers, torch._foreach_pow(accumulators, power))
        torch._foreach_div_(sigmas, learning_rate)
        torch._foreach_mul_(sigmas, variables)
        torch._foreach_add_(linears, torch._foreach_sub(shrunk_grads, sigmas))
        quadratics = torch._foreach_div(new_powers, learning_rate)
        torch._foreach_add_(quadratics, 2 * l2)
        l1 = self.l1_regularization_strength
        clipped = torch._foreach_clamp_min(linears, -l1)
        torch._foreach_clamp_max_(clipped, l1)
        torch._foreach_sub_(clipped, linears)
        torch._foreach_div_(clipped, quadratics)
        torch._foreach_copy_(variables, clipped)
        torch._foreach_copy_(accumulators, new_accumulators)

    def get_config(self) -> dict[str, Any]:
        shrinkage = self.l2_shrinkage_regularization_strength
        config = {
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": shrinkage,
            "beta": self.beta,
        }
        return {**super().get_config(), **config}
