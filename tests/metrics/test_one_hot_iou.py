"""OneHotIoU and OneHotMeanIoU: argmax of one-hot labels, then IoU."""

import pytest
import torch

from lamina.metrics.iou_metrics import IoU
from lamina.metrics.iou_metrics import MeanIoU
from lamina.metrics.one_hot_iou import OneHotIoU
from lamina.metrics.one_hot_iou import OneHotMeanIoU

Y_TRUE = torch.eye(3)[torch.tensor([0, 2, 1, 0, 2])]
Y_PRED = torch.tensor(
    [
        [0.7, 0.2, 0.1],
        [0.1, 0.3, 0.6],
        [0.5, 0.4, 0.1],
        [0.2, 0.2, 0.6],
        [0.3, 0.3, 0.4],
    ]
)


def test_one_hot_iou_equals_iou_of_class_ids():
    ours = OneHotIoU(num_classes=3, target_class_ids=[0, 2])(Y_TRUE, Y_PRED)
    reference = IoU(num_classes=3, target_class_ids=[0, 2])
    expected = reference(Y_TRUE.argmax(-1), Y_PRED.argmax(-1))
    assert float(ours) == pytest.approx(float(expected))


def test_one_hot_mean_iou_with_sparse_predictions_and_ignored_class():
    metric = OneHotMeanIoU(num_classes=3, sparse_y_pred=True, ignore_class=1)
    ours = metric(Y_TRUE, Y_PRED.argmax(-1), sample_weight=[1.0, 2.0, 1.0, 0.5, 1.0])
    reference = MeanIoU(num_classes=3, ignore_class=1)
    expected = reference(
        Y_TRUE.argmax(-1), Y_PRED.argmax(-1), sample_weight=[1.0, 2.0, 1.0, 0.5, 1.0]
    )
    assert float(ours) == pytest.approx(float(expected))


def test_one_hot_iou_class_axis():
    channels_first = OneHotIoU(num_classes=3, target_class_ids=[1], axis=1)
    last = OneHotIoU(num_classes=3, target_class_ids=[1])
    assert float(channels_first(Y_TRUE.T[None], Y_PRED.T[None])) == pytest.approx(
        float(last(Y_TRUE, Y_PRED))
    )


def test_one_hot_iou_rejects_target_class_outside_num_classes():
    with pytest.raises(ValueError, match="target class id 3"):
        OneHotIoU(num_classes=3, target_class_ids=[3])


def test_configs_leave_out_sparse_y_true_as_keras():
    iou = OneHotIoU(num_classes=4, target_class_ids=[1, 3], name="oh", axis=1)
    assert iou.get_config() == {
        "num_classes": 4,
        "target_class_ids": [1, 3],
        "name": "oh",
        "dtype": "int32",
        "ignore_class": None,
        "sparse_y_pred": False,
        "axis": 1,
    }
    mean_iou = OneHotMeanIoU(num_classes=2, ignore_class=0)
    assert "sparse_y_true" not in mean_iou.get_config()
    for metric in (iou, mean_iou):
        rebuilt = type(metric).from_config(metric.get_config())
        assert rebuilt.get_config() == metric.get_config()
        assert rebuilt.sparse_y_true is False


def test_float_dtype_sets_the_result_dtype():
    metric = OneHotMeanIoU(num_classes=3, dtype="float64")
    assert metric(Y_TRUE, Y_PRED).dtype == torch.float64
