"""lamina's losses against real Keras 3 on randomized inputs."""

import zlib

import numpy as np
import pytest
import torch

import lamina.losses as lamina_losses

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]
SHAPES = [(4, 3), (2, 3, 5)]

# (class name, kwargs, kind of labels)
CASES = [
    ("MeanSquaredError", {}, "real"),
    ("MeanAbsoluteError", {}, "real"),
    ("MeanAbsolutePercentageError", {}, "real"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("CosineSimilarity", {}, "real"),
    ("Huber", {"delta": 0.7}, "real"),
    ("LogCosh", {}, "real"),
    ("Hinge", {}, "binary"),
    ("SquaredHinge", {}, "binary"),
    ("CategoricalHinge", {}, "onehot"),
    ("KLDivergence", {}, "onehot"),
    ("Poisson", {}, "positive"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True}, "binary"),
    ("BinaryFocalCrossentropy", {"from_logits": True, "gamma": 1.5}, "binary"),
    ("CategoricalCrossentropy", {}, "onehot"),
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.2},
        "onehot",
    ),
    ("CategoricalFocalCrossentropy", {}, "onehot"),
    ("CategoricalFocalCrossentropy", {"from_logits": True}, "onehot"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse"),
    ("Dice", {}, "binary"),
    ("Tversky", {"alpha": 0.3, "beta": 0.7}, "binary"),
]


def _inputs(kind, shape, from_logits, rng):
    logits = rng.normal(size=shape).astype("float32")
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    if kind == "real":
        return rng.normal(size=shape).astype("float32"), logits
    if kind == "positive":
        return rng.uniform(0, 3, size=shape).astype("float32"), np.abs(logits)
    if kind == "binary":
        y_true = rng.integers(0, 2, size=shape).astype("float32")
        pred = logits if from_logits else 1 / (1 + np.exp(-logits))
        return y_true, pred.astype("float32")
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    pred = logits if from_logits else probs.astype("float32")
    if kind == "sparse":
        return labels.astype("float32"), pred
    return np.eye(shape[-1], dtype="float32")[labels], pred


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("class_name", "kwargs", "kind"), CASES)
def test_loss_matches_keras(keras, class_name, kwargs, kind, shape, reduction):
    rng = np.random.default_rng(zlib.crc32(f"{class_name}{shape}{reduction}".encode()))
    y_true, y_pred = _inputs(kind, shape, kwargs.get("from_logits", False), rng)
    weight = rng.uniform(0, 2, size=shape[:-1]).astype("float32")
    ours = getattr(lamina_losses, class_name)(reduction=reduction, **kwargs)
    theirs = getattr(keras.losses, class_name)(reduction=reduction, **kwargs)
    for sample_weight in (None, weight):
        expected = theirs(y_true, y_pred, sample_weight=sample_weight)
        got = ours(y_true, y_pred, sample_weight=sample_weight)
        np.testing.assert_allclose(
            got.detach().numpy(),
            keras.ops.convert_to_numpy(expected),
            rtol=1e-5,
            atol=1e-5,
        )


@pytest.mark.parametrize(
    "name",
    ["mse", "mae", "mape", "msle", "kld", "kl_divergence", "log_cosh", "huber"],
)
def test_loss_function_matches_keras(keras, name):
    rng = np.random.default_rng(3)
    y_true = rng.uniform(0, 1, size=(5, 4)).astype("float32")
    y_pred = rng.uniform(0, 1, size=(5, 4)).astype("float32")
    expected = keras.losses.get(name)(y_true, y_pred)
    got = lamina_losses.get(name)(y_true, y_pred)
    np.testing.assert_allclose(
        got.numpy(), keras.ops.convert_to_numpy(expected), rtol=1e-5, atol=1e-6
    )


def test_sparse_crossentropy_ignore_class_matches_keras(keras):
    rng = np.random.default_rng(5)
    y_true = rng.integers(-1, 4, size=(3, 6)).astype("float32")
    logits = rng.normal(size=(3, 6, 4)).astype("float32")
    for reduction in REDUCTIONS:
        kwargs = {"from_logits": True, "ignore_class": -1, "reduction": reduction}
        expected = keras.losses.SparseCategoricalCrossentropy(**kwargs)(y_true, logits)
        got = lamina_losses.SparseCategoricalCrossentropy(**kwargs)(y_true, logits)
        np.testing.assert_allclose(
            got.numpy(), keras.ops.convert_to_numpy(expected), rtol=1e-5, atol=1e-6
        )


@pytest.mark.parametrize(
    ("class_name", "activation", "kind"),
    [
        ("CategoricalCrossentropy", "softmax", "onehot"),
        ("SparseCategoricalCrossentropy", "softmax", "sparse"),
        ("BinaryCrossentropy", "sigmoid", "binary"),
    ],
)
def test_logits_path_matches_keras_probability_formula(
    keras, class_name, activation, kind
):
    rng = np.random.default_rng(11)
    y_true, logits = _inputs(kind, (6, 4), True, rng)
    logits_tensor = torch.tensor(logits, requires_grad=True)
    probs = (
        getattr(torch, activation)(logits_tensor, -1)
        if activation == "softmax"
        else (torch.sigmoid(logits_tensor))
    )
    probs._lamina_logits = logits_tensor
    expected = getattr(keras.losses, class_name)()(y_true, probs.detach().numpy())
    got = getattr(lamina_losses, class_name)()(y_true, probs)
    np.testing.assert_allclose(
        got.detach().numpy(), keras.ops.convert_to_numpy(expected), rtol=1e-5
    )


def test_serialized_loss_loads_in_keras(keras):
    config = lamina_losses.serialize(
        lamina_losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    )
    rebuilt = keras.losses.deserialize(config)
    assert rebuilt.get_config()["from_logits"] is True
    assert rebuilt.get_config()["label_smoothing"] == pytest.approx(0.1)


def test_keras_serialized_loss_loads_in_lamina(keras):
    config = keras.losses.serialize(keras.losses.Huber(delta=2.0))
    assert lamina_losses.deserialize(config).name == "huber_loss"
    function_config = keras.losses.serialize(keras.losses.mean_squared_error)
    loaded = lamina_losses.deserialize(function_config)
    assert loaded is lamina_losses.mean_squared_error
