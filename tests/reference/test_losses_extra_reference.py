"""Circle and CategoricalGeneralizedCrossEntropy against real Keras 3."""

import numpy as np
import pytest
import torch

import lamina.losses as lamina_losses

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]


def _embeddings(rng, count, features=4):
    vectors = rng.normal(size=(count, features)).astype("float32")
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def _circle_inputs(rng):
    # Label 3 occurs once: its row has no positive pair, so Keras masks it out.
    labels = np.array([0, 1, 0, 2, 1, 3, 2, 0], dtype="float32")
    return labels, _embeddings(rng, len(labels))


def _gce_inputs(rng):
    logits = rng.normal(size=(7, 4)).astype("float32")
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    return rng.integers(0, 4, size=(7,)).astype("float32"), probs.astype("float32")


CASES = [
    ("Circle", {}, _circle_inputs),
    ("Circle", {"gamma": 10.0, "margin": 0.25}, _circle_inputs),
    ("Circle", {"remove_diagonal": False}, _circle_inputs),
    ("CategoricalGeneralizedCrossEntropy", {}, _gce_inputs),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}, _gce_inputs),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("class_name", "kwargs", "make_inputs"), CASES)
def test_loss_matches_keras(keras, class_name, kwargs, make_inputs, reduction):
    rng = np.random.default_rng(len(class_name) + len(kwargs))
    y_true, y_pred = make_inputs(rng)
    weight = rng.uniform(0, 2, size=y_true.shape).astype("float32")
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


def test_circle_function_with_references_matches_keras(keras):
    rng = np.random.default_rng(4)
    labels = torch.tensor([0, 1, 2, 1, 0])
    embeddings = torch.tensor(_embeddings(rng, 5))
    ref_labels = torch.tensor([1, 0, 0, 2, 2, 1])
    references = torch.tensor(_embeddings(rng, 6))
    kwargs = {"ref_labels": ref_labels, "ref_embeddings": references, "gamma": 5}
    expected = keras.losses.circle(labels, embeddings, **kwargs)
    got = lamina_losses.circle(labels, embeddings, **kwargs)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)


def test_categorical_generalized_cross_entropy_function_matches_keras(keras):
    y_true, y_pred = _gce_inputs(np.random.default_rng(5))
    # Keras's function needs tensors; lamina's also takes arrays.
    expected = keras.losses.categorical_generalized_cross_entropy(
        torch.tensor(y_true), torch.tensor(y_pred), q=0.7
    )
    got = lamina_losses.categorical_generalized_cross_entropy(y_true, y_pred, q=0.7)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("class_name", "kwargs"),
    [
        ("Circle", {}),
        ("Circle", {"gamma": 64.0, "margin": 0.3, "remove_diagonal": False}),
        ("CategoricalGeneralizedCrossEntropy", {}),
        ("CategoricalGeneralizedCrossEntropy", {"q": 0.9, "reduction": "sum"}),
    ],
)
def test_config_equals_keras_and_round_trips(keras, class_name, kwargs):
    ours = getattr(lamina_losses, class_name)(name="loss", **kwargs)
    theirs = getattr(keras.losses, class_name)(name="loss", **kwargs)
    assert ours.get_config() == theirs.get_config()
    rebuilt = type(ours).from_config(theirs.get_config())
    assert rebuilt.get_config() == ours.get_config()


@pytest.mark.parametrize("class_name", ["Circle", "CategoricalGeneralizedCrossEntropy"])
def test_serialized_loss_moves_both_ways(keras, class_name):
    ours = getattr(lamina_losses, class_name)(name="moved")
    theirs = getattr(keras.losses, class_name)(name="moved")
    # What Keras runs on a saved file (keras.losses.deserialize returns the
    # string for a class missing from its registry, such as
    # CategoricalGeneralizedCrossEntropy).
    in_keras = keras.saving.deserialize_keras_object(lamina_losses.serialize(ours))
    in_lamina = lamina_losses.deserialize(keras.losses.serialize(theirs))
    assert type(in_keras).__name__ == type(in_lamina).__name__ == class_name
    assert in_lamina.get_config() == theirs.get_config()


@pytest.mark.parametrize("name", ["Circle", "circle"])
def test_circle_name_resolves_as_in_keras(keras, name):
    theirs = keras.losses.get(name)
    ours = lamina_losses.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    if callable(theirs) and not hasattr(theirs, "get_config"):
        assert ours is lamina_losses.circle


@pytest.mark.parametrize("name", ["circle", "categorical_generalized_cross_entropy"])
def test_function_serializes_by_name_and_loads_from_keras(keras, name):
    function = getattr(lamina_losses, name)
    assert lamina_losses.serialize(function) == name
    assert lamina_losses.deserialize(name) is function
    keras_config = keras.losses.serialize(getattr(keras.losses, name))
    assert lamina_losses.deserialize(keras_config) is function
