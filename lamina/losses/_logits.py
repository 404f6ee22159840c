"""Finds the logits that `softmax`/`sigmoid` attached to their output.

`lamina.activations.softmax` and `sigmoid` store their input on the output as
`output._lamina_logits` (and may name themselves in `_lamina_activation` and
`_lamina_axis`). Cross-entropy with `from_logits=False` then computes from the
logits, which is exact where the probabilities saturate, as tf.keras did with
`_keras_logits`. The logits are used only when the probabilities provably
came from the activation the loss inverts: declared by `_lamina_activation`,
or, failing that, read from the autograd node that produced them.
"""

import torch

_GRAD_FN_NAMES = {"softmax": "SoftmaxBackward0", "sigmoid": "SigmoidBackward0"}


def attached_logits(
    y_pred: torch.Tensor, activation: str, axis: int = -1
) -> torch.Tensor | None:
    """Returns the logits behind `y_pred` if `activation` made it, else `None`.

    Args:
        y_pred: Probabilities, maybe carrying `_lamina_logits`.
        activation: `"softmax"` or `"sigmoid"`: the activation the loss inverts.
        axis: The class axis, checked for softmax.

    Example:
    >>> logits = torch.tensor([[1.0, 2.0]], requires_grad=True)
    >>> probs = torch.softmax(logits, dim=-1)
    >>> probs._lamina_logits = logits
    >>> attached_logits(probs, "softmax") is logits
    True
    >>> attached_logits(probs, "sigmoid") is None
    True
    """
    logits = getattr(y_pred, "_lamina_logits", None)
    if logits is None or logits.shape != y_pred.shape:
        return None
    source = getattr(y_pred, "_lamina_source", y_pred)
    declared = getattr(source, "_lamina_activation", None)
    if declared is not None:
        declared_axis = getattr(source, "_lamina_axis", axis)
        same_axis = _same_axis(declared_axis, axis, y_pred.dim())
        return logits if declared == activation and same_axis else None
    grad_fn = getattr(source, "grad_fn", None)
    if grad_fn is None or type(grad_fn).__name__ != _GRAD_FN_NAMES[activation]:
        return None
    if activation == "softmax":
        dim = getattr(grad_fn, "_saved_dim", axis)
        if not _same_axis(dim, axis, y_pred.dim()):
            return None
    return logits


def _same_axis(first: int, second: int, ndim: int) -> bool:
    if ndim == 0:
        return True
    return first % ndim == second % ndim
