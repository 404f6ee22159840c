"""Generalized cross-entropy: the formula, label shapes, and errors."""

import numpy as np
import pytest
import torch

from lamina.losses.generalized_cross_entropy import CategoricalGeneralizedCrossEntropy
from lamina.losses.generalized_cross_entropy import (
    categorical_generalized_cross_entropy,
)

PROBS = torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]])


def test_gce_is_one_minus_true_probability_power_q_over_q():
    got = categorical_generalized_cross_entropy([0, 2, 1], PROBS, q=0.3)
    expected = (1 - np.array([0.7, 0.6, 0.5]) ** 0.3) / 0.3
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)


def test_gce_tends_to_crossentropy_and_to_mae():
    near_zero = categorical_generalized_cross_entropy([0], PROBS[:1], q=1e-4)
    assert float(near_zero) == pytest.approx(-np.log(0.7), rel=1e-3)
    near_one = categorical_generalized_cross_entropy([0], PROBS[:1], q=0.9999)
    assert float(near_one) == pytest.approx(0.3, rel=1e-3)


def test_gce_column_labels_equal_flat_labels():
    # Keras documents (batch, 1) labels but broadcasts them against the
    # batch; lamina reads them as the (batch,) labels they are.
    flat = CategoricalGeneralizedCrossEntropy()([0, 2, 1], PROBS)
    column = CategoricalGeneralizedCrossEntropy()([[0], [2], [1]], PROBS)
    assert float(column) == pytest.approx(float(flat))


def test_gce_label_outside_the_classes_has_zero_probability():
    got = categorical_generalized_cross_entropy([3, -1], PROBS[:2], q=0.5)
    np.testing.assert_allclose(got.numpy(), [2.0, 2.0])


def test_gce_reductions_and_sample_weight():
    loss = CategoricalGeneralizedCrossEntropy(reduction="sum")
    per_sample = categorical_generalized_cross_entropy([0, 2, 1], PROBS, q=0.5)
    weighted = loss([0, 2, 1], PROBS, sample_weight=[1.0, 0.0, 2.0])
    expected = per_sample[0] + 2 * per_sample[2]
    assert float(weighted) == pytest.approx(float(expected), rel=1e-6)


def test_gce_gradient_flows_to_the_true_class_only():
    probs = PROBS.clone().requires_grad_()
    CategoricalGeneralizedCrossEntropy()([0, 2, 1], probs).backward()
    mask = torch.zeros_like(PROBS)
    mask[[0, 1, 2], [0, 2, 1]] = 1.0
    assert torch.all((probs.grad != 0) == mask.bool())


@pytest.mark.parametrize("q", [0.0, 1.0, -0.5, 1.5])
def test_gce_rejects_q_outside_the_open_unit_interval(q):
    with pytest.raises(ValueError, match=r"expected q in the open interval \(0, 1\)"):
        CategoricalGeneralizedCrossEntropy(q=q)


@pytest.mark.parametrize("q", [True, "0.5", None])
def test_gce_rejects_q_that_is_not_a_number(q):
    with pytest.raises(
        TypeError, match=r"\(CategoricalGeneralizedCrossEntropy\) expected q"
    ):
        CategoricalGeneralizedCrossEntropy(q=q)


def test_gce_config_round_trip():
    loss = CategoricalGeneralizedCrossEntropy(q=0.8, reduction=None, name="gce")
    assert loss.get_config() == {"name": "gce", "reduction": None, "q": 0.8}
    rebuilt = CategoricalGeneralizedCrossEntropy.from_config(loss.get_config())
    assert rebuilt.get_config() == loss.get_config()


def test_gce_does_not_read_values_on_host(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("host sync")

    for method in ("item", "__bool__", "tolist"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    CategoricalGeneralizedCrossEntropy()(torch.tensor([0, 2, 1]), PROBS)
