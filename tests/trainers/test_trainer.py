import numpy as np
import pandas as pd
import pytest
import torch

import lamina
from lamina.callbacks import EarlyStopping
from lamina.callbacks import LambdaCallback
from lamina.layers import Dense
from lamina.utils import PyDataset


def regression_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0], "float32"))[:, None]
    return x, y


def linear_model(optimizer="adam"):
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([Dense(1, input_shape=(4,))])
    model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
    return model


def test_fit_returns_history_with_keras_keys_and_learns():
    x, y = regression_data()
    model = linear_model(lamina.optimizers.Adam(0.05))
    history = model.fit(
        x, y, epochs=20, batch_size=32, verbose=0, validation_split=0.25
    )
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert history.epoch == list(range(20))
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]


def test_evaluate_returns_scalar_list_or_dict():
    x, y = regression_data()
    model = linear_model()
    loss, mae = model.evaluate(x, y, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs == pytest.approx({"loss": loss, "mae": mae})
    lamina.utils.set_random_seed(0)
    plain = lamina.Sequential([Dense(1, input_shape=(4,))])
    plain.compile(optimizer="sgd", loss="mse")
    assert isinstance(plain.evaluate(x, y, verbose=0), float)


def test_fit_before_compile_says_to_compile():
    model = lamina.Sequential([Dense(1, input_shape=(4,))])
    with pytest.raises(RuntimeError, match="must be compiled"):
        model.fit(*regression_data(), verbose=0)


def test_fit_accepts_pandas_and_torch_tensors():
    x, y = regression_data()
    frame = pd.DataFrame(x, columns=list("abcd"))
    model = linear_model()
    model.fit(frame, pd.Series(y[:, 0]).to_frame(), epochs=1, verbose=0)
    model.fit(torch.from_numpy(x), torch.from_numpy(y), epochs=1, verbose=0)
    assert model.predict(frame, verbose=0).shape == (256, 1)


def test_fit_accepts_generator_pydataset_dataset_and_dataloader():
    x, y = regression_data()

    def batches():
        while True:
            for start in range(0, 256, 32):
                yield x[start : start + 32], y[start : start + 32]

    class Batches(PyDataset):
        def __len__(self):
            return 8

        def __getitem__(self, index):
            return x[index * 32 : (index + 1) * 32], y[index * 32 : (index + 1) * 32]

    dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    loader = torch.utils.data.DataLoader(dataset, batch_size=32)
    model = linear_model(lamina.optimizers.Adam(0.05))
    model.fit(batches(), steps_per_epoch=8, epochs=2, verbose=0)
    model.fit(Batches(workers=2), epochs=2, verbose=0)
    model.fit(dataset, batch_size=32, epochs=2, verbose=0)
    history = model.fit(loader, epochs=2, verbose=0)
    assert history.history["loss"][-1] < 5.0
    assert model.evaluate(loader, verbose=0)[0] == pytest.approx(
        model.evaluate(x, y, verbose=0)[0], rel=1e-4
    )


def test_fit_generator_is_the_keras2_alias():
    x, y = regression_data()

    def batches():
        while True:
            yield x[:32], y[:32]

    model = linear_model()
    with pytest.warns(UserWarning, match="fit_generator"):
        history = model.fit_generator(batches(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_sample_weight_zero_ignores_samples():
    x, y = regression_data(64)
    weights = np.zeros(64, "float32")
    weights[:32] = 1.0
    model = linear_model()
    weighted = model.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
    first_half = model.evaluate(x[:32], y[:32], verbose=0, return_dict=True)
    assert weighted["loss"] == pytest.approx(first_half["loss"] * 0.5, rel=1e-5)


def test_class_weight_scales_the_loss_of_a_class():
    x = np.ones((4, 4), "float32")
    y = np.array([0, 0, 1, 1])
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([Dense(2, activation="softmax", input_shape=(4,))])
    model.compile(
        optimizer=lamina.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy"
    )
    base = model.train_on_batch(x, y)
    doubled = model.train_on_batch(x, y, class_weight={0: 2.0, 1: 2.0})
    assert doubled == pytest.approx(2 * base, rel=1e-5)
    with pytest.raises(ValueError, match="no entry for class"):
        model.train_on_batch(x, y, class_weight={0: 1.0})


def test_early_stopping_stops_fit():
    x, y = regression_data()
    model = linear_model(lamina.optimizers.SGD(0.0))
    stopper = EarlyStopping(monitor="loss", patience=2, min_delta=1e-3)
    history = model.fit(x, y, epochs=50, callbacks=[stopper], verbose=0)
    assert len(history.history["loss"]) == 3
    assert stopper.stopped_epoch == 2


def test_callbacks_see_every_hook_with_float_logs():
    x, y = regression_data(64)
    seen = []
    callback = LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(
            ("epoch", epoch, type(logs["loss"]))
        ),
        on_batch_end=lambda batch, logs: seen.append(
            ("batch", batch, type(logs["loss"]))
        ),
    )
    linear_model().fit(x, y, epochs=1, batch_size=32, callbacks=[callback], verbose=0)
    assert seen == [("batch", 0, float), ("batch", 1, float), ("epoch", 0, float)]


def test_initial_epoch_and_validation_freq():
    x, y = regression_data()
    history = linear_model().fit(
        x,
        y,
        epochs=4,
        initial_epoch=1,
        validation_data=(x, y),
        validation_freq=2,
        verbose=0,
    )
    assert history.epoch == [1, 2, 3]
    assert len(history.history["val_loss"]) == 2


def test_on_batch_methods():
    x, y = regression_data(32)
    model = linear_model()
    loss, mae = model.train_on_batch(x, y)
    logs = model.test_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "mae"}
    assert model.predict_on_batch(x).shape == (32, 1)


def test_multi_output_losses_weights_and_metric_names():
    inputs = lamina.Input(shape=(4,))
    a = Dense(1, name="a")(inputs)
    b = Dense(3, activation="softmax", name="b")(inputs)
    model = lamina.Model(inputs, [a, b])
    model.compile(
        optimizer="adam",
        loss=["mse", "sparse_categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics=[[], ["accuracy"]],
    )
    x, y = regression_data(64)
    labels = np.arange(64) % 3
    logs = model.evaluate(x, [y, labels], verbose=0, return_dict=True)
    assert set(logs) == {"loss", "a_loss", "b_loss", "b_accuracy"}
    assert logs["loss"] == pytest.approx(
        logs["a_loss"] + 0.5 * logs["b_loss"], rel=1e-5
    )


def test_ragged_lists_get_a_clear_error():
    model = linear_model()
    ragged = np.array([[1, 2], [1]], dtype=object)
    with pytest.raises(ValueError, match="pad_sequences"):
        model.fit(ragged, np.zeros(2), verbose=0)


def test_mismatched_sample_counts_are_named():
    model = linear_model()
    with pytest.raises(ValueError, match="same number of samples"):
        model.fit(np.zeros((10, 4)), np.zeros((9, 1)), verbose=0)


def test_fit_prints_keras_progress_lines(capsys):
    x, y = regression_data(64)
    linear_model().fit(x, y, epochs=2, batch_size=32, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "2/2" in out and "loss:" in out and "mae:" in out


def test_jit_compile_trains_to_the_same_weights_as_eager():
    x, y = regression_data(64)
    models = []
    for jit_compile in (False, True):
        model = linear_model()
        model.compile(optimizer="sgd", loss="mse", jit_compile=jit_compile)
        model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
        models.append(model)
    for eager, compiled in zip(
        models[0].get_weights(), models[1].get_weights(), strict=True
    ):
        np.testing.assert_allclose(eager, compiled, rtol=1e-5, atol=1e-6)


def _fit_eager_and_compiled(build, data, **fit_kwargs):
    """Fits a fresh model eagerly and with jit_compile; returns both + histories."""
    runs = []
    for jit_compile in (False, True):
        torch.manual_seed(0)
        model = build(jit_compile)
        history = model.fit(*data, shuffle=False, verbose=0, **fit_kwargs)
        runs.append((model, history.history))
    return runs


def test_jit_compile_adam_with_metrics_and_short_batches_matches_eager():
    def build(jit_compile):
        model = lamina.Sequential(
            [Dense(8, activation="relu", input_shape=(4,)), Dense(1)]
        )
        model.compile(
            optimizer="adam", loss="mse", metrics=["mae"], jit_compile=jit_compile
        )
        return model

    (eager, eager_logs), (compiled, compiled_logs) = _fit_eager_and_compiled(
        build,
        regression_data(100),
        epochs=3,
        batch_size=16,  # a last batch of 4
    )
    assert int(compiled.optimizer.iterations) == int(eager.optimizer.iterations) == 21
    assert compiled._train_function._compiled is not None  # it did compile
    for name, values in eager_logs.items():
        np.testing.assert_allclose(compiled_logs[name], values, rtol=1e-5)
    for a, b in zip(eager.get_weights(), compiled.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    for a, b in zip(
        eager.optimizer.get_weights(), compiled.optimizer.get_weights(), strict=True
    ):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_jit_compile_with_steps_per_execution_and_activity_loss_matches_eager():
    def build(jit_compile):
        model = lamina.Sequential(
            [
                Dense(4, input_shape=(4,), activity_regularizer="l2"),
                Dense(1, kernel_regularizer="l1"),
            ]
        )
        model.compile(
            optimizer="sgd", loss="mse", steps_per_execution=4, jit_compile=jit_compile
        )
        return model

    (eager, eager_logs), (compiled, compiled_logs) = _fit_eager_and_compiled(
        build, regression_data(160), epochs=2, batch_size=16
    )
    assert compiled._train_function._compiled is not None  # it did compile
    np.testing.assert_allclose(compiled_logs["loss"], eager_logs["loss"], rtol=1e-5)
    for a, b in zip(eager.get_weights(), compiled.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    assert len(compiled.losses) == len(eager.losses) == 2


def test_jit_compile_falls_back_to_eager_with_a_warning():
    class Opaque(lamina.layers.Layer):
        @torch.compiler.disable
        def call(self, inputs):
            return inputs * 2

    def build(jit_compile):
        model = lamina.Sequential([Opaque(input_shape=(4,)), Dense(1)])
        model.compile(optimizer="adam", loss="mse", jit_compile=jit_compile)
        return model

    with pytest.warns(UserWarning, match="trains eagerly instead"):
        (eager, _), (compiled, _) = _fit_eager_and_compiled(
            build, regression_data(64), epochs=1, batch_size=16
        )
    for a, b in zip(eager.get_weights(), compiled.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-6)


def test_steps_per_execution_calls_batch_hooks_once_per_execution():
    x, y = regression_data(64)
    ends = []
    model = linear_model()
    model.compile(optimizer="sgd", loss="mse", steps_per_execution=2)
    callback = LambdaCallback(on_train_batch_end=lambda batch, logs: ends.append(batch))
    model.fit(x, y, epochs=1, batch_size=16, callbacks=[callback], verbose=0)
    assert ends == [1, 3]
