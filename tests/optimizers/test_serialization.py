"""`get`, `serialize` and `deserialize` for optimizers."""

import pytest

import lamina.optimizers
from lamina.optimizers import deserialize
from lamina.optimizers import get
from lamina.optimizers import schedules
from lamina.optimizers import serialize

NAMES = {
    "sgd": "SGD",
    "adam": "Adam",
    "adamw": "AdamW",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
    "adadelta": "Adadelta",
    "adamax": "Adamax",
    "nadam": "Nadam",
    "ftrl": "Ftrl",
    "lion": "Lion",
    "adafactor": "Adafactor",
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_get_resolves_string_names(name):
    assert type(get(name)).__name__ == NAMES[name]
    assert type(get(name.upper())).__name__ == NAMES[name]


def test_get_unknown_name_lists_available():
    with pytest.raises(ValueError, match="Unknown optimizer 'adamm'.*adam, adamax"):
        get("adamm")


def test_get_returns_instances_and_none_unchanged():
    optimizer = lamina.optimizers.SGD()
    assert get(optimizer) is optimizer
    assert get(None) is None
    with pytest.raises(ValueError, match="Could not interpret optimizer"):
        get(3)


def test_serialize_round_trip_with_schedule():
    schedule = schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=5)
    optimizer = lamina.optimizers.Adam(learning_rate=schedule, amsgrad=True)
    config = serialize(optimizer)
    assert config["module"] == "keras.optimizers"
    assert config["registered_name"] is None
    restored = deserialize(config)
    assert restored.get_config() == optimizer.get_config()


def test_deserialize_keras2_config():
    config = {
        "class_name": "Adam",
        "config": {
            "name": "Adam",
            "learning_rate": 0.002,
            "decay": 0.0,
            "beta_1": 0.9,
            "beta_2": 0.999,
            "epsilon": 1e-07,
            "amsgrad": False,
            "jit_compile": False,
            "is_legacy_optimizer": False,
        },
    }
    optimizer = deserialize(config)
    assert float(optimizer.learning_rate) == pytest.approx(0.002)
    assert optimizer.decay == 0.0


def test_deserialize_keras2_lr_key():
    optimizer = deserialize({"class_name": "SGD", "config": {"lr": 0.3, "decay": 0.1}})
    assert float(optimizer.lr) == pytest.approx(0.3)
    assert optimizer.decay == pytest.approx(0.1)


def test_deserialize_custom_object():
    class MySGD(lamina.optimizers.SGD):
        pass

    config = serialize(MySGD())
    assert config["registered_name"] == "MySGD"
    assert type(deserialize(config, custom_objects={"MySGD": MySGD})) is MySGD


def test_loss_scale_optimizer_round_trip():
    optimizer = lamina.optimizers.LossScaleOptimizer(lamina.optimizers.SGD(0.5))
    restored = deserialize(serialize(optimizer))
    assert type(restored.inner_optimizer).__name__ == "SGD"
    assert float(restored.learning_rate) == pytest.approx(0.5)
