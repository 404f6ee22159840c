"""Lamb, Muon, ScheduleFreeAdamW and MultiOptimizer against real Keras 3."""

import numpy as np
import pytest
import torch

import lamina.optimizers
from lamina.backend import Variable

STEPS = 5
# (name, shape): the names steer Muon (embeddings take its AdamW step) and
# MultiOptimizer (routing by path); the shapes cover wide, tall, 1-D and 3-D.
WEIGHTS = [
    ("encoder_kernel", (3, 4)),
    ("encoder_bias", (4,)),
    ("decoder_kernel", (6, 4)),
    ("embedding_table", (5, 3)),
    ("decoder_filter", (2, 3, 2)),
]


def _initial_and_grads(seed: int = 0):
    rng = np.random.default_rng(seed)
    initial = [rng.normal(size=shape).astype("float32") for _, shape in WEIGHTS]
    grads = [
        [rng.normal(size=shape).astype("float32") for _, shape in WEIGHTS]
        for _ in range(STEPS)
    ]
    return initial, grads


def _run(make_weights, optimizer, grads):
    weights = make_weights()
    history = []
    for step_grads in grads:
        optimizer.apply([torch.tensor(g) for g in step_grads], weights)
        history.append([_numpy(w) for w in weights])
    return history


def _numpy(variable):
    """A copy of a lamina (torch) or Keras variable's value."""
    if isinstance(variable, torch.Tensor):
        return variable.detach().cpu().numpy().copy()
    return np.array(variable.numpy())


def _lamina_weights(initial):
    return [
        Variable(torch.tensor(value), name=name, path=name)
        for (name, _), value in zip(WEIGHTS, initial, strict=True)
    ]


def _keras_weights(keras, initial):
    return [
        keras.Variable(value, name=name)
        for (name, _), value in zip(WEIGHTS, initial, strict=True)
    ]


def _assert_same_run(keras, ours, theirs, atol=1e-6):
    initial, grads = _initial_and_grads()
    our_history = _run(lambda: _lamina_weights(initial), ours, grads)
    their_history = _run(lambda: _keras_weights(keras, initial), theirs, grads)
    for step, (mine, reference) in enumerate(
        zip(our_history, their_history, strict=True)
    ):
        for a, b in zip(mine, reference, strict=True):
            np.testing.assert_allclose(a, b, atol=atol, rtol=1e-5, err_msg=f"{step=}")
    _assert_same_state(ours.variables, theirs.variables, atol)


def _assert_same_state(our_variables, their_variables, atol):
    our_state = [_numpy(v) for v in our_variables]
    their_state = [_numpy(v) for v in their_variables]
    assert [s.shape for s in our_state] == [s.shape for s in their_state]
    for a, b in zip(our_state, their_state, strict=True):
        np.testing.assert_allclose(
            a.astype("float64"), b.astype("float64"), atol=atol, rtol=1e-5
        )


CASES = {
    "lamb": ("Lamb", {"learning_rate": 0.01}),
    "lamb_weight_decay": ("Lamb", {"weight_decay": 0.1, "beta_1": 0.8}),
    "lamb_clipnorm": ("Lamb", {"learning_rate": 0.05, "clipnorm": 0.5}),
    "muon": ("Muon", {"learning_rate": 0.01}),
    "muon_plain_momentum": (
        "Muon",
        {"nesterov": False, "rms_rate": None, "ns_steps": 3, "momentum": 0.8},
    ),
    "muon_excluded_layers": (
        "Muon",
        {
            "exclude_layers": ["decoder"],
            "exclude_embeddings": False,
            "adam_lr_ratio": 0.5,
            "weight_decay": 0.1,
            "adam_weight_decay": None,
        },
    ),
    "muon_accumulation": ("Muon", {"gradient_accumulation_steps": 2}),
    "schedule_free_adamw_first_step": ("ScheduleFreeAdamW", {"learning_rate": 0.05}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_optimizer_matches_keras(keras, case):
    name, kwargs = CASES[case]
    ours = getattr(lamina.optimizers, name)(**kwargs)
    theirs = getattr(keras.optimizers, name)(**kwargs)
    if name == "ScheduleFreeAdamW":
        # See test_schedule_free_adamw_matches_the_algorithm for later steps.
        initial, grads = _initial_and_grads()
        ours_history = _run(lambda: _lamina_weights(initial), ours, grads[:1])
        theirs_history = _run(lambda: _keras_weights(keras, initial), theirs, grads[:1])
        for a, b in zip(ours_history[0], theirs_history[0], strict=True):
            np.testing.assert_allclose(a, b, atol=1e-6, rtol=1e-5)
        _assert_same_state(ours.variables, theirs.variables, 1e-6)
        return
    _assert_same_run(keras, ours, theirs)


def _schedule_free_reference(initial, grads, lr, beta_1, beta_2, eps, stale_z):
    """Schedule-Free AdamW in float64. `stale_z=False` is the algorithm (and
    Keras on JAX/TensorFlow); `stale_z=True` reproduces Keras on torch, whose
    "momentum_old" aliases the momentum it updates in place."""
    y = initial.astype("float64")
    z, v = y.copy(), np.zeros_like(y)
    for t, g in enumerate(grads, start=1):
        z_old = z.copy()
        v = v + (g * g - v) * (1 - beta_2)
        z = z - lr * g / (np.sqrt(v / (1 - beta_2**t)) + eps)
        x = (y - (1 - beta_1) * (z if stale_z else z_old)) / beta_1
        x = (1 - 1 / t) * x + z / t
        y = (1 - beta_1) * z + beta_1 * x
    return y


def test_schedule_free_adamw_matches_the_algorithm(keras):
    rng = np.random.default_rng(1)
    initial = rng.normal(size=(4, 3)).astype("float32")
    grads = [rng.normal(size=(4, 3)).astype("float32") for _ in range(STEPS)]
    kwargs = {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99}
    expected = _schedule_free_reference(initial, grads, 0.05, 0.8, 0.99, 1e-8, False)
    ours = torch.nn.Parameter(torch.tensor(initial))
    optimizer = lamina.optimizers.ScheduleFreeAdamW(**kwargs)
    for g in grads:
        optimizer.apply([torch.tensor(g)], [ours])
    np.testing.assert_allclose(ours.detach().numpy(), expected, atol=1e-6, rtol=1e-5)
    # Keras 3.15 on torch recovers the average with the *updated* momentum (an
    # in-place aliasing bug); lamina follows the algorithm. If this starts
    # failing, Keras fixed it: compare with Keras directly in CASES instead.
    theirs = keras.Variable(initial)
    keras_optimizer = keras.optimizers.ScheduleFreeAdamW(**kwargs)
    for g in grads:
        keras_optimizer.apply([torch.tensor(g)], [theirs])
    stale = _schedule_free_reference(initial, grads, 0.05, 0.8, 0.99, 1e-8, True)
    np.testing.assert_allclose(theirs.numpy(), stale, atol=1e-6, rtol=1e-5)


def test_schedule_free_adamw_with_warmup_and_decay_matches_the_algorithm():
    initial = np.full((3,), 1.0, dtype="float32")
    grads = [np.full((3,), g, dtype="float32") for g in (0.5, -1.0, 2.0, 0.1)]
    optimizer = lamina.optimizers.ScheduleFreeAdamW(
        learning_rate=0.1, warmup_steps=3, weight_decay=0.5
    )
    weight = torch.nn.Parameter(torch.tensor(initial))
    for g in grads:
        optimizer.apply([torch.tensor(g)], [weight])
    y = initial.astype("float64")
    z, v = y.copy(), np.zeros_like(y)
    for t, g in enumerate(grads, start=1):
        lr = 0.1 * min(t / 3, 1.0)
        y = y * (1 - 0.5 * 0.1)  # decoupled decay with the base rate, as Keras
        x = (y - 0.1 * z) / 0.9
        v = v + (g * g - v) * 0.001
        z = z - lr * g / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        x = (1 - 1 / t) * x + z / t
        y = 0.1 * z + 0.9 * x
    np.testing.assert_allclose(weight.detach().numpy(), y, atol=1e-6, rtol=1e-5)


def _multi_optimizers(lib):
    optimizers = lib.optimizers
    return optimizers.MultiOptimizer(
        optimizers.OptimizerMap(
            optimizers.SGD(learning_rate=0.1, momentum=0.9, name="sgd"),
            {
                "encoder_.*": optimizers.Adam(learning_rate=0.01, name="adam"),
                "embedding_table": optimizers.Lamb(learning_rate=0.02, name="lamb"),
            },
        ),
        name="multi",
    )


def test_multi_optimizer_matches_keras(keras):
    _assert_same_run(keras, _multi_optimizers(lamina), _multi_optimizers(keras))


def test_multi_optimizer_with_a_callable_matches_keras(keras):
    def selector(lib):
        adam = lib.optimizers.Adam(learning_rate=0.01)
        sgd = lib.optimizers.SGD(learning_rate=0.1)
        return lambda variable: adam if "kernel" in variable.path else sgd

    ours = lamina.optimizers.MultiOptimizer(selector(lamina), loss_scale_factor=2.0)
    theirs = keras.optimizers.MultiOptimizer(selector(keras), loss_scale_factor=2.0)
    _assert_same_run(keras, ours, theirs)


# ----------------------------------------------------------------- configs

NAMES = ["Lamb", "Muon", "ScheduleFreeAdamW"]


@pytest.mark.parametrize("name", NAMES)
def test_default_config_equals_keras(keras, name):
    ours = getattr(lamina.optimizers, name)(name="opt").get_config()
    theirs = getattr(keras.optimizers, name)(name="opt").get_config()
    assert ours == theirs


def test_non_default_config_equals_keras(keras):
    kwargs = {"exclude_layers": ["head"], "rms_rate": None, "ns_steps": 3}
    ours = lamina.optimizers.Muon(name="m", **kwargs).get_config()
    assert ours == keras.optimizers.Muon(name="m", **kwargs).get_config()


@pytest.mark.parametrize("name", NAMES)
def test_from_config_round_trip(name):
    optimizer = getattr(lamina.optimizers, name)(learning_rate=0.02, name="x")
    rebuilt = type(optimizer).from_config(optimizer.get_config())
    assert rebuilt.get_config() == optimizer.get_config()


@pytest.mark.parametrize("name", NAMES)
def test_lamina_reads_keras_config(keras, name):
    config = getattr(keras.optimizers, name)(learning_rate=0.02).get_config()
    restored = getattr(lamina.optimizers, name).from_config(config)
    assert restored.get_config() == config


def _without_backend_modules(config):
    """Keras names its torch optimizers by backend module; lamina by the
    public one. Both load in either library, so compare without them."""
    if isinstance(config, dict):
        return {
            key: _without_backend_modules(value)
            for key, value in config.items()
            if key not in ("module", "registered_name")
        }
    return config


def test_multi_optimizer_config_equals_keras(keras):
    ours = _multi_optimizers(lamina).get_config()
    theirs = _multi_optimizers(keras).get_config()
    assert _without_backend_modules(ours) == _without_backend_modules(theirs)


def test_multi_optimizer_config_round_trips_through_keras(keras):
    config = lamina.optimizers.MultiOptimizer.from_config(
        _multi_optimizers(keras).get_config()
    ).get_config()
    restored = keras.optimizers.MultiOptimizer.from_config(config)
    assert [type(o).__name__ for o in restored.optimizers] == ["Adam", "Lamb", "SGD"]
    assert _without_backend_modules(restored.get_config()) == (
        _without_backend_modules(config)
    )


# --------------------------------------------------------------- registry


@pytest.mark.parametrize("name", ["Muon", "ScheduleFreeAdamW"])
def test_get_by_name_as_keras(keras, name):
    assert type(keras.optimizers.get(name.lower())).__name__ == name
    assert type(lamina.optimizers.get(name.lower())).__name__ == name
    assert type(lamina.optimizers.get(name)).__name__ == name


def test_lamb_by_name_although_keras_does_not_register_it(keras):
    # Keras 3.15 leaves Lamb out of its name registry (get("lamb") fails);
    # lamina resolves it, a superset that breaks no Keras program.
    with pytest.raises(ValueError, match="lamb"):
        keras.optimizers.get("lamb")
    assert type(lamina.optimizers.get("lamb")).__name__ == "Lamb"


@pytest.mark.parametrize("name", [*NAMES, "MultiOptimizer"])
def test_serialized_config_moves_both_ways(keras, name):
    if name == "MultiOptimizer":
        ours, theirs = _multi_optimizers(lamina), _multi_optimizers(keras)
    else:
        ours = getattr(lamina.optimizers, name)(learning_rate=0.03)
        theirs = getattr(keras.optimizers, name)(learning_rate=0.03)
    # What Keras runs on a saved file; keras.optimizers.deserialize itself
    # returns the string "Lamb" for a Lamb config, even Keras's own.
    in_keras = keras.saving.deserialize_keras_object(lamina.optimizers.serialize(ours))
    in_lamina = lamina.optimizers.deserialize(keras.optimizers.serialize(theirs))
    assert type(in_keras).__name__ == type(in_lamina).__name__ == name
    assert _without_backend_modules(in_lamina.get_config()) == (
        _without_backend_modules(theirs.get_config())
    )


def test_optimizer_map_serializes_as_keras(keras):
    ours = lamina.optimizers.serialize(_multi_optimizers(lamina))
    theirs = keras.optimizers.serialize(_multi_optimizers(keras))
    assert _without_backend_modules(ours) == _without_backend_modules(theirs)
    optimizer_map = ours["config"]["optimizer_map"]
    assert optimizer_map["class_name"] == "OptimizerMap"
    restored = lamina.optimizers.deserialize(optimizer_map)
    assert isinstance(restored, lamina.optimizers.OptimizerMap)


# ------------------------------------------------------------------- files


def _fit_multi_model(lib, x, y):
    model = lib.Sequential(
        [
            lib.layers.Input((4,)),
            lib.layers.Dense(3, name="encoder"),
            lib.layers.Dense(1, name="head"),
        ]
    )
    optimizers = lib.optimizers
    optimizer_map = optimizers.OptimizerMap(
        optimizers.SGD(0.01, momentum=0.9, name="sgd"),
        {".*encoder.*": optimizers.Adam(0.01, name="adam")},
    )
    model.compile(optimizer=optimizers.MultiOptimizer(optimizer_map), loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    return model


@pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer")
def test_multi_optimizer_state_moves_between_keras_files(keras, tmp_path):
    # Keras also writes each sub-optimizer's state in its own group and warns
    # that a lamina file lacks those; the full state it reads first is there.
    rng = np.random.default_rng(2)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    keras_model = _fit_multi_model(keras, x, y)
    keras_model.save(tmp_path / "keras.keras")
    in_lamina = lamina.saving.load_model(tmp_path / "keras.keras")
    assert [type(o).__name__ for o in in_lamina.optimizer.optimizers] == [
        "Adam",
        "SGD",
    ]
    _assert_same_state(
        in_lamina.optimizer.variables, keras_model.optimizer.variables, 0
    )
    lamina_model = _fit_multi_model(lamina, x, y)
    lamina_model.save(tmp_path / "lamina.keras")
    in_keras = keras.saving.load_model(tmp_path / "lamina.keras")
    _assert_same_state(
        lamina_model.optimizer.variables, in_keras.optimizer.variables, 0
    )
