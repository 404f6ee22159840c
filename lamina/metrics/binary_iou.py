"""`BinaryIoU`: intersection over union of thresholded binary predictions."""

from collections.abc import Sequence
from typing import Any

import torch

from lamina.metrics.iou_metrics import IoU


class BinaryIoU(IoU):
    """Intersection over union for two classes, from scores and a threshold.

    Predictions at or above `threshold` count as class 1, the others as
    class 0; the IoU of each class in `target_class_ids` is then averaged
    (see `IoU`). With `threshold=0` on 0/1 predictions this is `IoU`.

    Args:
        target_class_ids: The classes whose IoU is averaged: `[0]`, `[1]` or
            `[0, 1]`. Defaults to `(0, 1)`.
        threshold: Float; predictions `>= threshold` are class 1. Defaults to
            `0.5`.
        name: Defaults to `"binary_io_u"`.
        dtype: The result's dtype when a float dtype, else the result is
            float32. Defaults to `"int32"`, as in Keras.

    Example:
    >>> metric = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> round(float(metric([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])), 4)
    0.3333
    """

    def __init__(
        self,
        target_class_ids: Sequence[int] = (0, 1),
        threshold: float = 0.5,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_binary_arguments(target_class_ids, threshold)
        super().__init__(
            num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype
        )
        self.threshold = threshold

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred, sample_weight = self._inputs(y_true, y_pred, sample_weight)
        predicted_class = (y_pred.to(torch.float32) >= self.threshold).to(torch.int64)
        super().update_state(y_true, predicted_class, sample_weight)

    def get_config(self) -> dict[str, Any]:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


def _check_binary_arguments(target_class_ids: Any, threshold: Any) -> None:
    ids = list(target_class_ids) if isinstance(target_class_ids, Sequence) else None
    if not ids or any(i not in (0, 1) or isinstance(i, bool) for i in ids):
        raise ValueError(
            f"BinaryIoU expected target_class_ids to be a non-empty list of the "
            f"classes 0 and 1, but received target_class_ids={target_class_ids!r}. "
            f"Pass [0], [1] or [0, 1]."
        )
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise TypeError(
            f"BinaryIoU expected threshold to be a number, but received "
            f"threshold={threshold!r} of type {type(threshold).__name__}."
        )
