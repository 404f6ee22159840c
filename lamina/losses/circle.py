"""Circle loss for metric learning on L2-normalized embeddings."""

from typing import Any

import torch

from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss_function_wrapper import LossFunctionWrapper


def _pair_masks(
    labels: torch.Tensor, ref_labels: torch.Tensor, remove_diagonal: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """Same-label (positive) and different-label (negative) pairs, `(n, m)`."""
    query = labels.reshape(-1, 1)  # (n, 1)
    keys = ref_labels.reshape(1, -1)  # (1, m)
    positive = query == keys  # (n, m)
    negative = ~positive
    if remove_diagonal:
        # Keras removes entry (i, i) even with separate reference embeddings.
        eye = torch.eye(
            positive.shape[0], positive.shape[1], dtype=torch.bool, device=query.device
        )
        positive = positive & ~eye
    return positive, negative


def circle(
    y_true: Any,
    y_pred: Any,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> torch.Tensor:
    """Circle loss of each embedding against the reference embeddings.

    With cosine distances `d` between the embeddings and the references,
    positive pairs (same label) are pushed below `margin` and negative pairs
    above `1 - margin`, each pair weighted by how far it is from its optimum:
    `loss = softplus(logsumexp(-gamma * a_p * (margin - d_p))
    + logsumexp(gamma * a_n * (1 - margin - d_n)))`, with
    `a_p = relu(margin + d_p)` and `a_n = relu(1 + margin - d_n)`. Rows without
    any positive pair get a loss of 0 and are left out of the averaging
    reductions. See [Sun et al., 2020](https://arxiv.org/abs/2002.10857).

    Args:
        y_true: Integer labels, shape `(batch,)` or `(batch, 1)`.
        y_pred: L2-normalized embeddings, shape `(batch, features)`.
        ref_labels: Labels of the references. Defaults to `y_true`.
        ref_embeddings: L2-normalized reference embeddings, shape
            `(references, features)`. Defaults to `y_pred`.
        remove_diagonal: Whether pair `(i, i)` is never a positive pair.
            Defaults to `True`.
        gamma: Scale of the similarity scores. Defaults to `80`.
        margin: Relaxation margin. Defaults to `0.4`.

    Returns:
        The loss of each embedding, shape `(batch,)`.

    Example:
    >>> embeddings = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> [round(v, 3) for v in circle([0, 0, 1], embeddings).tolist()]
    [0.0, 0.0, 0.0]
    """
    y_pred = convert_to_tensor(y_pred)
    labels = convert_to_tensor(y_true, device=y_pred.device).to(torch.int32)
    if ref_embeddings is None:
        references = y_pred
    else:
        references = convert_to_tensor(ref_embeddings, y_pred.dtype, y_pred.device)
    if ref_labels is None:
        ref_labels = labels
    else:
        ref_labels = convert_to_tensor(ref_labels, device=y_pred.device)
        ref_labels = ref_labels.to(torch.int32)
    distances = (1.0 - y_pred @ references.T).clamp_min(0.0)  # (batch, references)
    positive, negative = _pair_masks(labels, ref_labels, remove_diagonal)
    positive_weights = ((margin + distances) * positive).clamp_min(0.0)
    negative_weights = ((1.0 + margin - distances) * negative).clamp_min(0.0)
    positive_logits = -gamma * positive_weights * (margin - distances)
    negative_logits = gamma * negative_weights * (1.0 - margin - distances)
    excluded = float("-inf")
    positive_term = torch.where(positive, positive_logits, excluded).logsumexp(dim=1)
    negative_term = torch.where(negative, negative_logits, excluded).logsumexp(dim=1)
    losses = torch.nn.functional.softplus(positive_term + negative_term)  # (batch,)
    losses._lamina_mask = losses > 0
    return losses


class Circle(LossFunctionWrapper):
    """Circle loss between integer labels and L2-normalized embeddings.

    Pulls embeddings of the same label together and pushes the others apart,
    weighting each pair by how far it is from its optimum (see `circle`).
    The model should end in a `Dense` layer without activation followed by
    `UnitNormalization`. See [Sun et al., 2020](https://arxiv.org/abs/2002.10857).

    Args:
        gamma: Positive float, scale of the similarity scores. Defaults to
            `80.0`.
        margin: Float, relaxation margin: positive pairs are pushed below this
            cosine distance, negative pairs above `1 - margin`. Defaults to
            `0.4`.
        remove_diagonal: Whether an embedding is never its own positive pair.
            Defaults to `True`.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"circle"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> embeddings = torch.tensor([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    >>> round(float(Circle()([0, 0, 1], embeddings)), 3)
    19.2
    """

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: str | None = "sum_over_batch_size",
        name: str = "circle",
        dtype: Any = None,
    ):
        _check_arguments(name, gamma, margin, remove_diagonal)
        super().__init__(
            circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal


def _check_arguments(name: str, gamma: Any, margin: Any, remove_diagonal: Any) -> None:
    label = f"Loss '{name}' (Circle)"
    for argument, value in (("gamma", gamma), ("margin", margin)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(
                f"{label} expected {argument} to be a number, but received "
                f"{argument}={value!r} of type {type(value).__name__}."
            )
    if gamma <= 0:
        raise ValueError(
            f"{label} expected gamma > 0, but received gamma={gamma!r}. Pass a "
            f"positive scale such as the default 80.0."
        )
    if not isinstance(remove_diagonal, bool):
        raise TypeError(
            f"{label} expected remove_diagonal to be True or False, but received "
            f"remove_diagonal={remove_diagonal!r}."
        )
