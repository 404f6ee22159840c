"""Unit tests of lamina.metrics: state, device, syncs, errors, resolution."""

import pytest
import torch

import lamina.losses as losses
import lamina.metrics as metrics
from lamina.metrics._lookup import ALL_OBJECTS


def test_metric_state_follows_the_device_of_the_data():
    metric = metrics.Mean()
    metric.update_state(torch.tensor([1.0, 2.0]))
    assert [v.device.type for v in metric.variables] == ["cpu", "cpu"]
    metric.update_state(torch.tensor([1.0, 2.0], device="meta"))
    assert [v.device.type for v in metric.variables] == ["meta", "meta"]


def test_metric_state_of_shape_dependent_metric_is_built_on_data_device():
    metric = metrics.F1Score()
    metric.update_state(torch.eye(3, device="meta"), torch.rand(3, 3, device="meta"))
    assert {v.device.type for v in metric.variables} == {"meta"}
    assert [tuple(v.shape) for v in metric.variables] == [(3,)] * 4


def test_metric_result_is_zero_dim_tensor():
    metric = metrics.SparseCategoricalAccuracy()
    result = metric([1, 0], [[0.1, 0.9], [0.2, 0.8]])
    assert isinstance(result, torch.Tensor) and result.dim() == 0
    assert float(result) == 0.5


def test_metric_reset_state_and_keras2_alias():
    metric = metrics.Sum()
    metric.update_state([1.0, 2.0])
    metric.reset_states()
    assert float(metric.result()) == 0.0
    metric.update_state([4.0])
    assert float(metric.result()) == 4.0


def test_metric_update_state_does_not_sync_with_host(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("host sync")

    candidates = [
        metrics.Mean(),
        metrics.BinaryAccuracy(),
        metrics.SparseCategoricalAccuracy(),
        metrics.CategoricalCrossentropy(),
        metrics.Precision(),
        metrics.Recall(thresholds=[0.3, 0.7]),
        metrics.AUC(),
        metrics.F1Score(),
        metrics.MeanIoU(num_classes=3),
        metrics.R2Score(),
    ]
    batch = {
        "Mean": (torch.rand(4),),
        "MeanIoU": (torch.randint(0, 3, (6,)), torch.randint(0, 3, (6,))),
    }
    monkeypatch.setattr(torch.Tensor, "item", forbidden)
    monkeypatch.setattr(torch.Tensor, "__bool__", forbidden)
    monkeypatch.setattr(torch.Tensor, "tolist", forbidden)
    for metric in candidates:
        args = batch.get(type(metric).__name__)
        if args is None:
            args = (torch.eye(3)[torch.randint(0, 3, (6,))], torch.rand(6, 3))
        if isinstance(metric, metrics.SparseCategoricalAccuracy):
            args = (torch.randint(0, 3, (6,)), torch.rand(6, 3))
        metric.update_state(*args)


def test_metric_rejects_shapes_that_cannot_broadcast():
    with pytest.raises(ValueError, match=r"Metric 'mean_squared_error'.*\(2, 3\)"):
        metrics.MeanSquaredError()(torch.zeros(2, 3), torch.zeros(2, 4))


def test_metric_with_sample_weight():
    metric = metrics.BinaryAccuracy()
    metric.update_state([[1], [0]], [[0.9], [0.9]], sample_weight=[3.0, 1.0])
    assert float(metric.result()) == pytest.approx(0.75)


def test_custom_metric_with_functional_update():
    class Largest(metrics.Metric):
        def __init__(self, name="largest", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.largest = self.add_variable(shape=(), name="largest")

        def update_state(self, values, sample_weight=None):
            (values,) = self._inputs(values)
            self.largest = torch.maximum(self.largest, values.max())

        def result(self):
            return self.largest

    metric = Largest()
    metric.update_state([1.0, 5.0])
    metric.update_state([3.0])
    assert float(metric.result()) == 5.0
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_get_returns_generic_accuracy_names():
    assert metrics.get("accuracy") == "accuracy"
    assert metrics.get("acc") == "acc"
    assert metrics.get("crossentropy") == "crossentropy"
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("binary_accuracy"), metrics.BinaryAccuracy)
    assert isinstance(metrics.get("AUC"), metrics.AUC)


def test_get_unknown_metric_lists_available_names():
    with pytest.raises(ValueError, match="Available metrics:.*accuracy"):
        metrics.get("acuracy")


@pytest.mark.parametrize(
    ("loss", "output_shape", "target_shape", "expected"),
    [
        ("binary_crossentropy", (None, 10), None, "BinaryAccuracy"),
        (losses.BinaryCrossentropy(), (None, 1), None, "BinaryAccuracy"),
        ("categorical_crossentropy", (None, 10), None, "CategoricalAccuracy"),
        (losses.categorical_crossentropy, (None, 10), None, "CategoricalAccuracy"),
        (
            "sparse_categorical_crossentropy",
            (None, 10),
            None,
            "SparseCategoricalAccuracy",
        ),
        (
            losses.SparseCategoricalCrossentropy,
            (None, 10),
            None,
            "SparseCategoricalAccuracy",
        ),
        ("mse", (None, 1), (None, 1), "BinaryAccuracy"),
        (None, (None, 10), (None,), "SparseCategoricalAccuracy"),
        (None, (None, 10), (None, 1), "SparseCategoricalAccuracy"),
        (None, (None, 10), (None, 10), "CategoricalAccuracy"),
    ],
)
def test_resolve_accuracy(loss, output_shape, target_shape, expected):
    metric = metrics.resolve_accuracy("acc", loss, output_shape, target_shape)
    assert type(metric).__name__ == expected
    assert metric.name == "acc"


def test_resolve_metric_crossentropy_and_functions():
    resolved = metrics.resolve_metric("ce", loss="sparse_categorical_crossentropy")
    assert isinstance(resolved, metrics.SparseCategoricalCrossentropy)
    wrapped = metrics.resolve_metric(losses.mean_absolute_error)
    assert isinstance(wrapped, metrics.MeanMetricWrapper)
    assert wrapped.name == "mean_absolute_error"


@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name, obj in ALL_OBJECTS.items()
        if isinstance(obj, type)
        and name[0].isupper()
        and name not in ("Metric", "MeanMetricWrapper")
        and not name.endswith(
            ("IoU", "AtRecall", "AtPrecision", "AtSpecificity", "AtSensitivity")
        )
    ),
)
def test_metric_config_round_trip(name):
    metric = ALL_OBJECTS[name]()
    rebuilt = metrics.deserialize(metrics.serialize(metric))
    assert type(rebuilt) is type(metric)
    assert rebuilt.get_config() == metric.get_config()


def test_metric_with_required_arguments_config_round_trip():
    for metric in (
        metrics.IoU(num_classes=4, target_class_ids=[1, 3]),
        metrics.MeanIoU(num_classes=3, ignore_class=0),
        metrics.PrecisionAtRecall(0.7, num_thresholds=10),
        metrics.SensitivityAtSpecificity(0.4),
    ):
        rebuilt = metrics.deserialize(metrics.serialize(metric))
        assert rebuilt.get_config() == metric.get_config()


def test_mean_metric_wrapper_config_round_trip():
    wrapper = metrics.MeanMetricWrapper(losses.huber, name="h", delta=2.0)
    rebuilt = metrics.MeanMetricWrapper.from_config(wrapper.get_config())
    assert rebuilt._fn is losses.huber and rebuilt._fn_kwargs == {"delta": 2.0}


def test_auc_rejects_unknown_curve():
    with pytest.raises(ValueError, match="curve='ROCK'"):
        metrics.AUC(curve="ROCK")


def test_threshold_out_of_range_is_rejected():
    with pytest.raises(ValueError, match=r"must be in \[0, 1\]"):
        metrics.Precision(thresholds=[0.5, 1.5])


def test_multi_label_auc_builds_on_first_batch():
    metric = metrics.AUC(multi_label=True)
    metric.update_state(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.rand(2, 2))
    assert tuple(metric.true_positives.shape) == (200, 2)
