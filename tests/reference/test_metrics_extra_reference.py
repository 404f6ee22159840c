"""The IoU variants and the correlation metrics against real Keras 3."""

import zlib

import numpy as np
import pytest

import lamina.metrics as lamina_metrics


def _binary(rng, shape):
    labels = rng.integers(0, 2, size=shape).astype("float32")
    return labels, rng.uniform(0, 1, size=shape).astype("float32")


def _one_hot(rng, shape):
    labels = np.eye(shape[-1], dtype="float32")[rng.integers(0, shape[-1], shape[:-1])]
    return labels, rng.uniform(0, 1, size=shape).astype("float32")


def _one_hot_sparse_pred(rng, shape):
    labels, _ = _one_hot(rng, shape)
    return labels, rng.integers(0, shape[-1], size=shape[:-1]).astype("float32")


def _real(rng, shape):
    y_true = rng.normal(size=shape).astype("float32")
    noise = rng.normal(size=shape).astype("float32")
    return y_true, (0.7 * y_true + 0.5 * noise + 0.2).astype("float32")


# (class name, constructor kwargs, inputs, shape of one batch)
CASES = [
    ("BinaryIoU", {}, _binary, (8,)),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, _binary, (8, 2)),
    ("BinaryIoU", {"target_class_ids": [0]}, _binary, (8,)),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 2]}, _one_hot, (8, 3)),
    (
        "OneHotIoU",
        {"num_classes": 4, "target_class_ids": [1], "ignore_class": 2},
        _one_hot,
        (8, 4),
    ),
    ("OneHotMeanIoU", {"num_classes": 3}, _one_hot, (8, 3)),
    (
        "OneHotMeanIoU",
        {"num_classes": 3, "sparse_y_pred": True},
        _one_hot_sparse_pred,
        (8, 3),
    ),
    ("PearsonCorrelation", {}, _real, (6, 5)),
    ("PearsonCorrelation", {}, _real, (4, 3, 5)),
    ("ConcordanceCorrelation", {}, _real, (6, 5)),
    ("ConcordanceCorrelation", {"axis": 1}, _real, (4, 5, 3)),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("class_name", "kwargs", "make", "shape"), CASES)
def test_metric_matches_keras(keras, class_name, kwargs, make, shape, weighted):
    seed = zlib.crc32(f"{class_name}{kwargs}{shape}{weighted}".encode())
    rng = np.random.default_rng(seed)
    ours = getattr(lamina_metrics, class_name)(**kwargs)
    theirs = getattr(keras.metrics, class_name)(**kwargs)
    for step in range(4):
        y_true, y_pred = make(rng, shape)
        weight = None
        if weighted and "IoU" in class_name:
            # One weight per label. Keras counts IoU in int32 and truncates
            # fractional weights, so these are whole numbers.
            label_shape = shape if class_name == "BinaryIoU" else shape[:-1]
            weight = rng.integers(0, 3, size=label_shape).astype("int32")
        elif weighted:
            weight = rng.uniform(0, 2, size=shape[:1]).astype("float32")
        ours.update_state(y_true, y_pred, sample_weight=weight)
        theirs.update_state(y_true, y_pred, sample_weight=weight)
        np.testing.assert_allclose(
            ours.result().numpy(),
            keras.ops.convert_to_numpy(theirs.result()),
            rtol=1e-5,
            atol=1e-5,
            err_msg=f"after update {step}",
        )
        if step == 1:
            ours.reset_state()
            theirs.reset_state()


def test_iou_keeps_fractional_weights_like_keras_float_counts(keras):
    # lamina counts in float64 whatever `dtype` says; Keras with its default
    # int32 truncates weights such as 0.3 to 0, so compare with float32 counts.
    rng = np.random.default_rng(9)
    ours = lamina_metrics.BinaryIoU()
    theirs = keras.metrics.BinaryIoU(dtype="float32")
    for _ in range(3):
        y_true, y_pred = _binary(rng, (10,))
        weight = rng.uniform(0, 1, size=(10,)).astype("float32")
        ours.update_state(y_true, y_pred, sample_weight=weight)
        theirs.update_state(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(
        ours.result().numpy(), theirs.result().numpy(), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("name", ["pearson_correlation", "concordance_correlation"])
@pytest.mark.parametrize("axis", [-1, 0, (0, 1)])
def test_metric_function_matches_keras(keras, name, axis):
    y_true, y_pred = _real(np.random.default_rng(3), (5, 7))
    expected = getattr(keras.metrics, name)(y_true, y_pred, axis=axis)
    got = getattr(lamina_metrics, name)(y_true, y_pred, axis=axis)
    np.testing.assert_allclose(
        got.numpy(), keras.ops.convert_to_numpy(expected), rtol=1e-5, atol=1e-6
    )


CONFIG_CASES = [
    ("BinaryIoU", {}),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.7}),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1]}),
    (
        "OneHotIoU",
        {
            "num_classes": 5,
            "target_class_ids": (0, 4),
            "ignore_class": 2,
            "sparse_y_pred": True,
            "axis": 1,
        },
    ),
    ("OneHotMeanIoU", {"num_classes": 3}),
    ("OneHotMeanIoU", {"num_classes": 4, "ignore_class": 0, "sparse_y_pred": True}),
    ("PearsonCorrelation", {}),
    ("ConcordanceCorrelation", {"axis": 0, "dtype": "float64"}),
]


@pytest.mark.parametrize(("class_name", "kwargs"), CONFIG_CASES)
def test_config_equals_keras_and_round_trips(keras, class_name, kwargs):
    ours = getattr(lamina_metrics, class_name)(name="metric", **kwargs)
    theirs = getattr(keras.metrics, class_name)(name="metric", **kwargs)
    assert ours.get_config() == theirs.get_config()
    rebuilt = type(ours).from_config(theirs.get_config())
    assert rebuilt.get_config() == ours.get_config()


def test_iou_loaded_from_a_keras_config_returns_floats(keras):
    config = keras.metrics.OneHotMeanIoU(num_classes=2).get_config()
    metric = lamina_metrics.OneHotMeanIoU.from_config(config)
    result = metric([[1.0, 0.0], [0.0, 1.0]], [[0.9, 0.1], [0.8, 0.2]])
    assert metric.dtype == "int32" and result.dtype.is_floating_point
    assert float(result) == pytest.approx(0.25)


@pytest.mark.parametrize(("class_name", "kwargs"), CONFIG_CASES)
def test_serialized_metric_moves_both_ways(keras, class_name, kwargs):
    ours = getattr(lamina_metrics, class_name)(name="moved", **kwargs)
    theirs = getattr(keras.metrics, class_name)(name="moved", **kwargs)
    in_keras = keras.metrics.deserialize(lamina_metrics.serialize(ours))
    in_lamina = lamina_metrics.deserialize(keras.metrics.serialize(theirs))
    assert type(in_keras).__name__ == type(in_lamina).__name__ == class_name
    assert in_lamina.get_config() == theirs.get_config()


@pytest.mark.parametrize(
    "name",
    [
        "BinaryIoU",
        "binary_io_u",
        "PearsonCorrelation",
        "pearson_correlation",
        "ConcordanceCorrelation",
        "concordance_correlation",
    ],
)
def test_name_resolves_as_in_keras(keras, name):
    assert (
        type(lamina_metrics.get(name)).__name__
        == type(keras.metrics.get(name)).__name__
    )


@pytest.mark.parametrize("name", ["OneHotIoU", "one_hot_mean_io_u"])
def test_name_of_metric_with_required_arguments_fails_as_in_keras(keras, name):
    with pytest.raises(TypeError, match="num_classes"):
        keras.metrics.get(name)
    with pytest.raises(TypeError, match="num_classes"):
        lamina_metrics.get(name)
