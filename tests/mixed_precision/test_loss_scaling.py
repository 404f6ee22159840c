import numpy as np
import pytest
import torch

from lamina import mixed_precision
from lamina.backend import config
from lamina.layers import Dense
from lamina.layers import Input
from lamina.models import Sequential
from lamina.optimizers import SGD
from lamina.optimizers import Adam
from lamina.optimizers import LossScaleOptimizer


@pytest.fixture(autouse=True)
def default_policy(monkeypatch):
    """Each test starts from, and leaves, the default global policy."""
    monkeypatch.setattr(config, "_DTYPE_POLICY", None)


def _weight(value=0.0):
    return torch.nn.Parameter(torch.full((2,), value))


def test_loss_scale_optimizer_skips_a_step_on_inf_gradients():
    weight = _weight()
    optimizer = LossScaleOptimizer(SGD(1.0), initial_scale=8.0)
    optimizer.apply([torch.tensor([1.0, float("inf")])], [weight])
    assert weight.tolist() == [0.0, 0.0]
    assert int(optimizer.iterations) == 0
    assert float(optimizer.dynamic_scale) == 4.0
    optimizer.apply([torch.tensor([float("nan"), 1.0])], [weight])
    assert weight.tolist() == [0.0, 0.0] and float(optimizer.dynamic_scale) == 2.0


def test_loss_scale_optimizer_unscales_finite_gradients():
    weight = _weight()
    optimizer = LossScaleOptimizer(SGD(1.0), initial_scale=4.0)
    assert float(optimizer.scale_loss(torch.tensor(3.0))) == 12.0
    optimizer.apply([torch.tensor([8.0, 4.0])], [weight])
    assert weight.tolist() == [-2.0, -1.0]
    assert int(optimizer.iterations) == 1


def test_loss_scale_optimizer_doubles_after_growth_steps():
    weight = _weight()
    optimizer = LossScaleOptimizer(SGD(0.0), initial_scale=2.0, dynamic_growth_steps=2)
    scales = []
    for _ in range(5):
        optimizer.apply([torch.ones(2)], [weight])
        scales.append(float(optimizer.dynamic_scale))
    assert scales == [2.0, 4.0, 4.0, 8.0, 8.0]
    optimizer.apply([torch.tensor([float("inf"), 0.0])], [weight])
    assert float(optimizer.dynamic_scale) == 4.0 and int(optimizer.step_counter) == 0


def test_compiled_update_skips_a_non_finite_step_on_the_device():
    weight = _weight(1.0)
    optimizer = LossScaleOptimizer(Adam(0.1), initial_scale=4.0)
    optimizer.build([weight])
    with torch.no_grad():
        optimizer._apply_update([torch.tensor([4.0, 4.0])], [weight])
        before = [t.clone() for t in [weight, *optimizer.inner_optimizer.variables]]
        optimizer._apply_update([torch.tensor([float("nan"), 4.0])], [weight])
    after = [weight, *optimizer.inner_optimizer.variables]
    for now, then in zip(after, before, strict=True):
        torch.testing.assert_close(now, then)
    assert float(optimizer.dynamic_scale) == 2.0
    assert int(optimizer.iterations) == 1


def _mlp(policy):
    mixed_precision.set_global_policy(policy)
    model = Sequential([Input((4,)), Dense(8, activation="relu"), Dense(1)])
    mixed_precision.set_global_policy(None)
    return model


def test_compile_wraps_the_optimizer_for_mixed_float16_only():
    model = _mlp("mixed_float16")
    model.compile(SGD(0.1), "mse")
    assert isinstance(model.optimizer, LossScaleOptimizer)
    assert model.optimizer.name == "loss_scale_optimizer"
    assert isinstance(model.optimizer.inner_optimizer, SGD)
    model.compile(model.optimizer, "mse")
    assert isinstance(model.optimizer.inner_optimizer, SGD)
    model.compile(SGD(0.1), "mse", auto_scale_loss=False)
    assert isinstance(model.optimizer, SGD)
    bfloat16_model = _mlp("mixed_bfloat16")
    bfloat16_model.compile("adam", "mse")
    assert isinstance(bfloat16_model.optimizer, Adam)


def test_fit_scales_the_loss_for_a_loss_scale_optimizer():
    data = np.random.default_rng(0).random((16, 4), dtype=np.float32)
    target = data.sum(axis=1, keepdims=True)
    plain, scaled = _mlp("float32"), _mlp("float32")
    scaled.set_weights(plain.get_weights())
    plain.compile(SGD(0.05), "mse")
    scaled.compile(LossScaleOptimizer(SGD(0.05), initial_scale=1024.0), "mse")
    plain.fit(data, target, batch_size=8, epochs=2, shuffle=False, verbose=0)
    scaled.fit(data, target, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for got, want in zip(scaled.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_mixed_float16_fit_trains_and_skips_overflowing_batches():
    rng = np.random.default_rng(0)
    data = rng.random((64, 4), dtype=np.float32)
    target = data.sum(axis=1, keepdims=True)
    model = _mlp("mixed_float16")
    model.compile(SGD(0.05), "mse")
    history = model.fit(data, target, batch_size=16, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    optimizer = model.optimizer
    steps, weights = int(optimizer.iterations), model.get_weights()
    scale = float(optimizer.dynamic_scale)
    overflow = np.full((16, 4), 7e4, np.float32)  # beyond float16's 65504
    model.fit(overflow, target[:16], batch_size=16, epochs=1, verbose=0)
    assert int(optimizer.iterations) == steps
    assert float(optimizer.dynamic_scale) == scale / 2
    for got, want in zip(model.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(got, want)
