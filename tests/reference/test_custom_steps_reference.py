"""Keras 3's "customize fit() with PyTorch" and "training loop from scratch"
programs give the same numbers in lamina and in real Keras 3."""

import numpy as np
import pytest
import torch


def guide_model_class(library):
    """The guide's model: Model(inputs, outputs) with its own train_step."""

    class CustomModel(library.Model):
        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    return CustomModel


def tracker_model_class(library):
    """The guide's second model: metrics kept as attributes, no compiled loss."""

    class TrackerModel(library.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = library.metrics.Mean(name="loss")
            self.mae_metric = library.metrics.MeanAbsoluteError(name="mae")
            self.loss_fn = library.losses.MeanSquaredError()

        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            self.loss_tracker.update_state(self.loss_fn(y, y_pred))
            self.mae_metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    return TrackerModel


def build(library, model_class, seed_weights=None):
    inputs = library.Input(shape=(8,))
    hidden = library.layers.Dense(16, activation="relu")(inputs)
    model = model_class(library)(inputs, library.layers.Dense(1)(hidden))
    if seed_weights is not None:
        model.set_weights(seed_weights)
    return model


def regression_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 8), dtype=np.float32)
    y = (x @ rng.random((8, 1), dtype=np.float32)).astype("float32")
    return x, y


def assert_histories_close(history, expected):
    assert set(history) == set(expected)
    for name, values in expected.items():
        np.testing.assert_allclose(history[name], values, rtol=2e-4, atol=1e-6)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_guide_train_step_with_compiled_loss_and_metrics(keras, optimizer):
    import lamina

    x, y = regression_data()
    reference = build(keras, guide_model_class)
    model = build(lamina, guide_model_class, reference.get_weights())
    for m in (reference, model):
        m.compile(optimizer=optimizer, loss="mse", metrics=["mae"])

    expected = reference.fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    history = model.fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=0)

    assert_histories_close(history.history, expected.history)
    for got, want in zip(model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


def test_metrics_kept_as_attributes_reset_each_epoch_and_validate(keras):
    import lamina

    x, y = regression_data()
    reference = build(keras, tracker_model_class)
    model = build(lamina, tracker_model_class, reference.get_weights())
    for m in (reference, model):
        m.compile(optimizer="adam")

    kwargs = {"epochs": 2, "batch_size": 32, "shuffle": False, "verbose": 0}
    expected = reference.fit(x, y, validation_data=(x, y), **kwargs)
    history = model.fit(x, y, validation_data=(x, y), **kwargs)

    assert_histories_close(history.history, expected.history)
    got = model.evaluate(x, y, return_dict=True, verbose=0)
    want = reference.evaluate(x, y, return_dict=True, verbose=0)
    assert got == pytest.approx(want, rel=1e-4)


def test_training_loop_from_scratch_matches_keras(keras):
    import lamina

    x, y = regression_data(n=128)
    histories = {}
    weights = None
    for library in (keras, lamina):
        model = library.Sequential(
            [
                library.Input(shape=(8,)),
                library.layers.Dense(16, activation="relu"),
                library.layers.Dense(1),
            ]
        )
        if weights is None:
            weights = model.get_weights()
        model.set_weights(weights)
        optimizer = library.optimizers.Adam(learning_rate=1e-2)
        loss_fn = library.losses.MeanSquaredError()
        metric = library.metrics.MeanAbsoluteError()
        losses = []
        for start in range(0, len(x), 32):
            xb = torch.from_numpy(x[start : start + 32])
            yb = torch.from_numpy(y[start : start + 32])
            loss = loss_fn(yb, model(xb, training=True))
            model.zero_grad()
            loss.backward()
            trainable = [v for v in model.trainable_weights]
            with torch.no_grad():
                optimizer.apply([v.value.grad for v in trainable], trainable)
            metric.update_state(yb, model(xb))
            losses.append(float(loss.detach()))
        histories[library.__name__] = (losses, float(metric.result()))

    np.testing.assert_allclose(histories["lamina"][0], histories["keras"][0], rtol=1e-4)
    assert histories["lamina"][1] == pytest.approx(histories["keras"][1], rel=1e-4)
