"""Unit tests for lamina.regularizers."""

import pytest
import torch

from lamina import regularizers


def test_l2_has_no_half_factor():
    assert float(regularizers.L2(0.1)(torch.tensor([3.0, 4.0]))) == pytest.approx(2.5)


def test_l1_l2_sums_both_penalties():
    x = torch.tensor([1.0, -2.0])
    penalty = regularizers.L1L2(l1=0.1, l2=0.2)(x)
    assert float(penalty) == pytest.approx(0.1 * 3 + 0.2 * 5)


def test_penalties_are_zero_dim_with_weight_dtype():
    x = torch.randn(3, 2, dtype=torch.float64)
    for regularizer in (
        regularizers.Regularizer(),
        regularizers.L1(),
        regularizers.L2(),
        regularizers.L1L2(),
        regularizers.OrthogonalRegularizer(),
    ):
        penalty = regularizer(x)
        assert penalty.ndim == 0 and penalty.dtype == torch.float64


def test_penalty_has_gradient():
    x = torch.randn(4, 3, requires_grad=True)
    regularizers.OrthogonalRegularizer(0.1)(x).backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()


def test_orthogonal_regularizer_zero_for_orthogonal_rows():
    assert float(regularizers.OrthogonalRegularizer(1.0)(torch.eye(4) * 3)) == 0.0


def test_orthogonal_regularizer_rejects_bad_mode_and_rank():
    with pytest.raises(ValueError, match="mode='diagonal'"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank-2"):
        regularizers.OrthogonalRegularizer()(torch.ones(2, 2, 2))


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), "0.1", True])
def test_factors_must_be_non_negative_finite(value):
    with pytest.raises(ValueError, match="l2="):
        regularizers.L2(value)


def test_none_factor_means_default():
    assert regularizers.L1(None).l1 == 0.01
    assert regularizers.L1L2(None, None).get_config() == {"l1": 0.0, "l2": 0.0}


def test_get_names_classes_and_callables():
    assert regularizers.get(None) is None
    assert regularizers.get("l1").get_config() == {"l1": 0.01}
    assert regularizers.get("L1L2").get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)

    def penalty(x):
        return x.sum()

    assert regularizers.get(penalty) is penalty


def test_get_unknown_name_lists_available():
    with pytest.raises(ValueError, match="Available regularizers: .*l2"):
        regularizers.get("l3")


def test_get_rejects_non_callable():
    with pytest.raises(TypeError, match="Could not interpret regularizer"):
        regularizers.get(0.1)


def test_keras2_config_round_trip():
    config = {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.001}}
    regularizer = regularizers.deserialize(config)
    assert regularizer.get_config() == config["config"]
    assert regularizers.serialize(regularizer)["module"] == "keras.regularizers"


def test_base_regularizer_has_no_config():
    with pytest.raises(NotImplementedError, match="get_config"):
        regularizers.Regularizer().get_config()
