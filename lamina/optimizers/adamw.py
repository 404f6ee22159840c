"""`AdamW`: Adam with decoupled weight decay."""

from typing import Any

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.adam import Adam
from lamina.optimizers.optimizer import LearningRate


@with_base_arguments
class AdamW(Adam):
    """Adam with decoupled weight decay (`w = w * (1 - weight_decay * lr)`
    before each Adam step).

    See [Loshchilov & Hutter, 2017](https://arxiv.org/abs/1711.05101).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        weight_decay: Float, the decoupled decay rate. Defaults to `0.004`.
        beta_1: Float, decay of the first moment. Defaults to `0.9`.
        beta_2: Float, decay of the second moment. Defaults to `0.999`.
        epsilon: Float, added to the denominator. Defaults to `1e-7`.
        amsgrad: Bool, use AMSGrad. Defaults to `False`.
        {base_arguments}

    Example:
    >>> import torch
    >>> weight = torch.nn.Parameter(torch.ones(1))
    >>> optimizer = AdamW(learning_rate=0.1, weight_decay=0.5)
    >>> _ = optimizer.apply_gradients([(torch.zeros(1), weight)])
    >>> round(weight.item(), 4)
    0.95
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
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
        if self.weight_decay is None:
            raise ValueError(
                f"{self._label} expected weight_decay to be a float, but "
                f"received weight_decay=None. Use Adam for no weight decay."
            )
