"""`Muon`: orthogonalized momentum for matrices, AdamW for the other weights."""

import re
from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers._paths import variable_path
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Muon(Optimizer):
    """Muon: momentum steps orthogonalized by a Newton-Schulz iteration.

    A 2-D weight takes the Muon step: `m = momentum * m + g`, then
    `w = w - lr * NS(g + momentum * m)` (or `NS(m)` without Nesterov), where
    `NS` runs `ns_steps` quintic Newton-Schulz iterations with coefficients
    `(muon_a, muon_b, muon_c)` towards the nearest semi-orthogonal matrix; with
    `rms_rate` the step is scaled by `rms_rate * sqrt(max(rows, columns))`
    ([Liu et al., 2025](https://arxiv.org/abs/2502.16982)). Every other weight
    takes an AdamW step with learning rate `lr * adam_lr_ratio`: weights that
    are not 2-D, embeddings (a path containing "embedding", when
    `exclude_embeddings`), and weights whose path matches a pattern of
    `exclude_layers` (pass the name of the output layer there). Weight decay
    is `weight_decay` for Muon weights and `adam_weight_decay` for the others.
    See [the reference implementation](https://github.com/KellerJordan/Muon).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        adam_beta_1: Float in [0, 1), AdamW's first-moment decay. Defaults to
            `0.9`.
        adam_beta_2: Float in [0, 1), AdamW's second-moment decay. Defaults
            to `0.999`.
        adam_weight_decay: Float or `None`, weight decay of the AdamW
            weights. Defaults to `0.004`.
        epsilon: Float >= 0, added to AdamW's denominator. Defaults to `1e-7`.
        weight_decay: Float or `None`, weight decay of the Muon weights.
            Defaults to `0.004`.
        exclude_layers: List of regular expressions; weights whose path
            matches one take the AdamW step. Defaults to `None`.
        exclude_embeddings: Whether embedding weights take the AdamW step.
            Defaults to `True`.
        muon_a: Float, first Newton-Schulz coefficient. Defaults to `3.4445`.
        muon_b: Float, second Newton-Schulz coefficient. Defaults to
            `-4.7750`.
        muon_c: Float, third Newton-Schulz coefficient. Defaults to `2.0315`.
        adam_lr_ratio: Float >= 0, AdamW's learning rate as a fraction of
            `learning_rate`. Defaults to `1`.
        momentum: Float in [0, 1], the Muon momentum. Defaults to `0.95`.
        ns_steps: Int >= 0, Newton-Schulz iterations. Defaults to `5`.
        nesterov: Whether to use Nesterov momentum. Defaults to `True`.
        rms_rate: Float >= 0 or `None` (no scaling) for the Muon step's scale.
            Defaults to `0.2`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.eye(2))
    >>> optimizer = Muon(learning_rate=0.1, weight_decay=None, rms_rate=None)
    >>> optimizer.apply([torch.eye(2)], [weight])
    >>> [[round(x, 2) for x in row] for row in weight.tolist()]
    [[0.89, 0.0], [0.0, 0.89]]
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        adam_beta_1: float = 0.9,
        adam_beta_2: float = 0.999,
        adam_weight_decay: float | None = 0.004,
        epsilon: float = 1e-7,
        weight_decay: float | None = 0.004,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        exclude_layers: list[str] | None = None,
        exclude_embeddings: bool = True,
        muon_a: float = 3.4445,
        muon_b: float = -4.7750,
        muon_c: float = 2.0315,
        adam_lr_ratio: float = 1,
        momentum: float = 0.95,
        ns_steps: int = 5,
        nesterov: bool = True,
        rms_rate: float | None = 0.2,
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
        self._check_rates(adam_beta_1, adam_beta_2, momentum)
        self._check_non_negative(
            adam_weight_decay=adam_weight_decay,
            epsilon=epsilon,
            adam_lr_ratio=adam_lr_ratio,
            rms_rate=rms_rate,
        )
        self._check_ns_steps(ns_steps)
        self.exclude_layers = self._checked_patterns(exclude_layers)
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.adam_weight_decay = adam_weight_decay
        self.epsilon = epsilon
        self.exclude_embeddings = exclude_embeddings
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.rms_rate = rms_rate

    def _check_rates(self, adam_beta_1, adam_beta_2, momentum) -> None:
        for argument, value in (
            ("adam_beta_1", adam_beta_1),
            ("adam_beta_2", adam_beta_2),
        ):
            if not 0 <= value < 1:
                raise ValueError(
                    f"{self._label} expected {argument} in [0, 1), but received "
                    f"{argument}={value!r}. Pass a decay rate such as 0.9."
                )
        if not 0 <= momentum <= 1:
            raise ValueError(
                f"{self._label} expected momentum in [0, 1], but received "
                f"momentum={momentum!r}. Pass a momentum such as 0.95."
            )

    def _check_ns_steps(self, ns_steps: Any) -> None:
        if isinstance(ns_steps, bool) or not isinstance(ns_steps, int) or ns_steps < 0:
            raise ValueError(
                f"{self._label} expected ns_steps to be an int >= 0, but received "
                f"ns_steps={ns_steps!r}. Pass a small count such as 5."
            )

    def _checked_patterns(self, exclude_layers: Any) -> list[str]:
        patterns = [] if exclude_layers is None else exclude_layers
        if isinstance(patterns, str) or not all(isinstance(p, str) for p in patterns):
            raise TypeError(
                f"{self._label} expected exclude_layers to be a list of strings "
                f"(regular expressions), but received "
                f"exclude_layers={exclude_layers!r}. Pass e.g. ['output_dense']."
            )
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(
                    f"{self._label} received exclude_layers entry {pattern!r}, "
                    f"which is not a valid regular expression: {err}."
                ) from err
        return list(patterns)

    def _uses_adamw(self, variable: torch.Tensor) -> bool:
        """Whether the weight takes the AdamW step instead of the Muon step."""
        if variable.dim() != 2:
            return True
        path = variable_path(variable)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(pattern, path) for pattern in self.exclude_layers)

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._adamw_flags = [self._uses_adamw(v) for v in variables]
        self._momentums: list[torch.Tensor] = []
        self._velocities: list[torch.Tensor | None] = []
        # Keras's slot order: each weight's momentum, then its velocity (AdamW).
        for variable, uses_adamw in zip(variables, self._adamw_flags, strict=True):
            self._momentums.append(
                self.add_variable_from_reference(variable, "momentum")
            )
            velocity = None
            if uses_adamw:
                velocity = self.add_variable_from_reference(variable, "velocity")
            self._velocities.append(velocity)

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        flags = self._gather(self._adamw_flags)
        momentums = self._gather(self._momentums)
        adamw_grads, muon_grads = _split(grads, flags)
        adamw_variables, muon_variables = _split(variables, flags)
        adamw_momentums, muon_momentums = _split(momentums, flags)
        if adamw_variables:
            velocities = _split(self._gather(self._velocities), flags)[0]
            self._adamw_update(
                adamw_grads,
                adamw_variables,
                adamw_momentums,
                velocities,
                learning_rate * self.adam_lr_ratio,
            )
        if muon_variables:
            self._muon_update(muon_grads, muon_variables, muon_momentums, learning_rate)

    def _adamw_update(self, grads, variables, momentums, velocities, learning_rate):
        step = (self.iterations + 1).to(learning_rate.dtype)
        beta_1_power = torch.pow(torch.full_like(step, self.adam_beta_1), step)
        beta_2_power = torch.pow(torch.full_like(step, self.adam_beta_2), step)
        alpha = learning_rate * torch.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        torch._foreach_lerp_(momentums, grads, 1 - self.adam_beta_1)
        squares = torch._foreach_mul(grads, grads)
        torch._foreach_lerp_(velocities, squares, 1 - self.adam_beta_2)
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, self.epsilon)
        steps = torch._foreach_mul(momentums, alpha)
        torch._foreach_div_(steps, denominators)
        torch._foreach_sub_(variables, steps)

    def _muon_update(self, grads, variables, momentums, learning_rate) -> None:
        # m <- m + (g + (momentum - 1) * m), Keras's form of momentum * m + g.
        increments = torch._foreach_mul(momentums, self.momentum - 1)
        torch._foreach_add_(increments, grads)
        torch._foreach_add_(momentums, increments)
        if self.nesterov:
            directions = torch._foreach_mul(momentums, self.momentum)
            torch._foreach_add_(directions, grads)
        else:
            directions = momentums
        for variable, direction in zip(variables, directions, strict=True):
            update = learning_rate * self._orthogonalize(direction)  # (rows, cols)
            if self.rms_rate is not None:
                scale = max(variable.shape[0], variable.shape[1]) ** 0.5
                update = update * scale * self.rms_rate
            variable.sub_(update)

    def _orthogonalize(self, matrix: torch.Tensor) -> torch.Tensor:
        """Newton-Schulz iteration towards the nearest semi-orthogonal matrix."""
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        is_tall = matrix.shape[-2] > matrix.shape[-1]
        x = matrix.mT if is_tall else matrix  # (short, long)
        # Dividing by the Frobenius norm bounds the spectral norm by 1.
        x = x / (torch.linalg.norm(x, dim=(-2, -1), keepdim=True) + 1e-7)
        for _ in range(self.ns_steps):
            gram = x @ x.mT  # (short, short)
            polynomial = b * gram + (c * gram) @ gram  # (short, short)
            x = a * x + polynomial @ x  # (short, long)
        return x.mT if is_tall else x

    def _apply_weight_decay(
        self, variables: list[torch.Tensor], learning_rate: torch.Tensor
    ) -> None:
        decayed = self._gather(self._weight_decay_flags)
        flags = self._gather(self._adamw_flags)
        groups = {True: [], False: []}
        for variable, uses_adamw, use in zip(variables, flags, decayed, strict=True):
            if use:
                groups[uses_adamw].append(variable)
        for uses_adamw, group in groups.items():
            rate = self.adam_weight_decay if uses_adamw else self.weight_decay
            if rate is None or not group:
                continue
            torch._foreach_mul_(group, 1.0 - rate * learning_rate)

    def get_config(self) -> dict[str, Any]:
        config = {
            "adam_beta_1": self.adam_beta_1,
            "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a,
            "muon_b": self.muon_b,
            "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio,
            "momentum": self.momentum,
            "ns_steps": self.ns_steps,
            "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay,
            "rms_rate": self.rms_rate,
        }
        return {**super().get_config(), **config}


def _split(items: list, uses_adamw: list[bool]) -> tuple[list, list]:
    """`(AdamW entries, Muon entries)` of a per-weight list."""
    adamw = [item for item, flag in zip(items, uses_adamw, strict=True) if flag]
    muon = [item for item, flag in zip(items, uses_adamw, strict=True) if not flag]
    return adamw, muon
