"""Generalized cross-entropy: a loss robust to noisy integer labels."""

from typing import Any

import torch

from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss_function_wrapper import LossFunctionWrapper


def categorical_generalized_cross_entropy(
    y_true: Any, y_pred: Any, q: float
) -> torch.Tensor:
    """Generalized cross-entropy `(1 - p**q) / q`, `p` the true class's probability.

    Near `q = 0` it behaves like cross-entropy, near `q = 1` like the mean
    absolute error, which makes it robust to wrong labels. A label outside
    `[0, classes)` gives `p = 0`. See
    [Zhang & Sabuncu, 2018](https://arxiv.org/abs/1805.07836).

    Args:
        y_true: Integer class ids, shape `(batch,)` or `(batch, 1)`.
        y_pred: Class probabilities, shape `(batch, classes)`.
        q: Float in `(0, 1)`, the noise parameter.

    Returns:
        The loss of each sample, shape `(batch,)`.

    Example:
    >>> probs = torch.tensor([[0.75, 0.25], [0.36, 0.64]])
    >>> losses = categorical_generalized_cross_entropy([0, 1], probs, q=0.5)
    >>> [round(v, 4) for v in losses.tolist()]
    [0.2679, 0.4]
    """
    y_pred = convert_to_tensor(y_pred)
    labels = convert_to_tensor(y_true, device=y_pred.device).to(torch.int64)
    if labels.dim() == y_pred.dim() and labels.shape[-1] == 1:
        labels = labels.squeeze(-1)  # (batch, 1) -> (batch,)
    classes = torch.arange(y_pred.shape[-1], device=y_pred.device)  # (classes,)
    one_hot = (labels.unsqueeze(-1) == classes).to(y_pred.dtype)  # (batch, classes)
    true_probability = (y_pred * one_hot).sum(dim=-1)  # (batch,)
    return (1.0 - true_probability.pow(q)) / q


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy between integer labels and probabilities.

    `loss = (1 - p**q) / q`, where `p` is the predicted probability of the
    true class: cross-entropy as `q` approaches 0, mean absolute error as it
    approaches 1. See [Zhang & Sabuncu, 2018](https://arxiv.org/abs/1805.07836).

    Args:
        q: Float in `(0, 1)`, the noise parameter; larger is more robust to
            noisy labels. Defaults to `0.5`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"categorical_generalized_cross_entropy"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> probs = [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]]
    >>> loss = CategoricalGeneralizedCrossEntropy()
    >>> round(float(loss([0, 1, 0, 1], probs)), 4)
    0.3599
    """

    def __init__(
        self,
        q: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ):
        label = f"Loss '{name}' (CategoricalGeneralizedCrossEntropy)"
        if isinstance(q, bool) or not isinstance(q, int | float):
            raise TypeError(
                f"{label} expected q to be a float, but received q={q!r} of "
                f"type {type(q).__name__}."
            )
        if not 0 < q < 1:
            raise ValueError(
                f"{label} expected q in the open interval (0, 1), but received "
                f"q={q!r}. Pass a float such as 0.5; use CategoricalCrossentropy "
                f"for q near 0."
            )
        super().__init__(
            categorical_generalized_cross_entropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            q=q,
        )
        self.q = q
