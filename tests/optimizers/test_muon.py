"""Muon: which weights take which step, the orthogonalized update, errors."""

import numpy as np
import pytest
import torch

from lamina.backend import Variable
from lamina.optimizers.muon import Muon


def _weight(name, shape, seed=0):
    value = torch.tensor(
        np.random.default_rng(seed).normal(size=shape), dtype=torch.float32
    )
    return Variable(value, name=name.rsplit("/", 1)[-1], path=name)


def test_muon_routes_weights_between_muon_and_adamw():
    weights = [
        _weight("dense/kernel", (3, 4)),
        _weight("dense/bias", (4,)),
        _weight("embedding/embeddings", (5, 3)),
        _weight("conv/kernel", (2, 2, 3)),
        _weight("head/kernel", (4, 2)),
    ]
    optimizer = Muon(exclude_layers=["^head/"])
    optimizer.build(weights)
    # Keras's state order: each weight's momentum, then a velocity for the
    # weights that take the AdamW step (all but the dense kernel here).
    expected = [(3, 4), (4,), (4,), (5, 3), (5, 3), (2, 2, 3), (2, 2, 3), (4, 2)]
    expected.append((4, 2))
    assert [tuple(v.shape) for v in optimizer.variables[2:]] == expected


def test_muon_embeddings_take_the_muon_step_when_not_excluded():
    optimizer = Muon(exclude_embeddings=False)
    optimizer.build([_weight("embedding/embeddings", (5, 3))])
    assert len(optimizer.variables) == 3  # iterations, learning rate, momentum


def test_muon_step_is_nearly_semi_orthogonal():
    weight = torch.nn.Parameter(torch.zeros(8, 4))
    gradient = torch.tensor(
        np.random.default_rng(1).normal(size=(8, 4)), dtype=torch.float32
    )
    optimizer = Muon(
        learning_rate=1.0, weight_decay=None, rms_rate=None, nesterov=False
    )
    optimizer.apply([gradient], [weight])
    singular_values = torch.linalg.svdvals(-weight.detach())
    # The quintic iteration lands the singular values near 1, not exactly on it.
    assert bool(((singular_values > 0.6) & (singular_values < 1.25)).all())


def test_muon_rms_rate_scales_by_the_larger_dimension():
    gradient = torch.tensor(
        np.random.default_rng(2).normal(size=(9, 4)), dtype=torch.float32
    )
    plain, scaled = (
        torch.nn.Parameter(torch.zeros(9, 4)),
        torch.nn.Parameter(torch.zeros(9, 4)),
    )
    Muon(weight_decay=None, rms_rate=None).apply([gradient], [plain])
    Muon(weight_decay=None, rms_rate=0.2).apply([gradient], [scaled])
    np.testing.assert_allclose(
        scaled.detach().numpy(), plain.detach().numpy() * 0.2 * 3.0, rtol=1e-5
    )


def test_muon_weight_decay_uses_separate_rates():
    matrix = torch.nn.Parameter(torch.ones(2, 2))
    vector = torch.nn.Parameter(torch.ones(2))
    optimizer = Muon(learning_rate=0.5, weight_decay=0.2, adam_weight_decay=None)
    # Zero gradients leave only the decay: 1 - 0.2 * 0.5 for the matrix.
    optimizer.apply([torch.zeros(2, 2), torch.zeros(2)], [matrix, vector])
    np.testing.assert_allclose(matrix.detach().numpy(), np.full((2, 2), 0.9))
    np.testing.assert_allclose(vector.detach().numpy(), [1.0, 1.0])


def test_muon_exclude_from_weight_decay():
    bias = _weight("dense/bias", (2,))
    before = bias.detach().clone()
    optimizer = Muon(learning_rate=0.5, adam_weight_decay=0.2)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    optimizer.apply([torch.zeros(2)], [bias])
    assert torch.equal(bias.detach(), before)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"adam_beta_1": 1.0}, ValueError, r"expected adam_beta_1 in \[0, 1\)"),
        ({"momentum": 1.5}, ValueError, r"expected momentum in \[0, 1\]"),
        ({"ns_steps": 2.5}, ValueError, "expected ns_steps to be an int >= 0"),
        ({"rms_rate": -0.2}, ValueError, "expected rms_rate >= 0"),
        ({"adam_weight_decay": -1.0}, ValueError, "expected adam_weight_decay >= 0"),
        ({"exclude_layers": "head"}, TypeError, "exclude_layers to be a list"),
        ({"exclude_layers": ["head("]}, ValueError, "not a valid regular expression"),
    ],
)
def test_muon_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=r"Optimizer 'muon_bad' \(Muon\) .*" + message):
        Muon(name="muon_bad", **kwargs)


def test_muon_config_round_trip():
    optimizer = Muon(exclude_layers=["head"], nesterov=False, rms_rate=None, ns_steps=3)
    rebuilt = Muon.from_config(optimizer.get_config())
    assert rebuilt.get_config() == optimizer.get_config()


def test_muon_apply_does_not_read_values_on_host(monkeypatch):
    weights = [_weight("dense/kernel", (3, 4)), _weight("dense/bias", (4,))]
    grads = [torch.full((3, 4), 0.5), torch.full((4,), -0.5)]
    optimizer = Muon(clipnorm=1.0, use_ema=True)
    optimizer.apply(grads, weights)

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync during apply")

    for method in ("item", "__float__", "__int__", "__bool__", "tolist", "numpy"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    optimizer.apply(grads, weights)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_muon_apply_on_cuda_never_synchronizes_and_matches_cpu():
    cpu_weights = [_weight("dense/kernel", (3, 4)), _weight("dense/bias", (4,))]
    grads = [torch.full((3, 4), 0.5), torch.full((4,), -0.5)]
    weights = [
        Variable(w.detach().cuda(), name=w.name, path=w.path) for w in cpu_weights
    ]
    optimizer, cpu_optimizer = Muon(), Muon()
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
