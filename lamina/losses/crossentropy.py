"""Cross-entropy losses: binary, categorical, sparse categorical, and focal.

With `from_logits=False`, probabilities produced by lamina's `softmax` or
`sigmoid` carry their logits (see `lamina.losses._logits`); the loss then uses
PyTorch's fused logit kernels, so saturated outputs still give finite losses
and gradients. Other probabilities follow Keras's formula: clipped to
`[epsilon, 1 - epsilon]`.
"""

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from lamina.backend import epsilon
from lamina.losses._logits import attached_logits
from lamina.losses.loss import convert_to_tensor

_NO_IGNORED_CLASS = -100  # torch's default ignore_index


def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Binary cross-entropy, averaged over `axis`.

    Args:
        y_true: Labels in [0, 1], same shape as `y_pred`.
        y_pred: Probabilities, or logits if `from_logits=True`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Moves labels towards 0.5 by this fraction.
            Defaults to `0.0`.
        axis: Axis to average over. Defaults to `-1`.

    Returns:
        The per-sample loss, `y_pred`'s shape without `axis`.

    Example:
    >>> loss = binary_crossentropy([[0.0, 1.0]], [[0.4, 0.6]])
    >>> [round(v, 4) for v in loss.tolist()]
    [0.5108]
    """
    y_true, y_pred = _aligned_pair("binary_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = y_pred if from_logits else attached_logits(y_pred, "sigmoid")
    return _elementwise_bce(y_true, y_pred, logits).mean(dim=axis)


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Binary focal cross-entropy: `(1 - p_t) ** gamma * bce`, averaged over `axis`.

    Args:
        y_true: Labels in [0, 1], same shape as `y_pred`.
        y_pred: Probabilities, or logits if `from_logits=True`.
        apply_class_balancing: Whether to weight positives by `alpha` and
            negatives by `1 - alpha`. Defaults to `False`.
        alpha: Weight of the positive class. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Moves labels towards 0.5 by this fraction.
            Defaults to `0.0`.
        axis: Axis to average over. Defaults to `-1`.

    Example:
    >>> loss = binary_focal_crossentropy([[0.0, 1.0]], [[0.4, 0.6]], gamma=2.0)
    >>> [round(v, 4) for v in loss.tolist()]
    [0.0817]
    """
    y_true, y_pred = _aligned_pair("binary_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = y_pred if from_logits else attached_logits(y_pred, "sigmoid")
    probs = torch.sigmoid(logits) if logits is not None else y_pred
    bce = _elementwise_bce(y_true, probs, logits)
    p_t = y_true * probs + (1 - y_true) * (1 - probs)
    focal_bce = (1.0 - p_t) ** gamma * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return focal_bce.mean(dim=axis)


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical cross-entropy between one-hot (or soft) labels and predictions.

    Args:
        y_true: One-hot labels, same shape as `y_pred`.
        y_pred: Class probabilities, or logits if `from_logits=True`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Mixes labels with the uniform distribution by this
            fraction. Defaults to `0.0`.
        axis: The class axis. Defaults to `-1`.

    Returns:
        The per-sample loss, `y_pred`'s shape without `axis`.

    Example:
    >>> loss = categorical_crossentropy([[0.0, 1.0]], [[0.2, 0.8]])
    >>> [round(v, 4) for v in loss.tolist()]
    [0.2231]
    """
    y_true, y_pred = _one_hot_pair("categorical_crossentropy", y_true, y_pred, axis)
    if label_smoothing:
        num_classes = y_true.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    logits = y_pred if from_logits else attached_logits(y_pred, "softmax", axis)
    if logits is not None:
        return _soft_target_cross_entropy(y_true, logits, axis)
    log_probs = torch.log(_normalized_clipped(y_pred, axis))
    return -(y_true * log_probs).sum(dim=axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical focal cross-entropy: `sum(alpha * (1 - p) ** gamma * ce)`.

    Args:
        y_true: One-hot labels, same shape as `y_pred`.
        y_pred: Class probabilities, or logits if `from_logits=True`.
        alpha: Weighting factor. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        label_smoothing: Mixes labels with the uniform distribution by this
            fraction. Defaults to `0.0`.
        axis: The class axis. Defaults to `-1`.

    Example:
    >>> loss = categorical_focal_crossentropy([[0.0, 1.0]], [[0.2, 0.8]])
    >>> [round(v, 4) for v in loss.tolist()]
    [0.0022]
    """
    name = "categorical_focal_crossentropy"
    y_true, y_pred = _one_hot_pair(name, y_true, y_pred, axis)
    if label_smoothing:
        num_classes = y_true.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    logits = y_pred if from_logits else attached_logits(y_pred, "softmax", axis)
    if logits is not None:
        log_probs = torch.log_softmax(logits, dim=axis)
        probs = log_probs.exp()
    else:
        probs = _normalized_clipped(y_pred, axis)
        log_probs = torch.log(probs)
    focal = alpha * (1.0 - probs) ** gamma * (-y_true * log_probs)
    return focal.sum(dim=axis)


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> torch.Tensor:
    """Categorical cross-entropy with integer labels.

    Args:
        y_true: Integer class ids, `y_pred`'s shape without `axis` (a
            trailing axis of size 1 is accepted).
        y_pred: Class probabilities, or logits if `from_logits=True`.
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        ignore_class: A label id whose entries get zero loss and are left out
            of the average (e.g. padding). Defaults to `None`.
        axis: The class axis. Defaults to `-1`.

    Returns:
        The per-sample loss, `y_pred`'s shape without `axis`.

    Example:
    >>> loss = sparse_categorical_crossentropy([1], [[0.2, 0.8]])
    >>> [round(v, 4) for v in loss.tolist()]
    [0.2231]
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = _sparse_labels(y_true, y_pred, axis)
    ignore_index = _NO_IGNORED_CLASS if ignore_class is None else int(ignore_class)
    logits = y_pred if from_logits else attached_logits(y_pred, "softmax", axis)
    try:
        if logits is not None:
            result = _class_first(F.cross_entropy, logits, y_true, axis, ignore_index)
        else:
            log_probs = torch.log(_normalized_clipped(y_pred, axis))
            result = _class_first(F.nll_loss, log_probs, y_true, axis, ignore_index)
    except IndexError as err:  # a label outside [0, num_classes) on CPU
        raise ValueError(
            f"sparse_categorical_crossentropy received a label outside "
            f"[0, {y_pred.shape[axis]}): {err}. Labels must be class ids "
            f"smaller than the number of model outputs ({y_pred.shape[axis]}); "
            f"widen the last layer or fix the labels."
        ) from err
    if ignore_class is not None:
        result._lamina_mask = y_true != ignore_index
    return result


def _aligned_pair(
    name: str, y_true: Any, y_pred: Any
) -> tuple[torch.Tensor, torch.Tensor]:
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    # Only y_true moves, so that y_pred keeps the logits attached to it.
    if y_true.dim() + 1 == y_pred.dim() and y_pred.shape[-1] == 1:
        y_true = y_true.unsqueeze(-1)
    elif y_true.dim() == y_pred.dim() + 1 and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"Loss '{name}' expected y_true and y_pred of the same shape, but "
            f"received y_true.shape={tuple(y_true.shape)} and "
            f"y_pred.shape={tuple(y_pred.shape)}. For integer class labels "
            f"with several outputs use sparse_categorical_crossentropy; for "
            f"binary labels give the model one sigmoid output per label."
        )
    return y_true, y_pred


def _one_hot_pair(
    name: str, y_true: Any, y_pred: Any, axis: int
) -> tuple[torch.Tensor, torch.Tensor]:
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(
            f"Loss '{name}' expected an integer axis, but received "
            f"axis={axis!r} of type {type(axis).__name__}."
        )
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"Loss '{name}' expected one-hot y_true of the same shape as "
            f"y_pred, but received y_true.shape={tuple(y_true.shape)} and "
            f"y_pred.shape={tuple(y_pred.shape)}. For integer labels use "
            f"sparse_categorical_crossentropy, or one-hot encode them with "
            f"lamina.utils.to_categorical(y, num_classes={y_pred.shape[-1]})."
        )
    if y_pred.dim() and y_pred.shape[-1] == 1:
        warnings.warn(
            f"Loss '{name}' expected y_pred of shape (batch_size, num_classes) "
            f"with num_classes > 1, but received y_pred.shape="
            f"{tuple(y_pred.shape)}; the loss is always 0. Use "
            f"binary_crossentropy for two classes with one output.",
            SyntaxWarning,
            stacklevel=3,
        )
    return y_true, y_pred


def _sparse_labels(y_true: Any, y_pred: torch.Tensor, axis: int) -> torch.Tensor:
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    if y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    expected = list(y_pred.shape)
    del expected[axis]
    if list(y_true.shape) != expected:
        hint = (
            "y_true looks one-hot: use categorical_crossentropy"
            if y_true.shape == y_pred.shape
            else f"pass one integer label per sample, shape {tuple(expected)}"
        )
        raise ValueError(
            f"Loss 'sparse_categorical_crossentropy' expected integer labels "
            f"of shape {tuple(expected)} for y_pred.shape="
            f"{tuple(y_pred.shape)}, but received y_true.shape="
            f"{tuple(y_true.shape)}. Fix: {hint}."
        )
    return y_true.long()


def _elementwise_bce(
    y_true: torch.Tensor, probs: torch.Tensor, logits: torch.Tensor | None
) -> torch.Tensor:
    if logits is not None:
        return F.binary_cross_entropy_with_logits(logits, y_true, reduction="none")
    fuzz = epsilon()
    probs = probs.clamp(fuzz, 1.0 - fuzz)
    return F.binary_cross_entropy(probs, y_true, reduction="none")


def _normalized_clipped(y_pred: torch.Tensor, axis: int) -> torch.Tensor:
    fuzz = epsilon()
    probs = y_pred / y_pred.sum(dim=axis, keepdim=True)
    return probs.clamp(fuzz, 1.0 - fuzz)


def _soft_target_cross_entropy(
    y_true: torch.Tensor, logits: torch.Tensor, axis: int
) -> torch.Tensor:
    if logits.dim() < 2:
        return -(y_true * torch.log_softmax(logits, dim=axis)).sum(dim=axis)
    # torch wants classes on axis 1; the other axes keep their order.
    return F.cross_entropy(
        logits.movedim(axis, 1), y_true.movedim(axis, 1), reduction="none"
    )


def _class_first(
    kernel: Any,
    scores: torch.Tensor,
    labels: torch.Tensor,
    axis: int,
    ignore_index: int,
) -> torch.Tensor:
    if scores.dim() == 1:
        result = kernel(
            scores[None], labels[None], reduction="none", ignore_index=ignore_index
        )
        return result[0]
    scores = scores.movedim(axis, 1)  # (batch, classes, ...)
    return kernel(scores, labels, reduction="none", ignore_index=ignore_index)
