import datasets
import numpy as np
import pandas as pd
import pytest

import lamina
from lamina.trainers.data_adapters.hf_dataset_adapter import hf_dataset_to_arrays
from lamina.trainers.data_adapters.hf_dataset_adapter import is_hf_dataset


def _table(num_rows=12):
    rng = np.random.default_rng(0)
    return datasets.Dataset.from_dict(
        {
            "age": rng.random(num_rows).astype("float32"),
            "pixels": rng.random((num_rows, 3)).astype("float32"),
            "label": rng.integers(0, 2, num_rows),
            "weight": np.ones(num_rows, dtype="float32"),
        }
    )


def _two_input_model():
    age = lamina.Input(shape=(), name="age")
    pixels = lamina.Input(shape=(3,), name="pixels")
    merged = lamina.layers.Concatenate()([lamina.layers.Reshape((1,))(age), pixels])
    model = lamina.Model(
        [age, pixels], lamina.layers.Dense(1, activation="sigmoid")(merged)
    )
    model.compile("sgd", "binary_crossentropy")
    return model


def test_is_hf_dataset_detects_only_datasets():
    assert is_hf_dataset(_table())
    assert not is_hf_dataset({"age": np.zeros(3)})


def test_hf_columns_become_dict_inputs_and_targets():
    x, y, weights = hf_dataset_to_arrays(_table(), "label", "weight")
    assert sorted(x) == ["age", "pixels"] and x["pixels"].shape == (12, 3)
    assert y.shape == (12,) and weights.shape == (12,)


def test_hf_single_input_column_is_an_array():
    x, y, _ = hf_dataset_to_arrays(
        _table().select_columns(["pixels", "label"]), "label", None
    )
    assert isinstance(x, np.ndarray) and x.shape == (12, 3)


def test_hf_several_target_columns_give_a_list():
    _, y, _ = hf_dataset_to_arrays(_table(), ["label", "age"], None)
    assert isinstance(y, list) and len(y) == 2


def test_hf_fit_with_column_names():
    model = _two_input_model()
    history = model.fit(_table(), y="label", batch_size=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    predictions = model.predict(_table().remove_columns(["label", "weight"]), verbose=0)
    assert predictions.shape == (12, 1)


def test_hf_fit_with_weight_column_and_validation_data():
    model = _two_input_model()
    history = model.fit(
        _table(), y="label", sample_weight="weight", batch_size=4, epochs=1,
        validation_data=(_table(4), "label"), verbose=0,
    )  # fmt: skip
    assert "val_loss" in history.history


def test_hf_unknown_column_lists_the_columns():
    with pytest.raises(ValueError, match="Available columns: age, pixels, label"):
        hf_dataset_to_arrays(_table(), "target", None)


def test_hf_string_column_says_tokenize_or_drop():
    data = datasets.Dataset.from_dict({"text": ["a", "b"], "label": [0, 1]})
    with pytest.raises(ValueError, match="remove_columns"):
        hf_dataset_to_arrays(data, "label", None)


def test_hf_y_must_name_columns():
    with pytest.raises(TypeError, match="must name columns"):
        hf_dataset_to_arrays(_table(), np.zeros(12), None)


def test_dict_of_pandas_columns_feeds_a_multi_input_model():
    frame = pd.DataFrame(
        {
            "age": np.linspace(0, 1, 8),
            "x1": np.ones(8),
            "x2": np.zeros(8),
            "y": [0, 1] * 4,
        }
    )
    model = _two_input_model()
    pixels = frame[["x1", "x2"]].assign(x3=1.0)
    history = model.fit(
        {"age": frame["age"], "pixels": pixels}, frame["y"], epochs=1, verbose=0
    )
    assert len(history.history["loss"]) == 1
