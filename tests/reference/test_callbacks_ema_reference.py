"""Weight EMA (`use_ema=True`) and `SwapEMAWeights` against real Keras 3."""

import numpy as np
import pytest
import torch

import lamina

SHAPES = [(3, 2), (2,)]
STEPS = 7

CASES = {
    "sgd": ("SGD", {"learning_rate": 0.1}),
    "sgd_momentum_0.5": ("SGD", {"momentum": 0.9, "ema_momentum": 0.5}),
    "adam": ("Adam", {"learning_rate": 0.01}),
    "adam_overwrite_3": ("Adam", {"ema_overwrite_frequency": 3}),
    "rmsprop_overwrite_1": (
        "RMSprop",
        {"ema_momentum": 0.8, "ema_overwrite_frequency": 1},
    ),
}


def _initial_and_grads():
    rng = np.random.default_rng(0)
    initial = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [
        [rng.normal(size=s).astype("float32") for s in SHAPES] for _ in range(STEPS)
    ]
    return initial, grads


def _numpy(value):
    """A lamina tensor or a Keras variable as a NumPy copy."""
    if isinstance(value, torch.Tensor):
        return value.detach().numpy().copy()
    return np.array(value.numpy())


def _steps(optimizer, weights, grads):
    """Applies the gradients; returns the averages and weights after each step."""
    trace = []
    for step_grads in grads:
        optimizer.apply_gradients(
            zip([torch.tensor(g) for g in step_grads], weights, strict=True)
        )
        averages = optimizer._model_variables_moving_average
        trace.append([_numpy(v) for v in [*averages, *weights]])
    return trace


@pytest.mark.parametrize("case", sorted(CASES))
def test_ema_averages_match_keras(keras, case):
    name, kwargs = CASES[case]
    initial, grads = _initial_and_grads()
    ours = _steps(
        getattr(lamina.optimizers, name)(use_ema=True, **kwargs),
        [torch.nn.Parameter(torch.tensor(w)) for w in initial],
        grads,
    )
    theirs = _steps(
        getattr(keras.optimizers, name)(use_ema=True, **kwargs),
        [keras.Variable(w) for w in initial],
        grads,
    )
    for step, (mine, reference) in enumerate(zip(ours, theirs, strict=True)):
        for a, b in zip(mine, reference, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=2e-6, err_msg=f"{step=}")


def _data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.1
    return x, y


def _model(lib):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
    optimizer = lib.optimizers.SGD(learning_rate=0.05, use_ema=True, ema_momentum=0.7)
    model.compile(optimizer=optimizer, loss="mse")
    return model


def _fit(model, callback):
    x, y = _data()
    history = model.fit(
        x,
        y,
        batch_size=8,
        epochs=3,
        validation_data=(x, y),
        shuffle=False,
        verbose=0,
        callbacks=[callback],
    )
    return history.history


def _runs(keras, swap_on_epoch):
    """Keras and lamina fit the same model from the same weights."""
    keras.utils.set_random_seed(0)
    keras_model = _model(keras)
    model = _model(lamina)
    model.set_weights(keras_model.get_weights())
    keras_history = _fit(keras_model, keras.callbacks.SwapEMAWeights(swap_on_epoch))
    history = _fit(model, lamina.callbacks.SwapEMAWeights(swap_on_epoch))
    return (model, history), (keras_model, keras_history)


def _averages(model):
    return [_numpy(a) for a in model.optimizer._model_variables_moving_average]


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_swap_ema_weights_fit_matches_keras(keras, swap_on_epoch):
    (model, history), (keras_model, keras_history) = _runs(keras, swap_on_epoch)
    assert sorted(history) == sorted(keras_history) == ["loss", "val_loss"]
    for key in history:
        np.testing.assert_allclose(history[key], keras_history[key], rtol=1e-5)
    for a, b in zip(_averages(model), _averages(keras_model), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_fit_ends_with_ema_weights_as_keras(keras, swap_on_epoch):
    """Keras's fit ends by copying the averages into the model."""
    (model, _), (keras_model, _) = _runs(keras, swap_on_epoch)
    for a, b in zip(model.get_weights(), keras_model.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
