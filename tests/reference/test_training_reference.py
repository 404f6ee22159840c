"""lamina's training loop against real Keras 3: same weights, data and numbers."""

import numpy as np
import pytest

import lamina


def seed_mlp(library, input_shape=(28, 28), dropout=0.5):
    layers = library.layers
    return library.Sequential(
        [
            library.Input(shape=input_shape),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dropout(dropout),
            layers.Dense(10, activation="softmax"),
        ]
    )


def copy_weights(source, target):
    target.set_weights([np.asarray(w) for w in source.get_weights()])


def mnist_like(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 28, 28), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, n)]
    return x, y


def test_seed_mlp_predictions_match_keras(keras):
    x, _ = mnist_like()
    reference = seed_mlp(keras)
    model = seed_mlp(lamina)
    copy_weights(reference, model)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), reference.predict(x, verbose=0), atol=1e-6
    )


@pytest.mark.parametrize(
    "optimizer", ["sgd", "adam", "rmsprop"], ids=lambda name: f"optimizer={name}"
)
def test_one_epoch_of_fit_matches_keras(keras, optimizer):
    x, y = mnist_like()
    reference = seed_mlp(keras, dropout=0.0)
    model = seed_mlp(lamina, dropout=0.0)
    copy_weights(reference, model)
    reference.compile(
        optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"]
    )
    model.compile(
        optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"]
    )
    keras_history = reference.fit(
        x, y, batch_size=16, epochs=2, shuffle=False, verbose=0
    )
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for got, want in zip(model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(got, np.asarray(want), atol=2e-5)
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(
            history.history[key], keras_history.history[key], rtol=1e-4
        )


def test_evaluate_with_sample_weights_matches_keras(keras):
    x, y = mnist_like()
    weights = np.linspace(0.0, 2.0, len(x)).astype("float32")
    reference = seed_mlp(keras)
    model = seed_mlp(lamina)
    copy_weights(reference, model)
    for net in (reference, model):
        net.compile(
            optimizer="adam",
            loss="categorical_crossentropy",
            metrics=["accuracy"],
            weighted_metrics=["mae"],
        )
    want = reference.evaluate(
        x, y, sample_weight=weights, batch_size=20, verbose=0, return_dict=True
    )
    got = model.evaluate(
        x, y, sample_weight=weights, batch_size=20, verbose=0, return_dict=True
    )
    assert set(got) == set(want)
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=1e-5), key


@pytest.mark.parametrize(
    "loss,labels",
    [
        ("sparse_categorical_crossentropy", "sparse"),
        ("categorical_crossentropy", "onehot"),
        ("binary_crossentropy", "binary"),
    ],
)
def test_accuracy_string_resolves_like_keras(keras, loss, labels):
    rng = np.random.default_rng(1)
    x = rng.random((40, 6), dtype=np.float32)
    units = 1 if labels == "binary" else 3
    if labels == "sparse":
        y = rng.integers(0, 3, 40)
    elif labels == "onehot":
        y = np.eye(3, dtype="float32")[rng.integers(0, 3, 40)]
    else:
        y = rng.integers(0, 2, (40, 1)).astype("float32")
    activation = "sigmoid" if units == 1 else "softmax"
    nets = [
        lib.Sequential(
            [lib.Input(shape=(6,)), lib.layers.Dense(units, activation=activation)]
        )
        for lib in (keras, lamina)
    ]
    copy_weights(nets[0], nets[1])
    results = []
    for net in nets:
        net.compile(optimizer="sgd", loss=loss, metrics=["accuracy", "acc"])
        results.append(net.evaluate(x, y, verbose=0, return_dict=True))
    assert results[1] == pytest.approx(results[0], rel=1e-5)


def test_summary_parameter_counts_match_keras(keras):
    reference = seed_mlp(keras)
    model = seed_mlp(lamina)
    assert model.count_params() == reference.count_params()
    for ours, theirs in zip(model.layers, reference.layers, strict=True):
        assert ours.count_params() == theirs.count_params()
        assert type(ours).__name__ == type(theirs).__name__
    lines = []
    model.summary(print_fn=lines.append)
    assert f"Total params: {reference.count_params():,}" in lines[0]


def test_functional_two_input_model_trains_like_keras(keras):
    rng = np.random.default_rng(2)
    a = rng.random((64, 5), dtype=np.float32)
    b = rng.random((64, 3), dtype=np.float32)
    y = rng.random((64, 1), dtype=np.float32)

    def build(lib):
        left = lib.Input(shape=(5,))
        right = lib.Input(shape=(3,))
        hidden = lib.layers.Dense(4, activation="tanh")(left)
        other = lib.layers.Dense(4)(right)
        summed = lib.layers.Dense(1)(hidden + other)
        return lib.Model([left, right], summed)

    reference, model = build(keras), build(lamina)
    copy_weights(reference, model)
    for library, net in ((keras, reference), (lamina, model)):
        optimizer = library.optimizers.SGD(learning_rate=0.1, momentum=0.9)
        net.compile(optimizer=optimizer, loss="mse")
    reference.fit([a, b], y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.fit([a, b], y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for got, want in zip(model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(got, np.asarray(want), atol=1e-5)
