"""MultiOptimizer and OptimizerMap: routing, state, training, errors."""

import numpy as np
import pytest
import torch

import lamina
from lamina.backend import Variable
from lamina.optimizers import SGD
from lamina.optimizers import Adam
from lamina.optimizers import LossScaleOptimizer
from lamina.optimizers.multi_optimizer import MultiOptimizer
from lamina.optimizers.optimizer_map import OptimizerMap


def _weights():
    return [
        Variable(torch.ones(2, 2), name="kernel", path="encoder/kernel"),
        Variable(torch.ones(2), name="bias", path="encoder/bias"),
        Variable(torch.ones(3), name="kernel", path="decoder/kernel"),
    ]


def _grads():
    return [torch.full((2, 2), 0.5), torch.full((2,), -1.0), torch.full((3,), 2.0)]


def _encoder_adam_else_sgd():
    return OptimizerMap(SGD(0.1, name="sgd"), {"encoder/.*": Adam(0.01, name="adam")})


# ------------------------------------------------------------ OptimizerMap


def test_optimizer_map_prefers_exact_keys_then_one_full_match():
    exact, pattern, default = SGD(name="exact"), SGD(name="pattern"), SGD()
    optimizer_map = OptimizerMap(default, {"a/b": exact, "a/.*": pattern})
    assert optimizer_map["a/b"] is exact
    assert optimizer_map["a/c"] is pattern
    assert optimizer_map["xa/c"] is default  # a full match, not a search
    assert len(optimizer_map) == 2 and list(optimizer_map) == ["a/b", "a/.*"]
    del optimizer_map["a/b"]
    assert optimizer_map["a/b"] is pattern


def test_optimizer_map_rejects_a_path_matched_twice():
    optimizer_map = OptimizerMap(SGD(), {"a/.*": SGD(), ".*/b": SGD()})
    with pytest.raises(ValueError, match=r"several patterns that match .*'a/b'"):
        optimizer_map["a/b"]


@pytest.mark.parametrize(
    ("key", "value", "error", "message"),
    [
        (3, SGD(), TypeError, "keys are weight paths"),
        ("a(", SGD(), ValueError, "not a valid regular expression"),
        ("a", "sgd", TypeError, "to be a lamina Optimizer"),
        ("a", LossScaleOptimizer(SGD()), ValueError, "only plain optimizers"),
    ],
)
def test_optimizer_map_rejects_bad_entries(key, value, error, message):
    with pytest.raises(error, match=message):
        OptimizerMap(SGD())[key] = value


def test_optimizer_map_rejects_a_duplicate_key_and_a_bad_default():
    optimizer_map = OptimizerMap(SGD(), {"a": SGD(name="first")})
    with pytest.raises(ValueError, match="already maps 'a' to optimizer 'first'"):
        optimizer_map["a"] = SGD()
    with pytest.raises(TypeError, match="default_optimizer to be a lamina Optimizer"):
        OptimizerMap("adam")
    with pytest.raises(TypeError, match="optimizer_map to be a dict"):
        OptimizerMap(SGD(), [("a", SGD())])


def test_optimizer_map_config_round_trip():
    config = _encoder_adam_else_sgd().get_config()
    rebuilt = OptimizerMap.from_config(config)
    assert type(rebuilt.default_optimizer).__name__ == "SGD"
    assert type(rebuilt["encoder/x"]).__name__ == "Adam"
    assert rebuilt.get_config() == config


# ---------------------------------------------------------- MultiOptimizer


def test_multi_optimizer_routes_each_weight_to_its_optimizer():
    weights, grads = _weights(), _grads()
    optimizer = MultiOptimizer(_encoder_adam_else_sgd())
    optimizer.apply(grads, weights)
    reference = _weights()
    Adam(0.01).apply(grads[:2], reference[:2])
    SGD(0.1).apply(grads[2:], reference[2:])
    for ours, expected in zip(weights, reference, strict=True):
        assert torch.equal(ours.detach(), expected.detach())
    adam, sgd = optimizer.optimizers
    counts = [int(adam.iterations), int(sgd.iterations), int(optimizer.iterations)]
    assert counts == [1, 1, 1]


def test_multi_optimizer_with_a_callable():
    adam, sgd = Adam(name="a"), SGD(name="s")
    optimizer = MultiOptimizer(lambda v: adam if v.dim() == 2 else sgd)
    assert optimizer.optimizers == []
    optimizer.apply(_grads(), _weights())
    assert optimizer.optimizers == [adam, sgd]


def test_multi_optimizer_state_is_its_own_then_each_sub_optimizers():
    optimizer = MultiOptimizer(_encoder_adam_else_sgd())
    optimizer.build(_weights())
    shapes = [tuple(v.shape) for v in optimizer.variables]
    # own (iterations, rate); Adam (iterations, rate, m, v per weight); SGD.
    assert shapes == [(), (), (), (), (2, 2), (2, 2), (2,), (2,), (), ()]
    values = [np.full(shape, i, dtype=np.float32) for i, shape in enumerate(shapes)]
    optimizer.set_weights(values)
    for got, expected in zip(optimizer.get_weights(), values, strict=True):
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="has 10 state tensors"):
        optimizer.set_weights(values[:-1])


def test_multi_optimizer_save_and_load_own_variables():
    weights = _weights()
    optimizer = MultiOptimizer(_encoder_adam_else_sgd())
    optimizer.apply(_grads(), weights)
    store = {}
    optimizer.save_own_variables(store)
    assert len(store) == len(optimizer.variables)
    restored = MultiOptimizer(_encoder_adam_else_sgd())
    restored.build(weights)
    restored.load_own_variables(store)
    for a, b in zip(restored.variables, optimizer.variables, strict=True):
        assert torch.equal(a, b)
    with pytest.warns(UserWarning, match="has 10 state tensors .* the file holds 2"):
        restored.load_own_variables({"0": store["0"], "1": store["1"]})


def test_multi_optimizer_has_no_learning_rate():
    optimizer = MultiOptimizer(_encoder_adam_else_sgd(), name="multi")
    with pytest.raises(AttributeError, match=r"'multi' \(MultiOptimizer\) has no"):
        _ = optimizer.learning_rate
    with pytest.raises(AttributeError, match="Set it on the sub-optimizers"):
        optimizer.learning_rate = 0.1


def test_multi_optimizer_sets_loss_scale_factor_on_its_optimizers():
    optimizer = MultiOptimizer(_encoder_adam_else_sgd(), loss_scale_factor=4.0)
    assert [o.loss_scale_factor for o in optimizer.optimizers] == [4.0, 4.0]
    optimizer.loss_scale_factor = 2.0
    assert [o.loss_scale_factor for o in optimizer.optimizers] == [2.0, 2.0]
    assert float(optimizer.scale_loss(torch.tensor(1.5))) == 3.0
    weight = Variable(torch.zeros(1), name="kernel", path="decoder/kernel")
    optimizer.apply([torch.ones(1)], [weight])
    assert weight.tolist() == [pytest.approx(-0.05)]  # sgd step of 1 / 2.0


def test_multi_optimizer_skips_missing_gradients():
    weights = _weights()
    optimizer = MultiOptimizer(_encoder_adam_else_sgd())
    with pytest.warns(UserWarning, match="no gradient for weights"):
        optimizer.apply([None, None, torch.ones(3)], weights)
    assert weights[0].tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert int(optimizer.optimizers[0].iterations) == 0
    assert int(optimizer.optimizers[1].iterations) == 1


def test_multi_optimizer_rejects_unknown_weights_and_bad_maps():
    optimizer = MultiOptimizer(_encoder_adam_else_sgd())
    optimizer.build(_weights())
    with pytest.raises(ValueError, match="received a weight it does not know"):
        optimizer.apply([torch.ones(1)], [torch.nn.Parameter(torch.ones(1))])
    with pytest.raises(TypeError, match="optimizer_map to be an OptimizerMap"):
        MultiOptimizer({"a": SGD()})
    nested = MultiOptimizer(lambda v: MultiOptimizer(_encoder_adam_else_sgd()))
    with pytest.raises(ValueError, match="weight 'encoder/kernel'.*only plain"):
        nested.build(_weights())
    with pytest.raises(ValueError, match="needs the key 'optimizer_map'"):
        MultiOptimizer.from_config({})


def test_multi_optimizer_graph_update_equals_apply():
    eager_weights, graph_weights = _weights(), _weights()
    eager = MultiOptimizer(_encoder_adam_else_sgd())
    graph = MultiOptimizer(_encoder_adam_else_sgd())
    graph.build(graph_weights)
    for _ in range(2):
        eager.apply(_grads(), eager_weights)
        with torch.no_grad():
            graph._apply_update(_grads(), graph_weights)  # the compiled step's body
        graph._after_traced_update(True)
    for a, b in zip(eager_weights, graph_weights, strict=True):
        torch.testing.assert_close(a.detach(), b.detach())
    for a, b in zip(eager.variables, graph.variables, strict=True):
        torch.testing.assert_close(a, b)
    assert [o._host_iteration_count() for o in graph.optimizers] == [2, 2]


def test_multi_optimizer_finalizes_each_optimizers_averages():
    weights = _weights()
    averaged = Adam(0.5, use_ema=True, ema_momentum=0.5)
    optimizer = MultiOptimizer(OptimizerMap(SGD(0.1), {"encoder/.*": averaged}))
    for _ in range(2):
        optimizer.apply(_grads(), weights)
    decoder = weights[2].detach().clone()
    optimizer.finalize_variable_values(weights)
    averages = averaged.variables[2:4]  # after iterations and learning rate
    assert torch.equal(weights[0].detach(), averages[0])
    assert torch.equal(weights[2].detach(), decoder)


def test_multi_optimizer_trains_a_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = lamina.Sequential(
        [
            lamina.layers.Input((4,)),
            lamina.layers.Dense(8, name="encoder"),
            lamina.layers.Dense(1, name="head"),
        ]
    )
    adam, sgd = Adam(0.01), SGD(0.01)
    model.compile(
        optimizer=MultiOptimizer(OptimizerMap(sgd, {".*encoder/.*": adam})), loss="mse"
    )
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
    assert int(adam.iterations) == int(sgd.iterations) == 8
    assert [len(adam.variables), len(sgd.variables)] == [6, 2]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_multi_optimizer_apply_on_cuda_never_synchronizes():
    weights = [
        Variable(w.detach().cuda(), name=w.name, path=w.path) for w in _weights()
    ]
    grads = [g.cuda() for g in _grads()]
    optimizer = MultiOptimizer(_encoder_adam_else_sgd())
    optimizer.apply(grads, weights)
    torch.cuda.set_sync_debug_mode("error")
    try:
        optimizer.apply(grads, weights)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    assert all(v.device.type == "cuda" for v in optimizer.variables)
