"""Intersection-over-union metrics for segmentation: `IoU` and `MeanIoU`."""

from typing import Any

import torch

from lamina.backend import epsilon
from lamina.metrics.metric import Metric


class _IoUBase(Metric):
    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        # As in Keras, `dtype` defaults to "int32" (it names the confusion
        # matrix's dtype there); lamina counts in float64 so that fractional
        # sample weights are not truncated, and the result is a float.
        super().__init__(name=name, dtype=dtype or "int32")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.add_variable(
            shape=(num_classes, num_classes), name="total_cm", dtype=torch.float64
        )

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred, sample_weight = self._inputs(y_true, y_pred, sample_weight)
        if not self.sparse_y_true:
            y_true = y_true.argmax(dim=self.axis)
        if not self.sparse_y_pred:
            y_pred = y_pred.argmax(dim=self.axis)
        y_true = y_true.reshape(-1).long()
        y_pred = y_pred.reshape(-1).long()
        if sample_weight is None:
            weights = torch.ones_like(y_true, dtype=torch.float64)
        else:
            weights = torch.broadcast_to(
                sample_weight.reshape(-1).to(torch.float64), y_true.shape
            )
        valid = (y_true >= 0) & (y_true < self.num_classes)
        valid &= (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        cells = torch.where(valid, y_true * self.num_classes + y_pred, 0)
        counts = torch.zeros(
            self.num_classes**2, dtype=torch.float64, device=y_true.device
        ).index_add_(0, cells, torch.where(valid, weights, 0.0))
        self.total_cm = self.total_cm + counts.reshape(
            self.num_classes, self.num_classes
        )

    def _iou(self, target_class_ids: list[int]) -> torch.Tensor:
        confusion = self.total_cm
        true_positives = confusion.diagonal()
        denominator = confusion.sum(dim=0) + confusion.sum(dim=1) - true_positives
        ids = torch.as_tensor(target_class_ids, device=confusion.device)
        true_positives = true_positives[ids].float()
        denominator = denominator[ids].float()
        valid = denominator > 1e-9
        iou = torch.where(valid, true_positives / (denominator + epsilon()), 0.0)
        result_dtype = self._dtype if self._dtype.is_floating_point else torch.float32
        return (iou.sum() / (valid.sum() + epsilon())).to(result_dtype)


class IoU(_IoUBase):
    """Intersection over union, averaged over the classes `target_class_ids`.

    `iou = true_positives / (true_positives + false_positives + false_negatives)`,
    from a confusion matrix accumulated over batches.

    Args:
        num_classes: Number of classes.
        target_class_ids: Class ids whose IoU is averaged.
        name: Defaults to `"io_u"`.
        dtype: The result's dtype when a float dtype, else the result is
            float32. Defaults to `"int32"`, as in Keras.
        ignore_class: A label id left out (e.g. void). Defaults to `None`.
        sparse_y_true: Whether labels are class ids (else one-hot/scores).
            Defaults to `True`.
        sparse_y_pred: Whether predictions are class ids (else scores).
            Defaults to `True`.
        axis: The class axis for non-sparse inputs. Defaults to `-1`.

    Example:
    >>> metric = IoU(num_classes=2, target_class_ids=[0])
    >>> round(float(metric([0, 0, 1, 1], [0, 1, 0, 1])), 4)
    0.3333
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: list[int] | tuple[int, ...],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"IoU received target class id {max(target_class_ids)}, outside "
                f"the range [0, {num_classes}) of num_classes={num_classes}."
            )
        self.target_class_ids = list(target_class_ids)

    def result(self) -> torch.Tensor:
        return self._iou(self.target_class_ids)

    def get_config(self) -> dict[str, Any]:
        config = {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
        return {**super().get_config(), **config}


class MeanIoU(_IoUBase):
    """Intersection over union averaged over all classes.

    Args:
        num_classes: Number of classes.
        name: Defaults to `"mean_io_u"`.
        dtype: The result's dtype when a float dtype, else the result is
            float32. Defaults to `"int32"`, as in Keras.
        ignore_class: A label id left out (e.g. void). Defaults to `None`.
        sparse_y_true: Whether labels are class ids. Defaults to `True`.
        sparse_y_pred: Whether predictions are class ids. Defaults to `True`.
        axis: The class axis for non-sparse inputs. Defaults to `-1`.

    Example:
    >>> round(float(MeanIoU(num_classes=2)([0, 0, 1, 1], [0, 1, 0, 1])), 4)
    0.3333
    """

    def result(self) -> torch.Tensor:
        return self._iou(list(range(self.num_classes)))

    def get_config(self) -> dict[str, Any]:
        config = {
            "num_classes": self.num_classes,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
        return {**super().get_config(), **config}
