"""Unit tests of lamina.losses: stability, errors, reductions, serialization."""

import pytest
import torch

import lamina.losses as losses
from lamina.losses._lookup import ALL_OBJECTS


def _softmax_with_logits(logits):
    probs = torch.softmax(logits, dim=-1)
    probs._lamina_logits = logits
    return probs


def _sigmoid_with_logits(logits):
    probs = torch.sigmoid(logits)
    probs._lamina_logits = logits
    return probs


def test_categorical_crossentropy_uses_attached_logits_for_extreme_values():
    logits = torch.tensor([[100.0, -100.0, 0.0]], requires_grad=True)
    y_true = torch.tensor([[0.0, 1.0, 0.0]])
    loss = losses.CategoricalCrossentropy()(y_true, _softmax_with_logits(logits))
    loss.backward()
    assert torch.isfinite(loss) and float(loss.detach()) == pytest.approx(200.0)
    assert torch.isfinite(logits.grad).all() and logits.grad.abs().sum() > 0


def test_categorical_crossentropy_probability_path_saturates_without_logits():
    logits = torch.tensor([[100.0, -100.0, 0.0]], requires_grad=True)
    y_true = torch.tensor([[0.0, 1.0, 0.0]])
    probs = torch.softmax(logits, dim=-1)  # no attached logits: Keras's clipping
    loss = losses.CategoricalCrossentropy()(y_true, probs)
    loss.backward()
    assert float(loss) == pytest.approx(16.118, abs=1e-3)  # -log(1e-7)
    assert float(logits.grad.abs().sum()) == 0.0


def test_sparse_crossentropy_uses_attached_logits_for_extreme_values():
    logits = torch.tensor([[100.0, -100.0]], requires_grad=True)
    loss = losses.sparse_categorical_crossentropy([1], _softmax_with_logits(logits))
    loss.sum().backward()
    assert float(loss) == pytest.approx(200.0)
    assert torch.isfinite(logits.grad).all()


def test_binary_crossentropy_uses_attached_logits_for_extreme_values():
    logits = torch.tensor([[100.0], [-100.0]], requires_grad=True)
    loss = losses.BinaryCrossentropy()([[0.0], [1.0]], _sigmoid_with_logits(logits))
    loss.backward()
    assert float(loss) == pytest.approx(100.0)
    assert torch.isfinite(logits.grad).all() and logits.grad.abs().sum() > 0


def test_binary_crossentropy_ignores_logits_of_a_softmax():
    logits = torch.tensor([[2.0, -1.0]], requires_grad=True)
    probs = _softmax_with_logits(logits)
    expected = losses.binary_crossentropy([[1.0, 0.0]], probs.detach())
    got = losses.binary_crossentropy([[1.0, 0.0]], probs)
    assert torch.allclose(got, expected)


def test_logits_path_agrees_with_probability_path_on_normal_values():
    logits = torch.randn(5, 4, requires_grad=True)
    y_true = torch.eye(4)[torch.tensor([0, 1, 2, 3, 0])]
    stable = losses.categorical_crossentropy(y_true, _softmax_with_logits(logits))
    plain = losses.categorical_crossentropy(y_true, torch.softmax(logits, -1).detach())
    assert torch.allclose(stable, plain, atol=1e-5)


def test_categorical_crossentropy_names_sparse_loss_for_integer_labels():
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        losses.CategoricalCrossentropy()(torch.tensor([1, 2]), torch.rand(2, 3))


def test_sparse_crossentropy_names_categorical_loss_for_one_hot_labels():
    with pytest.raises(ValueError, match="use categorical_crossentropy"):
        losses.sparse_categorical_crossentropy(torch.eye(3), torch.rand(3, 3))


def test_sparse_crossentropy_rejects_label_out_of_range():
    with pytest.raises(ValueError, match="smaller than the number of model outputs"):
        losses.sparse_categorical_crossentropy([5], torch.rand(1, 3))


def test_loss_names_shapes_that_cannot_broadcast():
    with pytest.raises(ValueError, match=r"Loss 'mean_squared_error'.*\(2, 3\)"):
        losses.MeanSquaredError()(torch.zeros(2, 3), torch.zeros(2, 4))


def test_loss_rejects_unknown_reduction():
    with pytest.raises(ValueError, match="reduction='average'"):
        losses.MeanSquaredError(reduction="average")


def test_loss_accepts_keras2_auto_reduction():
    assert losses.MeanSquaredError(reduction="auto").reduction == "sum_over_batch_size"


def test_loss_rejects_sample_weight_of_wrong_shape():
    with pytest.raises(ValueError, match="sample_weight of shape"):
        losses.MeanSquaredError()(torch.zeros(4, 2), torch.ones(4, 2), [1.0, 2.0, 3.0])


def test_loss_reductions():
    y_true, y_pred = torch.zeros(2, 1), torch.tensor([[1.0], [3.0]])
    weight = torch.tensor([1.0, 3.0])
    assert float(losses.MeanAbsoluteError()(y_true, y_pred)) == 2.0
    assert float(losses.MeanAbsoluteError(reduction="sum")(y_true, y_pred)) == 4.0
    none = losses.MeanAbsoluteError(reduction=None)(y_true, y_pred)
    assert none.tolist() == [1.0, 3.0]
    weighted = losses.MeanAbsoluteError(reduction="mean_with_sample_weight")
    assert float(weighted(y_true, y_pred, weight)) == pytest.approx(2.5)


def test_get_unknown_loss_lists_available_names():
    with pytest.raises(ValueError, match="Available losses:.*mean_squared_error"):
        losses.get("mean_sqared_error")


def test_get_resolves_names_classes_and_functions():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("huber_loss") is losses.huber
    assert isinstance(losses.get("Huber"), losses.Huber)
    assert losses.get(None) is None
    custom = losses.Huber(delta=3.0)
    assert losses.get(custom) is custom


@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name, obj in ALL_OBJECTS.items()
        if isinstance(obj, type) and name not in ("Loss", "LossFunctionWrapper")
    ),
)
def test_loss_config_round_trip(name):
    loss = ALL_OBJECTS[name]()
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert type(rebuilt) is type(loss)
    assert rebuilt.get_config() == loss.get_config()


def test_loss_function_wrapper_config_round_trip():
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", delta=2.0)
    rebuilt = losses.LossFunctionWrapper.from_config(wrapper.get_config())
    assert rebuilt.fn is losses.huber
    assert rebuilt._fn_kwargs == {"delta": 2.0}


def test_deserialize_accepts_keras2_config():
    config = {"class_name": "BinaryCrossentropy", "config": {"reduction": "auto"}}
    assert isinstance(losses.deserialize(config), losses.BinaryCrossentropy)


def test_deserialize_never_imports_named_module():
    config = {
        "module": "os",
        "class_name": "system",
        "config": {},
        "registered_name": "system",
    }
    with pytest.raises(ValueError, match="Unknown name 'system'"):
        losses.deserialize(config)


def test_custom_loss_from_custom_objects():
    class Twice(losses.Loss):
        def call(self, y_true, y_pred):
            return 2 * (y_true - y_pred).abs().mean(dim=-1)

    config = losses.serialize(Twice(name="twice"))
    rebuilt = losses.deserialize(config, custom_objects={"Twice": Twice})
    assert float(rebuilt(torch.zeros(1, 2), torch.ones(1, 2))) == 2.0


def test_loss_call_does_not_sync_with_host(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("host sync")

    monkeypatch.setattr(torch.Tensor, "item", forbidden)
    monkeypatch.setattr(torch.Tensor, "__bool__", forbidden)
    logits = torch.randn(8, 5)
    labels = torch.randint(0, 5, (8,))
    losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)
    losses.CategoricalCrossentropy()(torch.eye(5)[labels], torch.softmax(logits, -1))
    losses.BinaryCrossentropy()(torch.rand(8, 5).round(), torch.rand(8, 5))
    losses.Hinge()(torch.rand(8, 5).round(), logits)
