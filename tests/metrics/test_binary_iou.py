"""BinaryIoU: thresholding, weights, errors and config."""

import pytest
import torch

from lamina.metrics.binary_iou import BinaryIoU
from lamina.metrics.iou_metrics import IoU


def test_binary_iou_thresholds_at_or_above_threshold():
    metric = BinaryIoU(target_class_ids=[1], threshold=0.5)
    # 0.5 counts as class 1: one true positive, nothing else.
    assert float(metric([1.0, 0.0], [0.5, 0.49])) == pytest.approx(1.0, abs=1e-6)


def test_binary_iou_equals_iou_of_thresholded_predictions():
    y_true = torch.tensor([[0, 1, 1], [1, 0, 0]])
    y_pred = torch.tensor([[0.2, 0.7, 0.1], [0.9, 0.6, 0.3]])
    weights = torch.tensor([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0]])
    ours = BinaryIoU(threshold=0.4)(y_true, y_pred, sample_weight=weights)
    reference = IoU(num_classes=2, target_class_ids=[0, 1])
    expected = reference(y_true, (y_pred >= 0.4).long(), sample_weight=weights)
    assert float(ours) == pytest.approx(float(expected))


def test_binary_iou_keeps_fractional_weights():
    metric = BinaryIoU(target_class_ids=[0])
    metric.update_state([0, 0, 1], [0.1, 0.9, 0.2], sample_weight=[0.3, 0.3, 0.1])
    # class 0: intersection 0.3, union 0.3 + 0.3 + 0.1
    assert float(metric.result()) == pytest.approx(0.3 / 0.7, rel=1e-5)
    assert metric.result().dtype == torch.float32


@pytest.mark.parametrize("ids", [[2], [], [0, -1], "01", [True]])
def test_binary_iou_rejects_class_ids_other_than_zero_and_one(ids):
    with pytest.raises(ValueError, match="BinaryIoU expected target_class_ids"):
        BinaryIoU(target_class_ids=ids)


def test_binary_iou_rejects_non_numeric_threshold():
    with pytest.raises(TypeError, match="threshold='high'"):
        BinaryIoU(threshold="high")


def test_binary_iou_config_round_trip():
    metric = BinaryIoU(target_class_ids=(1,), threshold=0.2, name="biou")
    config = metric.get_config()
    assert config == {
        "target_class_ids": [1],
        "threshold": 0.2,
        "name": "biou",
        "dtype": "int32",
    }
    assert BinaryIoU.from_config(config).get_config() == config


def test_binary_iou_update_does_not_read_values_on_host(monkeypatch):
    metric = BinaryIoU()

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync")

    for method in ("item", "__bool__", "tolist"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    metric.update_state(torch.tensor([0, 1, 1]), torch.tensor([0.2, 0.8, 0.4]))
