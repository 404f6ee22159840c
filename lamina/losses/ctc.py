"""Connectionist temporal classification (CTC) loss."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina.losses.loss import convert_to_tensor
from lamina.losses.loss_function_wrapper import LossFunctionWrapper


def ctc(y_true: Any, y_pred: Any) -> torch.Tensor:
    """CTC loss of integer label sequences under per-step class scores.

    Label id 0 is the blank and pads `y_true`; every sequence uses all
    `max_length` steps of `y_pred`.

    Args:
        y_true: Integer labels, shape `(batch_size, max_label_length)`.
        y_pred: Logits, shape `(batch_size, max_length, num_classes)`.

    Returns:
        The per-sample loss, shape `(batch_size,)`.

    Example:
    >>> loss = ctc([[1, 2]], torch.zeros(1, 4, 3))
    >>> tuple(loss.shape)
    (1,)
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    if y_true.dim() != 2 or y_pred.dim() != 3:
        raise ValueError(
            f"Loss 'ctc' expected y_true of shape (batch_size, max_label_length) "
            f"and y_pred of shape (batch_size, max_length, num_classes), but "
            f"received y_true.shape={tuple(y_true.shape)} and y_pred.shape="
            f"{tuple(y_pred.shape)}. Pad the label sequences with 0 into a 2D "
            f"integer array."
        )
    batch_size, max_length = y_pred.shape[0], y_pred.shape[1]
    if y_pred.dtype not in (torch.float32, torch.float64):
        y_pred = y_pred.float()  # half-precision CTC is unstable
    log_probs = torch.log_softmax(y_pred.transpose(0, 1), dim=-1)  # (T, N, C)
    target_lengths = (y_true != 0).sum(dim=-1)
    input_lengths = torch.full(
        (batch_size,), max_length, dtype=torch.long, device=y_pred.device
    )
    return F.ctc_loss(
        log_probs,
        y_true.long(),
        input_lengths,
        target_lengths,
        blank=0,
        reduction="none",
    )


class CTC(LossFunctionWrapper):
    """Connectionist temporal classification loss.

    Args:
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Defaults to `"ctc"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> bool(CTC()([[1, 2]], torch.zeros(1, 4, 3)) > 0)
    True
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "ctc",
        dtype: Any = None,
    ):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return ctc(y_true, y_pred)  # label and score ranks differ by design
