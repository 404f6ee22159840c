"""`OneHotIoU` and `OneHotMeanIoU`: IoU metrics for one-hot encoded labels."""

from collections.abc import Sequence
from typing import Any

from lamina.metrics.iou_metrics import IoU
from lamina.metrics.iou_metrics import MeanIoU


class OneHotIoU(IoU):
    """Intersection over union of the classes `target_class_ids`, for one-hot labels.

    Labels (and, unless `sparse_y_pred=True`, predictions) are turned into
    class ids with an argmax over `axis`; then it computes as `IoU`.

    Args:
        num_classes: Number of classes, the size of the class axis.
        target_class_ids: Class ids whose IoU is averaged.
        name: Defaults to `"one_hot_io_u"`.
        dtype: The result's dtype when a float dtype, else the result is
            float32. Defaults to `"int32"`, as in Keras.
        ignore_class: A class id left out (e.g. void). Defaults to `None`.
        sparse_y_pred: Whether predictions are class ids (else scores).
            Defaults to `False`.
        axis: The class axis. Defaults to `-1`.

    Example:
    >>> y_true = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]]
    >>> y_pred = [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1],
    ...           [0.1, 0.4, 0.5]]
    >>> metric = OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> round(float(metric(y_true, y_pred)), 4)
    0.1667
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """Intersection over union averaged over all classes, for one-hot labels.

    Labels (and, unless `sparse_y_pred=True`, predictions) are turned into
    class ids with an argmax over `axis`; then it computes as `MeanIoU`.

    Args:
        num_classes: Number of classes, the size of the class axis.
        name: Defaults to `"one_hot_mean_io_u"`.
        dtype: The result's dtype when a float dtype, else the result is
            float32. Defaults to `"int32"`, as in Keras.
        ignore_class: A class id left out (e.g. void). Defaults to `None`.
        sparse_y_pred: Whether predictions are class ids (else scores).
            Defaults to `False`.
        axis: The class axis. Defaults to `-1`.

    Example:
    >>> y_true = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]]
    >>> y_pred = [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1],
    ...           [0.1, 0.4, 0.5]]
    >>> round(float(OneHotMeanIoU(num_classes=3)(y_true, y_pred)), 4)
    0.1111
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
