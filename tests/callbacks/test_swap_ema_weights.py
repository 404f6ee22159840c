"""`SwapEMAWeights`: evaluation sees the optimizer's moving averages."""

import numpy as np
import pytest

import lamina
from lamina.callbacks.swap_ema_weights import SwapEMAWeights


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")
    return x, y


def _model(optimizer=None):
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
    optimizer = optimizer or lamina.optimizers.SGD(
        learning_rate=0.1, use_ema=True, ema_momentum=0.5
    )
    model.compile(optimizer=optimizer, loss="mse")
    return model


def _fit(model, callbacks, epochs=3, **kwargs):
    x, y = _data()
    return model.fit(
        x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0,
        callbacks=callbacks, **kwargs,
    )  # fmt: skip


def _averages(model):
    optimizer = model.optimizer
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    return [
        a.detach().numpy().copy() for a in optimizer._model_variables_moving_average
    ]


def _weights(model):
    # Copies: lamina's get_weights() returns arrays that share the weights'
    # memory on CPU (Keras returns copies).
    return [w.copy() for w in model.get_weights()]


def _evaluate_with(model, weights):
    """The loss of `model` with `weights`, its own weights left as they were."""
    x, y = _data()
    kept = _weights(model)
    model.set_weights(weights)
    loss = model.evaluate(x, y, verbose=0)
    model.set_weights(kept)
    return loss


class _Probe(lamina.callbacks.Callback):
    """Records the weights validation runs with, and those after it."""

    def on_test_begin(self, logs=None):
        self.during_validation = _weights(self.model)

    def on_epoch_end(self, epoch, logs=None):
        self.after_validation = _weights(self.model)
        self.averages = _averages(self.model)


def test_swap_ema_weights_validation_uses_averages():
    model = _model()
    x, y = _data()
    probe = _Probe()
    history = _fit(model, [SwapEMAWeights(), probe], epochs=1, validation_data=(x, y))
    for a, b in zip(probe.during_validation, probe.averages, strict=True):
        np.testing.assert_array_equal(a, b)
    trained = probe.after_validation
    assert not np.allclose(trained[0], probe.averages[0])  # swapped back
    val_loss = history.history["val_loss"][0]
    assert val_loss == pytest.approx(_evaluate_with(model, probe.averages), rel=1e-6)


def test_swap_ema_weights_evaluate_swaps_back():
    model = _model()
    _fit(model, [])
    weights, averages = _weights(model), _averages(model)
    x, y = _data()
    loss = model.evaluate(x, y, verbose=0, callbacks=[SwapEMAWeights()])
    assert loss == pytest.approx(_evaluate_with(model, averages), rel=1e-6)
    for a, b in zip(
        model.get_weights() + _averages(model), weights + averages, strict=True
    ):
        np.testing.assert_array_equal(a, b)


def test_swap_ema_weights_predict_swaps_back():
    model = _model()
    _fit(model, [])
    weights, averages = _weights(model), _averages(model)
    x, _ = _data()
    predictions = model.predict(x, verbose=0, callbacks=[SwapEMAWeights()])
    model.set_weights(averages)
    np.testing.assert_allclose(predictions, model.predict(x, verbose=0), rtol=1e-6)
    model.set_weights(weights)  # what predict must have left in place
    for a, b in zip(_averages(model), averages, strict=True):
        np.testing.assert_array_equal(a, b)


def test_swap_ema_weights_on_epoch_shows_averages_to_later_callbacks():
    seen = []
    probe = lamina.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(_weights(model))
    )
    reference = _model()
    _fit(reference, [], epochs=2)
    model = _model()
    _fit(model, [SwapEMAWeights(swap_on_epoch=True), probe], epochs=2)
    # Training went on from the trained weights, not the averages: at the
    # end both runs hold the same averages, and the last probe saw them.
    for a, b in zip(seen[-1], _averages(reference), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    for a, b in zip(_averages(model), _averages(reference), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_swap_ema_weights_with_loss_scale_optimizer():
    inner = lamina.optimizers.SGD(learning_rate=0.1, use_ema=True)
    model = _model(lamina.optimizers.LossScaleOptimizer(inner))
    x, y = _data()
    history = _fit(model, [SwapEMAWeights()], epochs=1, validation_data=(x, y))
    val_loss = history.history["val_loss"][0]
    assert val_loss == pytest.approx(_evaluate_with(model, _averages(model)), rel=1e-6)


def test_swap_ema_weights_needs_use_ema():
    model = _model(lamina.optimizers.SGD())
    with pytest.raises(ValueError, match="use_ema=True"):
        _fit(model, [SwapEMAWeights()])


def test_swap_ema_weights_needs_a_trained_optimizer():
    model = _model()
    x, y = _data()
    with pytest.raises(ValueError, match="not built yet"):
        model.evaluate(x, y, verbose=0, callbacks=[SwapEMAWeights()])
