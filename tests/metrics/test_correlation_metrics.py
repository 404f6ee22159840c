"""Pearson and concordance correlation: formulas, weighting, axes, config."""

import numpy as np
import pytest
import torch

from lamina.metrics.correlation_metrics import ConcordanceCorrelation
from lamina.metrics.correlation_metrics import PearsonCorrelation
from lamina.metrics.correlation_metrics import concordance_correlation
from lamina.metrics.correlation_metrics import pearson_correlation

RNG = np.random.default_rng(0)
Y_TRUE = RNG.normal(size=(4, 6)).astype("float32")
Y_PRED = (0.5 * Y_TRUE + RNG.normal(size=(4, 6)) + 1.0).astype("float32")


def _concordance(a, b):
    covariance = np.mean((a - a.mean()) * (b - b.mean()))
    return 2 * covariance / (a.var() + b.var() + (a.mean() - b.mean()) ** 2)


def test_pearson_equals_numpy_corrcoef_per_row():
    got = pearson_correlation(Y_TRUE, Y_PRED)
    expected = [np.corrcoef(a, b)[0, 1] for a, b in zip(Y_TRUE, Y_PRED, strict=True)]
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)


def test_concordance_equals_lins_formula_per_row():
    got = concordance_correlation(Y_TRUE, Y_PRED)
    expected = [_concordance(a, b) for a, b in zip(Y_TRUE, Y_PRED, strict=True)]
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_concordance_penalises_an_offset_that_pearson_ignores():
    shifted = Y_TRUE + 3.0
    assert np.allclose(pearson_correlation(Y_TRUE, shifted).numpy(), 1.0, atol=1e-5)
    assert (concordance_correlation(Y_TRUE, shifted).numpy() < 0.5).all()


def test_correlations_over_several_axes():
    got = pearson_correlation(Y_TRUE, Y_PRED, axis=(0, 1))
    expected = np.corrcoef(Y_TRUE.ravel(), Y_PRED.ravel())[0, 1]
    assert float(got) == pytest.approx(expected, rel=1e-5)
    by_column = concordance_correlation(Y_TRUE, Y_PRED, axis=0)
    assert tuple(by_column.shape) == (6,)


def test_pearson_of_a_constant_row_is_nan_as_in_keras():
    assert torch.isnan(pearson_correlation([[1.0, 1.0, 1.0]], [[0.0, 1.0, 2.0]])).all()


def test_metric_is_the_weighted_mean_of_row_coefficients():
    weights = np.array([1.0, 0.0, 2.0, 0.5], dtype="float32")
    metric = PearsonCorrelation()
    metric.update_state(Y_TRUE[:2], Y_PRED[:2], sample_weight=weights[:2])
    metric.update_state(Y_TRUE[2:], Y_PRED[2:], sample_weight=weights[2:])
    rows = pearson_correlation(Y_TRUE, Y_PRED).numpy()
    expected = (rows * weights).sum() / weights.sum()
    assert float(metric.result()) == pytest.approx(expected, rel=1e-5)
    metric.reset_state()
    assert float(metric.result()) == 0.0


@pytest.mark.parametrize("cls", [PearsonCorrelation, ConcordanceCorrelation])
def test_config_round_trip(cls):
    metric = cls(name="corr", dtype="float64", axis=0)
    assert metric.get_config() == {"name": "corr", "dtype": "float64", "axis": 0}
    rebuilt = cls.from_config(metric.get_config())
    assert rebuilt.get_config() == metric.get_config()
    result = rebuilt(Y_TRUE, Y_PRED)
    assert result.dtype == torch.float64


@pytest.mark.parametrize("cls", [PearsonCorrelation, ConcordanceCorrelation])
def test_update_state_does_not_read_values_on_host(cls, monkeypatch):
    metric = cls()

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync")

    for method in ("item", "__bool__", "tolist"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    metric.update_state(torch.tensor(Y_TRUE), torch.tensor(Y_PRED))


def test_integer_inputs_are_compared_as_floats():
    got = pearson_correlation([[1, 2, 3]], [[2, 4, 7]])
    assert got.dtype == torch.float32
    assert float(got) == pytest.approx(np.corrcoef([1, 2, 3], [2, 4, 7])[0, 1])
