"""Optimizers and schedules against real Keras 3: same weights, same steps."""

import numpy as np
import pytest
import torch

import lamina.optimizers

SHAPES = [(3, 4), (4,), (2, 3, 2)]
STEPS = 5


def _initial_and_grads(seed: int = 0):
    rng = np.random.default_rng(seed)
    initial = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [
        [rng.normal(size=s).astype("float32") for s in SHAPES] for _ in range(STEPS)
    ]
    return initial, grads


def _plain(lib, name, **kwargs):
    return lambda: getattr(lib.optimizers, name)(**kwargs)


def _schedule(lib, name, schedule, **kwargs):
    def make():
        schedule_cls = getattr(lib.optimizers.schedules, schedule[0])
        return getattr(lib.optimizers, name)(
            learning_rate=schedule_cls(**schedule[1]), **kwargs
        )

    return make


CASES = {
    "sgd": ("SGD", {}),
    "sgd_momentum": ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "adam": ("Adam", {"learning_rate": 0.01}),
    "adam_amsgrad": ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
    "adam_weight_decay": ("Adam", {"weight_decay": 0.1, "learning_rate": 0.05}),
    "adam_clipnorm": ("Adam", {"clipnorm": 0.5}),
    "adam_clipvalue": ("Adam", {"clipvalue": 0.3}),
    "adam_global_clipnorm": ("Adam", {"global_clipnorm": 1.0}),
    "adamw": ("AdamW", {"learning_rate": 0.01}),
    "adamw_amsgrad": ("AdamW", {"weight_decay": 0.1, "amsgrad": True}),
    "rmsprop": ("RMSprop", {"learning_rate": 0.01}),
    "rmsprop_momentum": ("RMSprop", {"momentum": 0.5}),
    "rmsprop_centered": ("RMSprop", {"centered": True, "momentum": 0.3}),
    "adagrad": ("Adagrad", {"learning_rate": 0.1}),
    "adadelta": ("Adadelta", {"learning_rate": 1.0}),
    "adamax": ("Adamax", {"learning_rate": 0.01}),
    "nadam": ("Nadam", {"learning_rate": 0.01}),
    "ftrl": ("Ftrl", {"learning_rate": 0.1}),
    "ftrl_regularized": (
        "Ftrl",
        {
            "learning_rate": 0.1,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.02,
            "l2_shrinkage_regularization_strength": 0.03,
            "beta": 0.1,
            "learning_rate_power": -0.3,
        },
    ),
    "lion": ("Lion", {"learning_rate": 0.01}),
    "adafactor": ("Adafactor", {"learning_rate": 0.1}),
    "adam_ema": ("Adam", {"use_ema": True, "ema_overwrite_frequency": 2}),
    "sgd_accumulation": (
        "SGD",
        {"momentum": 0.5, "gradient_accumulation_steps": 2},
    ),
    "adam_loss_scale_factor": ("Adam", {"loss_scale_factor": 4.0}),
}

SCHEDULE_CASES = {
    "sgd_exponential": (
        "SGD",
        (
            "ExponentialDecay",
            {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5},
        ),
        {"momentum": 0.9},
    ),
    "adam_cosine_warmup": (
        "Adam",
        (
            "CosineDecay",
            {
                "initial_learning_rate": 0.0,
                "decay_steps": 3,
                "warmup_target": 0.1,
                "warmup_steps": 2,
            },
        ),
        {},
    ),
    "adafactor_piecewise": (
        "Adafactor",
        ("PiecewiseConstantDecay", {"boundaries": [1, 3], "values": [0.1, 0.05, 0.01]}),
        {},
    ),
}


def _run_lamina(make_optimizer, initial, grads):
    weights = [torch.nn.Parameter(torch.tensor(w)) for w in initial]
    optimizer = make_optimizer()
    history = []
    for step_grads in grads:
        optimizer.apply_gradients(
            zip([torch.tensor(g) for g in step_grads], weights, strict=True)
        )
        history.append([w.detach().numpy().copy() for w in weights])
    return optimizer, history


def _run_keras(keras, make_optimizer, initial, grads):
    weights = [keras.Variable(w) for w in initial]
    optimizer = make_optimizer()
    history = []
    for step_grads in grads:
        optimizer.apply_gradients(
            zip([torch.tensor(g) for g in step_grads], weights, strict=True)
        )
        history.append([np.array(w.numpy()) for w in weights])
    return optimizer, history


def _assert_same_run(keras, lamina_make, keras_make, compare_state=True):
    initial, grads = _initial_and_grads()
    ours, our_history = _run_lamina(lamina_make, initial, grads)
    theirs, their_history = _run_keras(keras, keras_make, initial, grads)
    for step, (mine, reference) in enumerate(
        zip(our_history, their_history, strict=True)
    ):
        for a, b in zip(mine, reference, strict=True):
            # Adam runs through PyTorch's fused kernel, which rounds in another
            # order than Keras's element-wise formula: a few ulp per step.
            np.testing.assert_allclose(a, b, atol=5e-6, rtol=1e-5, err_msg=f"{step=}")
    if not compare_state:
        return
    our_state = [np.asarray(v.detach().cpu().numpy()) for v in ours.variables]
    their_state = [np.asarray(v.numpy()) for v in theirs.variables]
    assert [s.shape for s in our_state] == [s.shape for s in their_state]
    for a, b in zip(our_state, their_state, strict=True):
        np.testing.assert_allclose(
            a.astype("float64"), b.astype("float64"), atol=1e-6, rtol=1e-5
        )


@pytest.mark.parametrize("case", sorted(CASES))
def test_optimizer_matches_keras(keras, case):
    name, kwargs = CASES[case]
    _assert_same_run(
        keras, _plain(lamina, name, **kwargs), _plain(keras, name, **kwargs)
    )


@pytest.mark.parametrize("case", sorted(SCHEDULE_CASES))
def test_optimizer_with_schedule_matches_keras(keras, case):
    name, schedule, kwargs = SCHEDULE_CASES[case]
    _assert_same_run(
        keras,
        _schedule(lamina, name, schedule, **kwargs),
        _schedule(keras, name, schedule, **kwargs),
    )


def test_keras2_decay_matches_inverse_time_schedule(keras):
    schedule = (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.5},
    )
    _assert_same_run(
        keras,
        lambda: lamina.optimizers.SGD(lr=0.1, decay=0.5, momentum=0.9),
        _schedule(keras, "SGD", schedule, momentum=0.9),
        compare_state=False,
    )


def test_loss_scale_optimizer_matches_keras(keras):
    _assert_same_run(
        keras,
        lambda: lamina.optimizers.LossScaleOptimizer(
            lamina.optimizers.Adam(), initial_scale=8.0, dynamic_growth_steps=2
        ),
        lambda: keras.optimizers.LossScaleOptimizer(
            keras.optimizers.Adam(), initial_scale=8.0, dynamic_growth_steps=2
        ),
    )


OPTIMIZER_NAMES = [
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
]


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_default_config_equals_keras(keras, name):
    ours = getattr(lamina.optimizers, name)(name="opt").get_config()
    theirs = getattr(keras.optimizers, name)(name="opt").get_config()
    assert ours == theirs


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_keras_reads_lamina_config(keras, name):
    config = lamina.optimizers.serialize(getattr(lamina.optimizers, name)(name="x"))
    restored = keras.optimizers.deserialize(config)
    assert type(restored).__name__ == name
    assert restored.get_config()["name"] == "x"


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_lamina_reads_keras_config(keras, name):
    config = keras.optimizers.serialize(getattr(keras.optimizers, name)(name="x"))
    restored = lamina.optimizers.deserialize(config)
    assert type(restored).__name__ == name


def test_default_names_follow_keras(keras):
    assert lamina.optimizers.RMSprop().name.startswith("rm_sprop")
    assert lamina.optimizers.AdamW().name.startswith("adam_w")


SCHEDULES = [
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.8},
    ),
    (
        "ExponentialDecay",
        {
            "initial_learning_rate": 0.1,
            "decay_steps": 7,
            "decay_rate": 0.8,
            "staircase": True,
        },
    ),
    (
        "PiecewiseConstantDecay",
        {"boundaries": [5, 20, 50], "values": [1.0, 0.5, 0.25, 0.1]},
    ),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 30}),
    (
        "PolynomialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 30, "power": 2.0, "cycle": True},
    ),
    (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.5},
    ),
    (
        "InverseTimeDecay",
        {
            "initial_learning_rate": 0.1,
            "decay_steps": 4,
            "decay_rate": 0.5,
            "staircase": True,
        },
    ),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 40, "alpha": 0.1}),
    (
        "CosineDecay",
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 40,
            "warmup_target": 0.2,
            "warmup_steps": 10,
        },
    ),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10}),
    (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 10,
            "t_mul": 1.0,
            "m_mul": 0.5,
            "alpha": 0.05,
        },
    ),
]


@pytest.mark.parametrize("index", range(len(SCHEDULES)))
def test_schedule_values_equal_keras(keras, index):
    name, kwargs = SCHEDULES[index]
    ours = getattr(lamina.optimizers.schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    for step in (0, 1, 3, 5, 9, 10, 11, 25, 40, 55, 100):
        ours_value = float(ours(torch.tensor(step, dtype=torch.int64)))
        their_value = float(theirs(step))
        assert ours_value == pytest.approx(their_value, abs=1e-7), step
    assert ours.get_config() == theirs.get_config()
    config = lamina.optimizers.schedules.serialize(ours)
    assert config == keras.optimizers.schedules.serialize(theirs)
