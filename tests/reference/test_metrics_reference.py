"""lamina's metrics against real Keras 3 after several updates and a reset."""

import zlib

import numpy as np
import pytest

import lamina.metrics as lamina_metrics

# (class name, constructor kwargs, kind of labels, shape of one batch)
CASES = [
    ("Mean", {}, "values", (6,)),
    ("Sum", {}, "values", (6, 2)),
    ("MeanSquaredError", {}, "real", (6, 3)),
    ("MeanAbsoluteError", {}, "real", (6, 3)),
    ("RootMeanSquaredError", {}, "real", (6, 3)),
    ("MeanAbsolutePercentageError", {}, "real", (6, 3)),
    ("MeanSquaredLogarithmicError", {}, "positive", (6, 3)),
    ("LogCoshError", {}, "real", (6, 3)),
    ("CosineSimilarity", {}, "real", (6, 3)),
    ("Poisson", {}, "positive", (6, 3)),
    ("KLDivergence", {}, "onehot", (6, 3)),
    ("Hinge", {}, "binary", (6, 3)),
    ("SquaredHinge", {}, "binary", (6, 3)),
    ("CategoricalHinge", {}, "onehot", (6, 3)),
    ("Accuracy", {}, "sparse_ids", (6,)),
    ("BinaryAccuracy", {}, "binary", (6, 1)),
    ("BinaryAccuracy", {"threshold": 0.3}, "binary", (6, 4)),
    ("CategoricalAccuracy", {}, "onehot", (6, 4)),
    ("SparseCategoricalAccuracy", {}, "sparse", (6, 4)),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot", (6, 5)),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse", (6, 5)),
    ("BinaryCrossentropy", {}, "binary", (6, 3)),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits", (6, 3)),
    ("CategoricalCrossentropy", {}, "onehot", (6, 4)),
    ("SparseCategoricalCrossentropy", {}, "sparse", (6, 4)),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits", (6, 4)),
    ("Precision", {}, "binary", (8,)),
    ("Precision", {"thresholds": [0.2, 0.5, 0.9]}, "binary", (8, 2)),
    ("Precision", {"top_k": 2}, "binary", (8, 4)),
    ("Recall", {}, "binary", (8,)),
    ("Recall", {"class_id": 1}, "binary", (8, 3)),
    ("TruePositives", {}, "binary", (8,)),
    ("FalsePositives", {"thresholds": [0.0, 0.5, 1.0]}, "binary", (8,)),
    ("TrueNegatives", {}, "binary", (8,)),
    ("FalseNegatives", {}, "binary", (8,)),
    ("AUC", {}, "binary", (8,)),
    ("AUC", {"curve": "PR"}, "binary", (8,)),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, "binary", (8,)),
    ("AUC", {"num_thresholds": 7, "summation_method": "minoring"}, "binary", (8,)),
    ("AUC", {"multi_label": True}, "binary", (8, 3)),
    ("AUC", {"thresholds": [0.3, 0.6]}, "binary", (8,)),
    ("PrecisionAtRecall", {"recall": 0.5}, "binary", (8,)),
    ("RecallAtPrecision", {"precision": 0.5}, "binary", (8,)),
    ("SensitivityAtSpecificity", {"specificity": 0.6}, "binary", (8,)),
    ("SpecificityAtSensitivity", {"sensitivity": 0.6}, "binary", (8,)),
    ("F1Score", {"average": "macro"}, "onehot", (8, 3)),
    ("F1Score", {"threshold": 0.4}, "binary", (8, 3)),
    ("FBetaScore", {"beta": 2.0, "average": "weighted"}, "onehot", (8, 3)),
    ("FBetaScore", {"average": "micro", "threshold": 0.5}, "binary", (8, 3)),
    ("R2Score", {}, "real", (8, 2)),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "real", (8, 2)),
    ("MeanIoU", {"num_classes": 3}, "sparse_ids", (8,)),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "sparse_ids", (8,)),
]


def _batch(kind, shape, rng):
    logits = rng.normal(size=shape).astype("float32")
    if kind == "values":
        return None, logits
    if kind == "real":
        return rng.normal(size=shape).astype("float32"), logits
    if kind == "positive":
        return rng.uniform(0, 3, size=shape).astype("float32"), np.abs(logits)
    if kind in ("binary", "binary_logits"):
        y_true = rng.integers(0, 2, size=shape).astype("float32")
        if kind == "binary_logits":
            return y_true, logits
        return y_true, (1 / (1 + np.exp(-logits))).astype("float32")
    if kind == "sparse_ids":
        return (
            rng.integers(0, 3, size=shape).astype("float32"),
            rng.integers(0, 3, size=shape).astype("float32"),
        )
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    probs = (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype("float32")
    pred = logits if kind == "sparse_logits" else probs
    if kind.startswith("sparse"):
        return labels.astype("float32"), pred
    return np.eye(shape[-1], dtype="float32")[labels], pred


def _update(metric, y_true, y_pred, sample_weight):
    if y_true is None:
        metric.update_state(y_pred, sample_weight=sample_weight)
    else:
        metric.update_state(y_true, y_pred, sample_weight=sample_weight)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("class_name", "kwargs", "kind", "shape"), CASES)
def test_metric_matches_keras(keras, class_name, kwargs, kind, shape, weighted):
    rng = np.random.default_rng(zlib.crc32(f"{class_name}{kwargs}{weighted}".encode()))
    ours = getattr(lamina_metrics, class_name)(**kwargs)
    theirs = getattr(keras.metrics, class_name)(**kwargs)
    for step in range(4):
        y_true, y_pred = _batch(kind, shape, rng)
        weight = (
            rng.uniform(0, 2, size=shape[:1]).astype("float32") if weighted else None
        )
        if weighted and class_name in ("MeanIoU", "IoU"):
            weight = rng.integers(0, 3, size=shape[:1]).astype("float32")
        _update(ours, y_true, y_pred, weight)
        _update(theirs, y_true, y_pred, weight)
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


@pytest.mark.parametrize(
    "name",
    [
        "binary_accuracy",
        "categorical_accuracy",
        "sparse_categorical_accuracy",
        "top_k_categorical_accuracy",
        "sparse_top_k_categorical_accuracy",
    ],
)
def test_metric_function_matches_keras(keras, name):
    rng = np.random.default_rng(2)
    kind = "sparse" if name.startswith("sparse") else "onehot"
    if name == "binary_accuracy":
        kind = "binary"
    y_true, y_pred = _batch(kind, (7, 6), rng)
    expected = getattr(keras.metrics, name)(y_true, y_pred)
    got = getattr(lamina_metrics, name)(y_true, y_pred)
    np.testing.assert_allclose(got.numpy(), keras.ops.convert_to_numpy(expected))


def test_serialized_metric_loads_in_keras(keras):
    config = lamina_metrics.serialize(lamina_metrics.AUC(num_thresholds=50, curve="PR"))
    rebuilt = keras.metrics.deserialize(config)
    assert rebuilt.num_thresholds == 50
    assert rebuilt.get_config()["curve"] == "PR"


def test_keras_serialized_metric_loads_in_lamina(keras):
    config = keras.metrics.serialize(keras.metrics.Precision(thresholds=0.3, name="p"))
    rebuilt = lamina_metrics.deserialize(config)
    assert rebuilt.name == "p"
    assert rebuilt.thresholds == [0.3]
