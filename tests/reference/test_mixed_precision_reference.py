"""Dtype policies and mixed precision against Keras 3 (torch backend).

Policies, per-layer compute/variable dtypes, configs, files both ways,
loss scaling and short training runs under `mixed_float16` and
`mixed_bfloat16`, compared with real Keras on the same weights and data.
"""

import json
import zipfile

import numpy as np
import pytest
import torch

import lamina
from lamina import dtype_policies
from lamina import mixed_precision
from lamina.backend import config as backend_config
from lamina.datasets import mnist

# keras.dtype_policies.<name> that lamina does not provide, with the reason.
DTYPE_POLICIES_NOT_PROVIDED = {
    "AWQDTypePolicy": "quantization is not built",
    "DTypePolicyMap": "maps layer paths to quantized policies; quantization is "
    "not built",
    "GPTQDTypePolicy": "quantization is not built",
    "Int4DTypePolicy": "quantization is not built",
    "QuantizedDTypePolicy": "quantization is not built",
    "QuantizedFloat8DTypePolicy": "quantization is not built",
}
POLICY_NAMES = ["mixed_float16", "mixed_bfloat16", "float32", "float16", "bfloat16"]
# Half precision keeps ~3 significant digits (bfloat16 ~2).
HALF_TOLERANCE = {"mixed_float16": 2e-3, "mixed_bfloat16": 2e-2}


@pytest.fixture(autouse=True)
def default_policies(keras, monkeypatch):
    """Both libraries' global policies are restored after each test."""
    from keras.src.backend.common import global_state

    previous = global_state.get_global_attribute("dtype_policy", None)
    monkeypatch.setattr(backend_config, "_DTYPE_POLICY", None)
    yield
    global_state.set_global_attribute("dtype_policy", previous)


def _public(module):
    return sorted(name for name in dir(module) if not name.startswith("_"))


def _policy_view(policy):
    return (policy.name, policy.compute_dtype, policy.variable_dtype, repr(policy))


# ------------------------------------------------------------------- names
def test_dtype_policies_has_every_keras_name(keras):
    missing = [
        name
        for name in _public(keras.dtype_policies)
        if name not in DTYPE_POLICIES_NOT_PROVIDED and not hasattr(dtype_policies, name)
    ]
    assert not missing, f"lamina.dtype_policies lacks: {missing}"
    stale = [
        name
        for name in DTYPE_POLICIES_NOT_PROVIDED
        if hasattr(dtype_policies, name) or not hasattr(keras.dtype_policies, name)
    ]
    assert not stale, f"remove from DTYPE_POLICIES_NOT_PROVIDED: {stale}"


def test_mixed_precision_has_every_keras_name(keras):
    assert _public(mixed_precision) == _public(keras.mixed_precision)
    for name in ("dtype_policy", "set_dtype_policy"):
        assert hasattr(keras.config, name) and hasattr(backend_config, name)


def test_aliases_are_the_same_objects_as_in_keras(keras):
    def identities(library, policies, config):
        module = library.mixed_precision
        return [
            module.Policy is module.DTypePolicy is policies.DTypePolicy,
            module.global_policy is config.dtype_policy,
            module.set_global_policy is config.set_dtype_policy,
            module.LossScaleOptimizer is library.optimizers.LossScaleOptimizer,
            issubclass(policies.FloatDTypePolicy, policies.DTypePolicy),
        ]

    assert identities(lamina, dtype_policies, backend_config) == identities(
        keras, keras.dtype_policies, keras.config
    )


# ---------------------------------------------------------------- policies
@pytest.mark.parametrize("name", [*POLICY_NAMES, "float64", "int32"])
def test_policy_dtypes_repr_and_config_match_keras(keras, name):
    ours, theirs = dtype_policies.DTypePolicy(name), keras.DTypePolicy(name)
    assert _policy_view(ours) == _policy_view(theirs)
    assert ours.get_config() == theirs.get_config()
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    float_policy = dtype_policies.FloatDTypePolicy(name)
    assert dtype_policies.serialize(float_policy) == keras.dtype_policies.serialize(
        keras.FloatDTypePolicy(name)
    )


@pytest.mark.parametrize(
    "identifier",
    [
        None,
        "mixed_bfloat16",
        torch.float16,
        np.float64,
        {"class_name": "DTypePolicy", "config": {"name": "mixed_float16"}},
        {
            "module": "keras",
            "class_name": "FloatDTypePolicy",
            "config": {"name": "bfloat16"},
            "registered_name": None,
        },
    ],
    ids=repr,
)
def test_get_resolves_identifiers_as_keras_does(keras, identifier):
    ours = dtype_policies.get(identifier)
    theirs = keras.dtype_policies.get(identifier)
    assert _policy_view(ours) == _policy_view(theirs)
    assert type(ours).__name__ == type(theirs).__name__


@pytest.mark.parametrize("name", ["mixed_float64", "half_precision", 16])
def test_policy_rejects_what_keras_rejects(keras, name):
    with pytest.raises((ValueError, TypeError)) as keras_error:
        keras.DTypePolicy(name)
    with pytest.raises(keras_error.type):
        dtype_policies.DTypePolicy(name)


def test_policy_equality_matches_keras(keras):
    for library, policies in ((keras, keras.dtype_policies), (lamina, dtype_policies)):
        assert policies.DTypePolicy("float16") == policies.FloatDTypePolicy("float16")
        assert policies.DTypePolicy("float16") != policies.DTypePolicy("float32")
        assert policies.DTypePolicy("float32") != "float32", library.__name__


# ------------------------------------------------------------ global policy
def _without_sharing(config):
    """Keras marks a policy object that several layers share; lamina need not."""
    return {key: value for key, value in config.items() if key != "shared_object_id"}


def test_global_policy_reaches_new_layers_and_models_as_in_keras(keras):
    views = {}
    for library in (keras, lamina):
        library.mixed_precision.set_global_policy("mixed_float16")
        inputs = library.Input((4,))
        hidden = library.layers.Dense(3)(inputs)
        outputs = library.layers.Activation("softmax", dtype="float32")(hidden)
        model = library.Model(inputs, [outputs, hidden])
        sequential = library.Sequential([library.Input((4,)), library.layers.Dense(2)])
        views[library.__name__] = (
            repr(library.mixed_precision.global_policy()),
            repr(model.dtype_policy),
            [repr(layer.dtype_policy) for layer in model.layers],
            [str(tensor.dtype) for tensor in model.outputs],
            inputs.dtype,
            _without_sharing(sequential.get_config()["dtype"]),
        )
        library.mixed_precision.set_global_policy("float32")
    assert views["lamina"] == views["keras"]


# ----------------------------------------------------------------- layers
def _layer_cases(library):
    layers = library.layers
    x2 = np.random.default_rng(0).random((4, 6), dtype=np.float32)
    x3 = np.random.default_rng(1).random((4, 5, 6), dtype=np.float32)
    x4 = np.random.default_rng(2).random((2, 8, 8, 3), dtype=np.float32)
    return [
        ("Dense", lambda d: layers.Dense(3, activation="relu", dtype=d), x2),
        ("Conv2D", lambda d: layers.Conv2D(4, 3, dtype=d), x4),
        ("BatchNormalization", lambda d: layers.BatchNormalization(dtype=d), x4),
        ("LayerNormalization", lambda d: layers.LayerNormalization(dtype=d), x3),
        ("Embedding", lambda d: layers.Embedding(10, 3, dtype=d), np.array([[1, 2]])),
        ("Softmax", lambda d: layers.Softmax(dtype=d), x2),
        ("Dropout", lambda d: layers.Dropout(0.5, dtype=d), x2),
        ("MaxPooling2D", lambda d: layers.MaxPooling2D(dtype=d), x4),
        (
            "GlobalAveragePooling1D",
            lambda d: layers.GlobalAveragePooling1D(dtype=d),
            x3,
        ),
        (
            "EinsumDense",
            lambda d: layers.EinsumDense("ab,bc->ac", 3, bias_axes="c", dtype=d),
            x2,
        ),
    ]


def _dtype_name(dtype):
    return str(dtype).removeprefix("torch.")  # Keras variables name a string


def _dtype_view(layer, outputs):
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return (
        layer.dtype,
        layer.compute_dtype,
        layer.variable_dtype,
        repr(layer.dtype_policy),
        [_dtype_name(weight.dtype) for weight in layer.weights],
        [_dtype_name(output.dtype) for output in outputs],
        layer.get_config()["dtype"],
    )


@pytest.mark.parametrize("policy", [*POLICY_NAMES, "float64"])
def test_layer_dtypes_match_keras_for_each_policy(keras, policy):
    keras_cases, lamina_cases = _layer_cases(keras), _layer_cases(lamina)
    for (name, make_keras, data), (_, make_lamina, _) in zip(
        keras_cases, lamina_cases, strict=True
    ):
        keras_layer, lamina_layer = make_keras(policy), make_lamina(policy)
        expected = _dtype_view(keras_layer, keras_layer(data))
        assert _dtype_view(lamina_layer, lamina_layer(data)) == expected, name


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_recurrent_and_attention_dtypes_match_keras(keras, policy):
    x = np.random.default_rng(3).random((2, 5, 6), dtype=np.float32)
    for library_name in ("keras", "lamina"):
        library = keras if library_name == "keras" else lamina
        views = []
        for layer in (
            library.layers.LSTM(4, dtype=policy),
            library.layers.GRU(4, return_sequences=True, dtype=policy),
        ):
            views.append(_dtype_view(layer, layer(x)))
        attention = library.layers.MultiHeadAttention(2, 3, dtype=policy)
        views.append(_dtype_view(attention, attention(x, x)))
        if library_name == "keras":
            expected = views
    assert views == expected


# ------------------------------------------------------------------ files
def _mixed_model(library):
    layers = library.layers
    inputs = library.Input((6,))
    hidden = layers.Dense(8, activation="relu", dtype="mixed_float16")(inputs)
    hidden = layers.BatchNormalization(dtype="mixed_bfloat16")(hidden)
    logits = layers.Dense(4, dtype="mixed_bfloat16")(hidden)
    outputs = layers.Activation("softmax", dtype="float32")(logits)
    return library.Model(inputs, outputs)


def _policies(model):
    return [(layer.name, layer.dtype_policy.name) for layer in model.layers]


def test_keras_file_with_mixed_layers_loads_with_same_policies(keras, tmp_path):
    x = np.random.default_rng(4).random((5, 6), dtype=np.float32)
    reference = _mixed_model(keras)
    reference.save(tmp_path / "mixed.keras")
    model = lamina.saving.load_model(tmp_path / "mixed.keras")
    assert _policies(model) == _policies(reference)
    assert [w.dtype for w in model.weights] == [torch.float32] * len(model.weights)
    np.testing.assert_allclose(
        model.predict(x, verbose=0),
        reference.predict(x, verbose=0),
        atol=HALF_TOLERANCE["mixed_bfloat16"],
    )


def test_lamina_file_with_mixed_layers_loads_in_keras(keras, tmp_path):
    x = np.random.default_rng(5).random((5, 6), dtype=np.float32)
    model = _mixed_model(lamina)
    model.save(tmp_path / "mixed.keras")
    reference = keras.saving.load_model(tmp_path / "mixed.keras")
    assert _policies(reference) == _policies(model)
    np.testing.assert_allclose(
        reference.predict(x, verbose=0),
        model.predict(x, verbose=0),
        atol=HALF_TOLERANCE["mixed_bfloat16"],
    )
    with zipfile.ZipFile(tmp_path / "mixed.keras") as archive:
        config = json.loads(archive.read("config.json"))
    dense = config["config"]["layers"][1]["config"]
    assert dense["dtype"] == keras.dtype_policies.serialize(
        keras.DTypePolicy("mixed_float16")
    )


# --------------------------------------------------------------- training
def _mlp(library, policy):
    library.mixed_precision.set_global_policy(policy)
    layers = library.layers
    model = library.Sequential(
        [
            library.Input((8,)),
            layers.Dense(16, activation="relu"),
            layers.Dense(3),
            layers.Activation("softmax", dtype="float32"),
        ]
    )
    library.mixed_precision.set_global_policy("float32")
    return model


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_compile_and_fit_under_mixed_precision_match_keras(keras, policy):
    rng = np.random.default_rng(6)
    x = rng.random((64, 8), dtype=np.float32)
    y = rng.integers(0, 3, 64)
    reference, model = _mlp(keras, policy), _mlp(lamina, policy)
    model.set_weights(reference.get_weights())
    for library, net in ((keras, reference), (lamina, model)):
        net.compile(library.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    assert type(model.optimizer).__name__ == type(reference.optimizer).__name__
    keras_history = reference.fit(
        x, y, batch_size=16, epochs=2, shuffle=False, verbose=0
    )
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    tolerance = HALF_TOLERANCE[policy]
    np.testing.assert_allclose(
        history.history["loss"], keras_history.history["loss"], rtol=5 * tolerance
    )
    for got, want in zip(model.get_weights(), reference.get_weights(), strict=True):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, np.asarray(want), atol=tolerance)


def test_evaluate_under_mixed_float16_computes_losses_and_metrics_in_float32(keras):
    rng = np.random.default_rng(7)
    x = rng.random((32, 8), dtype=np.float32)
    y = rng.integers(0, 3, 32)
    reference, model = _mlp(keras, "mixed_float16"), _mlp(lamina, "mixed_float16")
    model.set_weights(reference.get_weights())
    results = []
    for net in (reference, model):
        net.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
        results.append(net.evaluate(x, y, verbose=0, return_dict=True))
    assert results[1].keys() == results[0].keys()
    for key, value in results[0].items():
        assert results[1][key] == pytest.approx(value, rel=1e-4), key


def test_loss_scale_optimizer_steps_match_keras(keras):
    grads = [[1.0, 2.0], [float("inf"), 1.0], [4.0, -2.0], [float("nan"), 0.0]]
    states = []
    for library in (keras, lamina):
        weight = library.Variable(np.zeros(2, np.float32))
        optimizer = library.optimizers.LossScaleOptimizer(
            library.optimizers.SGD(0.5), initial_scale=4.0, dynamic_growth_steps=2
        )
        trace = []
        for grad in grads:
            optimizer.apply([torch.tensor(grad)], [weight])
            trace.append(
                (
                    np.asarray(weight.numpy()).tolist(),
                    float(optimizer.dynamic_scale),
                    int(optimizer.iterations),
                )
            )
        states.append(trace)
    assert states[1] == states[0]


def test_seed_mlp_learns_mnist_under_mixed_bfloat16():
    (x_train, y_train), (x_test, y_test) = mnist.load_data(
        path="/work/shared/data/mnist.npz"
    )
    x_train = x_train[:10000].astype("float32") / 255
    x_test = x_test[:2000].astype("float32") / 255
    lamina.utils.set_random_seed(0)
    mixed_precision.set_global_policy("mixed_bfloat16")
    layers = lamina.layers
    model = lamina.Sequential(
        [
            lamina.Input(shape=(28, 28)),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train[:10000], epochs=1, verbose=0)
    assert model.layers[1].kernel.dtype == torch.float32
    assert model(x_test[:2]).dtype == torch.bfloat16
    _, accuracy = model.evaluate(x_test, y_test[:2000], verbose=0)
    assert accuracy > 0.8
