"""Lamb: the trust-ratio step, its edge cases, errors and config."""

import numpy as np
import pytest
import torch

from lamina.optimizers.lamb import Lamb


def _reference(weights, grads, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Lamb in float64, one weight at a time."""
    weights = [w.astype("float64") for w in weights]
    m = [np.zeros_like(w) for w in weights]
    v = [np.zeros_like(w) for w in weights]
    for t, step_grads in enumerate(grads, start=1):
        for i, g in enumerate(step_grads):
            m[i] = beta_1 * m[i] + (1 - beta_1) * g
            v[i] = beta_2 * v[i] + (1 - beta_2) * g * g
            m_hat = m[i] / (1 - beta_1**t)
            v_hat = v[i] / (1 - beta_2**t)
            step = m_hat / (np.sqrt(v_hat) + epsilon)
            w_norm, s_norm = np.linalg.norm(weights[i]), np.linalg.norm(step)
            ratio = w_norm / s_norm if w_norm > 0 and s_norm > 0 else 1.0
            weights[i] = weights[i] - lr * ratio * step
    return weights


def test_lamb_matches_float64_reference():
    rng = np.random.default_rng(0)
    initial = [rng.normal(size=(3, 2)).astype("float32"), np.zeros(4, "float32")]
    grads = [[rng.normal(size=w.shape).astype("float32") for w in initial]] * 3
    weights = [torch.nn.Parameter(torch.tensor(w)) for w in initial]
    optimizer = Lamb(learning_rate=0.05, beta_1=0.8)
    for step_grads in grads:
        optimizer.apply([torch.tensor(g) for g in step_grads], weights)
    expected = _reference(initial, grads, lr=0.05, beta_1=0.8)
    for weight, reference in zip(weights, expected, strict=True):
        np.testing.assert_allclose(weight.detach().numpy(), reference, atol=1e-6)


def test_lamb_zero_weight_takes_a_plain_adam_step():
    weight = torch.nn.Parameter(torch.zeros(2))
    Lamb(learning_rate=0.1).apply([torch.tensor([1.0, -2.0])], [weight])
    np.testing.assert_allclose(weight.detach().numpy(), [-0.1, 0.1], atol=1e-6)


def test_lamb_state_is_momentum_then_velocity_per_weight():
    weights = [torch.nn.Parameter(torch.ones(2, 3)), torch.nn.Parameter(torch.ones(3))]
    optimizer = Lamb()
    optimizer.apply([torch.ones(2, 3), torch.ones(3)], weights)
    shapes = [tuple(v.shape) for v in optimizer.variables]
    assert shapes == [(), (), (2, 3), (2, 3), (3,), (3,)]


def test_lamb_updates_a_subset_of_its_weights():
    weights = [torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(3))]
    optimizer = Lamb(learning_rate=0.1)
    optimizer.build(weights)
    optimizer.apply([torch.ones(3)], [weights[1]])
    assert weights[0].tolist() == [1.0, 1.0]
    assert float(optimizer.variables[4].abs().sum()) > 0  # second weight's momentum


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"beta_1": 1.0}, r"expected beta_1 in \[0, 1\)"),
        ({"beta_2": -0.1}, r"expected beta_2 in \[0, 1\)"),
        ({"epsilon": -1e-7}, "expected epsilon >= 0"),
    ],
)
def test_lamb_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=r"Optimizer 'lamb_bad' \(Lamb\) " + message):
        Lamb(name="lamb_bad", **kwargs)


def test_lamb_config_round_trip():
    optimizer = Lamb(learning_rate=0.02, beta_1=0.8, epsilon=1e-6, weight_decay=0.1)
    rebuilt = Lamb.from_config(optimizer.get_config())
    assert rebuilt.get_config() == optimizer.get_config()


def test_lamb_apply_does_not_read_values_on_host(monkeypatch):
    weights = [torch.nn.Parameter(torch.ones(2, 3)), torch.nn.Parameter(torch.ones(3))]
    grads = [torch.full((2, 3), 0.5), torch.full((3,), -0.5)]
    optimizer = Lamb(weight_decay=0.01, global_clipnorm=1.0, use_ema=True)
    optimizer.apply(grads, weights)

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync during apply")

    for method in ("item", "__float__", "__int__", "__bool__", "tolist", "numpy"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    optimizer.apply(grads, weights)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_lamb_apply_on_cuda_never_synchronizes_and_matches_cpu():
    cpu_weights = [
        torch.nn.Parameter(torch.ones(2, 3)),
        torch.nn.Parameter(torch.ones(3)),
    ]
    grads = [torch.full((2, 3), 0.5), torch.full((3,), -0.5)]
    weights = [torch.nn.Parameter(w.detach().cuda()) for w in cpu_weights]
    optimizer, cpu_optimizer = Lamb(weight_decay=0.01), Lamb(weight_decay=0.01)
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
