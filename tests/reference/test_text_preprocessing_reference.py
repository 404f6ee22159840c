"""Structured-data and text preprocessing layers against real Keras 3.

`Normalization`, `Discretization` and `CategoryEncoding` run on Keras's torch
backend here. Keras's lookup, hashing and text layers need TensorFlow even
on that backend, and so does adapting `Discretization` (or adapting
`Normalization` on batches); their outputs, vocabularies (adapt order with ties, TF-IDF
weights, standardization) and configs were recorded with Keras 3.15.1 and
TensorFlow 2.21 in `tests/layers/preprocessing/data/keras_reference.json`
(see `make_keras_reference.py` there). Every case is checked against that
record always, and against live Keras when TensorFlow is installed.
"""

import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch

import lamina
from lamina.layers import preprocessing

DATA = Path(__file__).resolve().parents[1] / "layers" / "preprocessing" / "data"
REFERENCE = json.loads((DATA / "keras_reference.json").read_text(encoding="utf-8"))
CASES = REFERENCE["cases"]
ADAPT_KEYS = ("adapt", "adapt_batches")


@pytest.fixture
def keras_with_tensorflow(keras):
    """Real Keras, for layers that need TensorFlow; skipped without it."""
    pytest.importorskip("tensorflow")
    return keras


def _case_kwargs(case: dict) -> dict:
    kwargs = dict(case["kwargs"])
    if isinstance(kwargs.get("ngrams"), list):
        kwargs["ngrams"] = tuple(kwargs["ngrams"])  # JSON has no tuples
    return kwargs


def _run(layer, case: dict, to_numpy) -> dict:
    """Adapts and calls `layer` as the case says; the same for both libraries."""
    if "adapt" in case:
        layer.adapt(np.array(case["adapt"]))
    if "adapt_batches" in case:
        layer.adapt(iter([np.array(batch) for batch in case["adapt_batches"]]))
    if case.get("multiple_inputs"):
        output = layer(tuple(np.array(item) for item in case["inputs"]))
    else:
        output = layer(np.array(case["inputs"]))
    if isinstance(output, list):
        result = {"output": output, "dtype": "string"}
    else:
        array = to_numpy(output)
        result = {"output": array.tolist(), "dtype": str(array.dtype)}
    if hasattr(layer, "get_vocabulary"):
        result["vocabulary"] = [_plain(token) for token in layer.get_vocabulary()]
    config = json.loads(json.dumps(layer.get_config(), default=_plain))
    config.pop("name", None)
    result["config"] = config
    return result


def _plain(value):
    if hasattr(value, "item"):
        return value.item()  # NumPy scalars
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _run_lamina(case: dict) -> dict:
    layer = getattr(preprocessing, case["layer"])(**_case_kwargs(case))
    return _run(layer, case, lambda tensor: tensor.numpy())


def _assert_same(actual: dict, expected: dict, case: dict) -> None:
    assert actual["dtype"] == expected["dtype"]
    if expected["dtype"].startswith("float"):
        np.testing.assert_allclose(
            np.array(actual["output"]),
            np.array(expected["output"]),
            rtol=1e-6,
            atol=1e-6,
        )
    else:
        assert actual["output"] == expected["output"]
    assert actual.get("vocabulary") == expected.get("vocabulary")
    # An adapted vocabulary is in lamina's config (a lamina file has no
    # assets folder); Keras writes it to assets/ and leaves these None.
    adapted = any(key in case for key in ADAPT_KEYS)
    skipped = {"vocabulary", "idf_weights"} if adapted else set()
    assert set(actual["config"]) == set(expected["config"])
    for key, value in expected["config"].items():
        if key not in skipped:
            assert actual["config"][key] == value, key


def _case_id(case: dict) -> str:
    return f"{case['id']}-{json.dumps(case['kwargs'])[:60]}"


# ------------------------------------------------- lookups, hashing, text
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_layer_matches_recorded_keras(case):
    _assert_same(_run_lamina(case), case["expected"], case)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_layer_matches_live_keras(case, keras_with_tensorflow):
    keras = keras_with_tensorflow
    layer = getattr(keras.layers, case["layer"])(**_case_kwargs(case))
    expected = _run(layer, case, keras.ops.convert_to_numpy)
    _assert_same(_run_lamina(case), expected, case)


def test_recorded_adapt_orders_ties_by_larger_token():
    case = next(c for c in CASES if c["layer"] == "StringLookup" and c.get("adapt"))
    # Counts: a, b, c, e twice; d, zz, Z, é once; "[UNK]" is the OOV token.
    assert case["expected"]["vocabulary"] == [
        "[UNK]", "e", "c", "b", "a", "é", "zz", "d", "Z",
    ]  # fmt: skip


# ------------------------------------------------- layers that run on torch
NUMERIC = np.random.RandomState(0).normal(size=(200, 3)).astype("float32")
NUMERIC_CASES = [
    ("Normalization", {}, NUMERIC, NUMERIC[:5]),
    ("Normalization", {"axis": None}, NUMERIC, NUMERIC[:5]),
    (
        "Normalization",
        {"axis": (1, 2)},
        NUMERIC.reshape(50, 4, 3),
        NUMERIC[:8].reshape(2, 4, 3),
    ),
    ("Normalization", {}, [NUMERIC[:70], NUMERIC[70:]], NUMERIC[:5]),
    (
        "Normalization",
        {"mean": [1.0, 2.0, 3.0], "variance": [4.0, 1.0, 0.5]},
        None,
        NUMERIC[:5],
    ),
    (
        "Normalization",
        {"mean": 0.5, "variance": 2.0, "invert": True, "axis": None},
        None,
        NUMERIC[:5],
    ),
    ("Discretization", {"bin_boundaries": [-1.0, 0.0, 0.5]}, None, NUMERIC[:5]),
    ("Discretization", {"num_bins": 5}, NUMERIC[:, 0], NUMERIC[:5]),
    (
        "Discretization",
        {"num_bins": 7, "epsilon": 0.05},
        [NUMERIC[:90], NUMERIC[90:]],
        NUMERIC[:5],
    ),
    (
        "Discretization",
        {"num_bins": 4, "output_mode": "one_hot"},
        NUMERIC,
        NUMERIC[:5, :1],
    ),
    (
        "Discretization",
        {"num_bins": 4, "output_mode": "multi_hot"},
        NUMERIC,
        NUMERIC[:5],
    ),
    ("Discretization", {"num_bins": 4, "output_mode": "count"}, NUMERIC, NUMERIC[:5]),
    ("CategoryEncoding", {"num_tokens": 6}, None, np.array([[0, 5, 5], [1, 2, 3]])),
    (
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "count"},
        None,
        np.array([[0, 5, 5], [1, 2, 3]]),
    ),
    (
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "count"},
        None,
        np.array([0, 5, 5]),
    ),
    (
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "one_hot"},
        None,
        np.array([[0], [5]]),
    ),
    (
        "CategoryEncoding",
        {"num_tokens": 6, "output_mode": "one_hot"},
        None,
        np.array([[0, 1], [5, 4]]),
    ),
]


def _numeric_pair(keras, name, kwargs, adapt_data):
    keras_layer = getattr(keras.layers, name)(**kwargs)
    lamina_layer = getattr(preprocessing, name)(**kwargs)
    if adapt_data is not None:
        for layer in (keras_layer, lamina_layer):
            layer.adapt(
                adapt_data if not isinstance(adapt_data, list) else iter(adapt_data)
            )
    return keras_layer, lamina_layer


@pytest.mark.parametrize(
    ("name", "kwargs", "adapt_data", "inputs"),
    NUMERIC_CASES,
    ids=[f"{case[0]}-{case[1]}-{i}" for i, case in enumerate(NUMERIC_CASES)],
)
def test_numeric_layer_matches_keras(keras, name, kwargs, adapt_data, inputs):
    if adapt_data is not None and (
        name == "Discretization" or isinstance(adapt_data, list)
    ):
        # Keras checks for a tf.data.Dataset there; recorded cases cover it.
        pytest.importorskip("tensorflow")
    keras_layer, lamina_layer = _numeric_pair(keras, name, kwargs, adapt_data)
    expected = keras.ops.convert_to_numpy(keras_layer(inputs))
    actual = lamina_layer(torch.from_numpy(inputs)).numpy()
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)
    assert [w.name for w in lamina_layer.weights] == [
        w.name for w in keras_layer.weights
    ]
    for ours, theirs in zip(
        lamina_layer.get_weights(), keras_layer.get_weights(), strict=True
    ):
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)
    expected_config = json.loads(json.dumps(keras_layer.get_config()))
    actual_config = json.loads(json.dumps(lamina_layer.get_config()))
    expected_config.pop("name")
    actual_config.pop("name")
    assert actual_config == expected_config


def test_category_encoding_count_weights_match_keras(keras):
    inputs = np.array([[0, 1, 1], [2, 2, 0]])
    weights = np.array([[0.5, 1.0, 2.0], [1.5, 0.25, 3.0]], dtype="float32")
    expected = keras.layers.CategoryEncoding(3, output_mode="count")(
        inputs, count_weights=weights
    )
    actual = preprocessing.CategoryEncoding(3, output_mode="count")(
        torch.from_numpy(inputs), count_weights=torch.from_numpy(weights)
    )
    np.testing.assert_allclose(actual.numpy(), keras.ops.convert_to_numpy(expected))


def test_layer_configs_written_by_keras_load_in_lamina(keras):
    for name, kwargs, _, _ in NUMERIC_CASES:
        config = keras.layers.deserialize(
            keras.layers.serialize(getattr(keras.layers, name)(**kwargs))
        ).get_config()
        assert type(getattr(preprocessing, name).from_config(config)).__name__ == name


# ------------------------------------------------- .keras files, both ways
def _normalization_model(library, data):
    normalizer = library.layers.Normalization()
    normalizer.adapt(data)
    inputs = library.Input((3,))
    return library.Model(inputs, library.layers.Dense(2)(normalizer(inputs)))


def test_adapted_normalization_model_moves_from_lamina_to_keras(keras, tmp_path):
    model = _normalization_model(lamina, NUMERIC)
    path = os.path.join(tmp_path, "lamina.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    expected = model(torch.from_numpy(NUMERIC[:7])).detach().numpy()
    actual = keras.ops.convert_to_numpy(restored(NUMERIC[:7]))
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)


def test_adapted_normalization_model_moves_from_keras_to_lamina(keras, tmp_path):
    model = _normalization_model(keras, NUMERIC)
    path = os.path.join(tmp_path, "keras.keras")
    model.save(path)
    restored = lamina.models.load_model(path)
    expected = keras.ops.convert_to_numpy(model(NUMERIC[:7]))
    actual = restored(torch.from_numpy(NUMERIC[:7])).detach().numpy()
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)
    normalizer = restored.layers[1]
    np.testing.assert_allclose(
        normalizer.get_weights()[0], NUMERIC.mean(axis=0), rtol=1e-5
    )


def test_keras_saved_text_vectorization_loads_in_lamina():
    # Keras keeps the adapted vocabulary in the file's assets/ folder;
    # load_model hands the layer those bytes (never a path on disk).
    path = DATA / "keras_text_vectorization_int.keras"
    layer = lamina.models.load_model(str(path)).layers[0]
    assert type(layer).__name__ == "TextVectorization"
    assert layer.get_config()["max_tokens"] == 20
    expected = REFERENCE["fixtures"]["keras_text_vectorization_int"]
    assert layer(REFERENCE["queries"]).tolist() == expected


def test_keras_saved_tf_idf_text_vectorization_loads_in_lamina():
    path = DATA / "keras_text_vectorization_tf_idf.keras"
    layer = lamina.models.load_model(str(path)).layers[0]
    expected = REFERENCE["fixtures"]["keras_text_vectorization_tf_idf"]
    np.testing.assert_allclose(layer(REFERENCE["queries"]).numpy(), expected, rtol=1e-6)


def test_lamina_saved_text_vectorization_loads_in_keras(
    keras_with_tensorflow, tmp_path
):
    keras = keras_with_tensorflow
    texts = [case for case in CASES if case["layer"] == "TextVectorization"][0]["adapt"]
    layer = preprocessing.TextVectorization(max_tokens=20)
    layer.adapt(texts)
    path = os.path.join(tmp_path, "lamina.keras")
    lamina.Sequential([layer]).save(path)
    restored = keras.models.load_model(path).layers[0]
    queries = REFERENCE["queries"]
    expected = layer(queries).numpy()
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(restored(queries)), expected
    )
    assert restored.get_vocabulary() == layer.get_vocabulary()
