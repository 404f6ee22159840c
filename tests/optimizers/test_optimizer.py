"""The `Optimizer` base: arguments, state, Keras 2 idioms and clear errors."""

import numpy as np
import pytest
import torch

from lamina.backend import Variable
from lamina.optimizers import SGD
from lamina.optimizers import Adam
from lamina.optimizers import AdamW
from lamina.optimizers import schedules

ALL_NAMES = [
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Adamax",
    "Nadam",
    "Ftrl",
    "Lion",
    "Adafactor",
    "Lamb",
    "Muon",
    "ScheduleFreeAdamW",
]


def _weights():
    return [torch.nn.Parameter(torch.ones(2, 3)), torch.nn.Parameter(torch.ones(3))]


def _grads():
    return [torch.full((2, 3), 0.5), torch.full((3,), -0.5)]


def test_optimizer_accepts_keras2_lr_alias():
    optimizer = Adam(lr=0.01)
    assert float(optimizer.learning_rate) == pytest.approx(0.01)
    assert optimizer.lr is optimizer.learning_rate


def test_optimizer_rejects_lr_and_learning_rate_together():
    with pytest.raises(ValueError, match="both lr=0.1 and learning_rate=0.2"):
        Adam(learning_rate=0.2, lr=0.1)


def test_optimizer_rejects_negative_learning_rate():
    with pytest.raises(
        ValueError, match=r"Optimizer 'neg' \(SGD\).*learning_rate >= 0"
    ):
        SGD(learning_rate=-0.1, name="neg")


def test_optimizer_rejects_non_numeric_learning_rate():
    with pytest.raises(TypeError, match="expected learning_rate to be a float"):
        SGD(learning_rate="fast")


def test_optimizer_rejects_unknown_argument():
    with pytest.raises(ValueError, match=r"unknown argument\(s\) \['momentun'\]"):
        SGD(momentun=0.9)


def test_optimizer_rejects_two_clipping_arguments():
    with pytest.raises(ValueError, match="only one of clipnorm, clipvalue"):
        SGD(clipnorm=1.0, clipvalue=1.0)


def test_optimizer_rejects_bad_accumulation_steps():
    with pytest.raises(ValueError, match="gradient_accumulation_steps=1"):
        SGD(gradient_accumulation_steps=1)


def test_sgd_rejects_momentum_above_one():
    with pytest.raises(ValueError, match="momentum=1.5"):
        SGD(momentum=1.5)


def test_adamw_rejects_none_weight_decay():
    with pytest.raises(ValueError, match="weight_decay=None"):
        AdamW(weight_decay=None)


def test_apply_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="received 1 gradients for 2 weights"):
        SGD().apply(_grads()[:1], _weights())


def test_apply_rejects_unknown_weight():
    optimizer = SGD()
    optimizer.apply(_grads(), _weights())
    with pytest.raises(ValueError, match="weight it does not know"):
        optimizer.apply([torch.ones(4)], [torch.nn.Parameter(torch.ones(4))])


def test_apply_without_weights_before_build_fails_clearly():
    with pytest.raises(ValueError, match="before it was built"):
        SGD().apply(_grads())


def test_apply_without_weights_after_build_uses_built_weights():
    weights = _weights()
    optimizer = SGD(learning_rate=1.0)
    optimizer.build(weights)
    optimizer.apply(_grads())
    assert weights[0][0, 0].item() == pytest.approx(0.5)


def test_apply_skips_none_gradients_with_warning():
    weights = _weights()
    optimizer = Adam()
    with pytest.warns(UserWarning, match="no gradient for weights"):
        optimizer.apply([None, torch.ones(3)], weights)
    assert torch.equal(weights[0], torch.ones(2, 3))
    assert not torch.equal(weights[1], torch.ones(3))


def test_apply_all_none_gradients_fails():
    with pytest.raises(ValueError, match="no gradient for any weight"):
        SGD().apply([None, None], _weights())


def test_subset_of_weights_updates_matching_slots():
    weights = _weights()
    optimizer = SGD(learning_rate=1.0, momentum=0.5)
    optimizer.build(weights)
    optimizer.apply([torch.ones(3)], [weights[1]])
    assert torch.equal(optimizer.momentums[0], torch.zeros(2, 3))
    assert torch.equal(optimizer.momentums[1], torch.full((3,), -1.0))


def test_iterations_is_int64_tensor_and_assignable():
    optimizer = SGD()
    weights = _weights()
    iterations = optimizer.apply_gradients(zip(_grads(), weights, strict=True))
    assert iterations.dtype == torch.int64 and iterations.dim() == 0
    assert int(optimizer.iterations) == 1
    optimizer.iterations = 10
    assert int(optimizer.iterations) == 10


def test_learning_rate_is_assignable_in_place():
    optimizer = SGD(learning_rate=0.1)
    learning_rate = optimizer.learning_rate
    optimizer.learning_rate = 0.5
    assert float(learning_rate) == 0.5  # same tensor: K.set_value keeps working
    optimizer.lr = 0.25
    assert float(optimizer.learning_rate) == 0.25
    with torch.no_grad():
        optimizer.lr.copy_(torch.tensor(0.125))
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer.apply([torch.ones(1)], [weight])
    assert weight.item() == pytest.approx(-0.125)


def test_learning_rate_of_schedule_is_not_assignable():
    optimizer = SGD(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match="created with a LearningRateSchedule"):
        optimizer.learning_rate = 0.1


def test_learning_rate_schedule_follows_iterations():
    optimizer = SGD(learning_rate=schedules.InverseTimeDecay(1.0, 1, 1.0))
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer.apply([torch.ones(1)], [weight])
    assert float(optimizer.learning_rate) == pytest.approx(0.5)


def test_keras2_decay_shrinks_steps():
    optimizer = SGD(lr=1.0, decay=1.0)
    weight = torch.nn.Parameter(torch.zeros(1))
    for _ in range(2):
        optimizer.apply([torch.ones(1)], [weight])
    assert weight.item() == pytest.approx(-1.5)
    assert optimizer.get_config()["decay"] == 1.0


def test_callable_learning_rate_is_called_each_step():
    optimizer = SGD(learning_rate=lambda: 0.5)
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer.apply([torch.ones(1)], [weight])
    assert weight.item() == pytest.approx(-0.5)


def test_exclude_from_weight_decay_by_name():
    kernel = Variable(torch.ones(2), name="kernel")
    bias = Variable(torch.ones(2), name="bias")
    optimizer = SGD(learning_rate=1.0, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    optimizer.apply([torch.zeros(2), torch.zeros(2)], [kernel, bias])
    assert kernel.tolist() == [0.5, 0.5]
    assert bias.tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="already built"):
        optimizer.exclude_from_weight_decay(var_names=["kernel"])


def test_finalize_variable_values_copies_averages():
    weights = _weights()
    optimizer = SGD(learning_rate=1.0, use_ema=True)
    for _ in range(3):
        optimizer.apply(_grads(), weights)
    optimizer.finalize_variable_values(weights)
    assert torch.allclose(weights[0], optimizer._model_variables_moving_average[0])


def test_slots_follow_weight_dtype():
    weight = torch.nn.Parameter(torch.ones(3, dtype=torch.float64))
    optimizer = Adam()
    optimizer.apply([torch.ones(3, dtype=torch.float64)], [weight])
    assert optimizer._momentums[0].dtype == torch.float64


def test_gradients_are_not_modified():
    grads = _grads()
    before = [g.clone() for g in grads]
    Adam(clipvalue=0.1).apply(grads, _weights())
    assert all(torch.equal(a, b) for a, b in zip(grads, before, strict=True))


def test_get_weights_set_weights_round_trip():
    weights = _weights()
    optimizer = Adam()
    optimizer.apply(_grads(), weights)
    state = optimizer.get_weights()
    other = Adam()
    other.build(_weights())
    other.set_weights(state)
    for a, b in zip(other.get_weights(), state, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="received 1 values"):
        other.set_weights(state[:1])


def test_save_and_load_own_variables():
    weights = _weights()
    optimizer = SGD(momentum=0.9)
    optimizer.apply(_grads(), weights)
    store = {}
    optimizer.save_own_variables(store)
    other = SGD(momentum=0.9)
    other.build(_weights())
    other.load_own_variables(store)
    assert int(other.iterations) == 1
    assert torch.equal(other.momentums[0], optimizer.momentums[0])


def test_accumulation_counts_after_iterations_assigned():
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer = SGD(learning_rate=1.0, gradient_accumulation_steps=2)
    optimizer.build([weight])
    optimizer._iterations.assign(1)  # e.g. restored from a file
    optimizer.apply([torch.ones(1)], [weight])
    assert weight.item() == pytest.approx(-0.5)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_apply_does_not_read_values_on_host(name, monkeypatch):
    import lamina.optimizers

    weights = _weights()
    optimizer = getattr(lamina.optimizers, name)(use_ema=True, global_clipnorm=1.0)
    optimizer.apply(_grads(), weights)  # slots built outside the guard

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync during apply")

    for method in ("item", "__float__", "__int__", "__bool__", "tolist", "numpy"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    optimizer.apply(_grads(), weights)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("name", ALL_NAMES)
def test_apply_on_cuda_never_synchronizes(name):
    import lamina.optimizers

    weights = [torch.nn.Parameter(w.detach().cuda()) for w in _weights()]
    grads = [g.cuda() for g in _grads()]
    optimizer = getattr(lamina.optimizers, name)(weight_decay=0.01, clipnorm=1.0)
    optimizer.apply(grads, weights)
    torch.cuda.set_sync_debug_mode("error")
    try:
        optimizer.apply(grads, weights)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    assert all(w.device.type == "cuda" for w in weights)
