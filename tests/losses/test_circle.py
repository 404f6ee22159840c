"""Circle loss: the formula, its masking of rows without positives, and errors."""

import math

import numpy as np
import pytest
import torch

import lamina
from lamina.losses.circle import Circle
from lamina.losses.circle import circle


def _reference(labels, embeddings, gamma=80.0, margin=0.4):
    """The loss of each row, written pair by pair (float64)."""
    similarity = embeddings.astype("float64") @ embeddings.astype("float64").T
    distances = np.maximum(1.0 - similarity, 0.0)
    losses = []
    for i in range(len(labels)):
        positive, negative = [], []
        for j in range(len(labels)):
            d = distances[i, j]
            if labels[i] == labels[j] and i != j:
                positive.append(-gamma * max(margin + d, 0.0) * (margin - d))
            elif labels[i] != labels[j]:
                negative.append(gamma * max(1 + margin - d, 0.0) * (1 - margin - d))
        p = math.log(sum(math.exp(v) for v in positive)) if positive else -math.inf
        n = math.log(sum(math.exp(v) for v in negative)) if negative else -math.inf
        losses.append(math.log1p(math.exp(p + n)) if p + n > -math.inf else 0.0)
    return np.array(losses)


def _unit_rows(seed, count, features=3):
    vectors = np.random.default_rng(seed).normal(size=(count, features))
    return (vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)).astype("float32")


def test_circle_matches_pairwise_reference():
    labels = [0, 1, 0, 1, 2, 2]
    embeddings = _unit_rows(0, 6)
    got = circle(labels, embeddings, gamma=4.0, margin=0.25)
    expected = _reference(labels, embeddings, gamma=4.0, margin=0.25)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_circle_leaves_rows_without_positive_pairs_out_of_the_mean():
    labels = torch.tensor([0, 0, 1])  # label 1 has no other example
    embeddings = torch.tensor(_unit_rows(1, 3))
    per_row = circle(labels, embeddings)
    assert float(per_row[2]) == 0.0
    mean = Circle()(labels, embeddings)
    assert float(mean) == pytest.approx(float(per_row[:2].mean()), rel=1e-6)
    unreduced = Circle(reduction=None)(labels, embeddings)
    np.testing.assert_allclose(unreduced.numpy(), per_row.numpy())


def test_circle_gradients_are_finite_with_a_lone_label():
    embeddings = torch.tensor(_unit_rows(2, 4), requires_grad=True)
    loss = Circle()(torch.tensor([0, 1, 1, 2]), embeddings)
    loss.backward()
    assert torch.isfinite(embeddings.grad).all()


def test_circle_accepts_column_labels_and_references():
    embeddings = torch.tensor(_unit_rows(3, 4))
    by_row = circle(torch.tensor([0, 1, 0, 1]), embeddings)
    by_column = Circle(reduction=None)(torch.tensor([[0], [1], [0], [1]]), embeddings)
    np.testing.assert_allclose(by_column.numpy(), by_row.numpy(), rtol=1e-6)
    references = torch.tensor(_unit_rows(4, 5))
    with_references = circle(
        [0, 1, 0, 1], embeddings, ref_labels=[1, 1, 0, 2, 0], ref_embeddings=references
    )
    assert tuple(with_references.shape) == (4,)


def test_circle_trains_a_unit_normalized_embedding():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(32, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = lamina.Sequential(
        [
            lamina.layers.Input((6,)),
            lamina.layers.Dense(4),
            lamina.layers.UnitNormalization(),
        ]
    )
    model.compile(optimizer="adam", loss=Circle(gamma=16.0))
    history = model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    assert all(math.isfinite(v) for v in history.history["loss"])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"gamma": 0.0}, ValueError, r"Loss 'circle' \(Circle\) expected gamma > 0"),
        ({"gamma": "80"}, TypeError, "gamma to be a number"),
        ({"margin": None}, TypeError, "margin to be a number"),
        ({"remove_diagonal": 1}, TypeError, "remove_diagonal to be True or False"),
    ],
)
def test_circle_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        Circle(**kwargs)


def test_circle_config_round_trip():
    loss = Circle(gamma=32.0, margin=0.3, remove_diagonal=False, reduction="sum")
    rebuilt = Circle.from_config(loss.get_config())
    assert rebuilt.get_config() == loss.get_config()
    assert loss.get_config()["gamma"] == 32.0


def test_circle_does_not_read_values_on_host(monkeypatch):
    labels, embeddings = torch.tensor([0, 1, 0]), torch.tensor(_unit_rows(6, 3))

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync")

    for method in ("item", "__bool__", "tolist"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    for reduction in ("sum_over_batch_size", "mean_with_sample_weight"):
        Circle(reduction=reduction)(labels, embeddings, sample_weight=torch.ones(3))
