"""Unit tests for lamina.constraints."""

import pytest
import torch

from lamina import constraints


def test_max_norm_leaves_small_columns_and_shrinks_large_ones():
    w = torch.tensor([[0.3, 3.0], [0.4, 4.0]])
    out = constraints.MaxNorm(1.0)(w)
    torch.testing.assert_close(out[:, 0], w[:, 0], atol=1e-6, rtol=0)
    torch.testing.assert_close(out[:, 1].norm(), torch.tensor(1.0))


def test_unit_norm_over_several_axes():
    w = torch.randn(3, 3, 2, 4)
    out = constraints.UnitNorm(axis=[0, 1, 2])(w)
    norms = out.square().sum(dim=(0, 1, 2)).sqrt()
    torch.testing.assert_close(norms, torch.ones(4))


def test_min_max_norm_rate_moves_part_way():
    w = torch.tensor([[3.0], [4.0]])  # norm 5
    out = constraints.MinMaxNorm(0.0, 1.0, rate=0.5)(w)
    assert float(out.norm()) == pytest.approx(3.0, rel=1e-6)


def test_min_max_norm_rejects_reversed_bounds():
    with pytest.raises(ValueError, match="min_value=2"):
        constraints.MinMaxNorm(2, 1)


def test_non_neg_and_base_constraint():
    w = torch.tensor([-1.0, 0.0, 2.0])
    assert constraints.NonNeg()(w).tolist() == [0.0, 0.0, 2.0]
    assert constraints.Constraint()(w) is w


def test_get_names_classes_and_callables():
    assert constraints.get(None) is None
    assert isinstance(constraints.get("max_norm"), constraints.MaxNorm)
    assert isinstance(constraints.get("nonneg"), constraints.NonNeg)
    assert isinstance(constraints.get(constraints.UnitNorm), constraints.UnitNorm)
    assert constraints.get(torch.relu) is torch.relu


def test_get_unknown_name_lists_available():
    with pytest.raises(ValueError, match="Available constraints: .*max_norm"):
        constraints.get("maximum_norm")


def test_get_rejects_non_callable():
    with pytest.raises(TypeError, match="Could not interpret constraint"):
        constraints.get(2)


def test_keras2_config_round_trip():
    config = {"class_name": "MaxNorm", "config": {"max_value": 3, "axis": [0, 1, 2]}}
    constraint = constraints.deserialize(config)
    assert constraint.get_config() == config["config"]
    assert constraints.serialize(constraint)["class_name"] == "MaxNorm"
