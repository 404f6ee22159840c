"""ScheduleFreeAdamW: state initialisation, warmup, errors and config."""

import numpy as np
import pytest
import torch

from lamina.optimizers.schedule_free_adamw import ScheduleFreeAdamW


def test_momentum_starts_at_the_weights():
    weight = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    optimizer = ScheduleFreeAdamW()
    optimizer.build([weight])
    momentum, velocity = optimizer.variables[2:]
    assert momentum.tolist() == [1.0, -2.0] and velocity.tolist() == [0.0, 0.0]
    assert not momentum.requires_grad


def test_first_step_moves_the_weights_by_one_normalized_step():
    weight = torch.nn.Parameter(torch.tensor([1.0, 1.0]))
    ScheduleFreeAdamW(learning_rate=0.1).apply([torch.tensor([3.0, -0.5])], [weight])
    np.testing.assert_allclose(weight.detach().numpy(), [0.9, 1.1], atol=1e-6)


def test_warmup_scales_the_first_steps():
    warm = torch.nn.Parameter(torch.zeros(1))
    cold = torch.nn.Parameter(torch.zeros(1))
    ScheduleFreeAdamW(learning_rate=0.1, warmup_steps=4).apply([torch.ones(1)], [warm])
    ScheduleFreeAdamW(learning_rate=0.1).apply([torch.ones(1)], [cold])
    assert float(warm.detach()) == pytest.approx(float(cold.detach()) / 4, rel=1e-5)


def test_weights_converge_on_a_quadratic():
    weight = torch.nn.Parameter(torch.tensor([3.0, -2.0]))
    optimizer = ScheduleFreeAdamW(learning_rate=0.1)
    for _ in range(200):
        optimizer.apply([2 * weight.detach()], [weight])
    assert float(weight.detach().abs().max()) < 0.1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"beta_1": 0.0}, r"expected beta_1 in \(0, 1\]"),
        ({"beta_2": 1.0}, r"expected beta_2 in \[0, 1\)"),
        ({"epsilon": -1.0}, "expected epsilon >= 0"),
        ({"warmup_steps": -1}, "expected warmup_steps to be an int >= 0"),
        ({"warmup_steps": 2.5}, "expected warmup_steps to be an int >= 0"),
    ],
)
def test_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=r"'sf' \(ScheduleFreeAdamW\) " + message):
        ScheduleFreeAdamW(name="sf", **kwargs)


def test_config_round_trip():
    optimizer = ScheduleFreeAdamW(learning_rate=0.01, warmup_steps=10, beta_1=0.95)
    rebuilt = ScheduleFreeAdamW.from_config(optimizer.get_config())
    assert rebuilt.get_config() == optimizer.get_config()
    assert optimizer.get_config()["warmup_steps"] == 10


def test_apply_does_not_read_values_on_host(monkeypatch):
    weights = [torch.nn.Parameter(torch.ones(2, 3)), torch.nn.Parameter(torch.ones(3))]
    grads = [torch.full((2, 3), 0.5), torch.full((3,), -0.5)]
    optimizer = ScheduleFreeAdamW(warmup_steps=3, weight_decay=0.01, clipvalue=0.2)
    optimizer.apply(grads, weights)

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync during apply")

    for method in ("item", "__float__", "__int__", "__bool__", "tolist", "numpy"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    optimizer.apply(grads, weights)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_apply_on_cuda_never_synchronizes_and_matches_cpu():
    cpu_weights = [
        torch.nn.Parameter(torch.ones(2, 3)),
        torch.nn.Parameter(torch.ones(3)),
    ]
    grads = [torch.full((2, 3), 0.5), torch.full((3,), -0.5)]
    weights = [torch.nn.Parameter(w.detach().cuda()) for w in cpu_weights]
    optimizer = ScheduleFreeAdamW(warmup_steps=3)
    cpu_optimizer = ScheduleFreeAdamW(warmup_steps=3)
    optimizer.apply([g.cuda() for g in grads], weights)
    torch.cuda.set_sync_debug_mode("error")
    try:
        optimizer.apply([g.cuda() for g in grads], weights)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    for _ in range(2):
        cpu_optimizer.apply(grads, cpu_weights)
    for weight, cpu_weight in zip(weights, cpu_weights, strict=True):
        torch.testing.assert_close(weight.detach().cpu(), cpu_weight.detach())
