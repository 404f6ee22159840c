"""KerasFileEditor: the same edits in lamina and in Keras give the same weights."""

import os

import numpy as np
import pytest

from lamina.saving.file_editor import KerasFileEditor


def _flat(weights, path=""):
    flat = {}
    for key, value in weights.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{path}/{key}"))
        else:
            flat[f"{path}/{key}"] = np.asarray(value)
    return flat


def _edit(editor):
    # Full paths: Keras 3.15 miscounts a bare name that a sibling shares.
    editor.rename_object("layers/dense_1", "renamed")
    editor.delete_weight("layers/dense", "1")
    editor.add_weights("layers/dense", {"1": np.full((4,), 2.0, "float32")})
    editor.add_object("layers/extra", {"0": np.arange(3, dtype="float32")})
    editor.delete_object("layers/extra")


@pytest.fixture
def keras_file(keras, tmp_path):
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(hidden))
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    path = os.fspath(tmp_path / "k.keras")
    model.save(path)
    return model, path


def test_file_editor_reads_keras_files_as_keras_does(keras, keras_file):
    _, path = keras_file
    mine = KerasFileEditor(path)
    theirs = keras.saving.KerasFileEditor(path)
    assert mine.config == theirs.config and mine.metadata == theirs.metadata
    expected = _flat(theirs.weights_dict)
    actual = _flat(mine.weights_dict)
    assert list(actual) == list(expected)
    for key, value in expected.items():
        np.testing.assert_array_equal(actual[key], value)


def test_file_editor_same_edits_give_same_weights(keras, keras_file, tmp_path):
    model, path = keras_file
    mine, theirs = KerasFileEditor(path), keras.saving.KerasFileEditor(path)
    _edit(mine)
    _edit(theirs)
    mine.save(tmp_path / "mine.weights.h5")
    theirs.save(os.fspath(tmp_path / "theirs.weights.h5"))
    loaded_mine = _flat(KerasFileEditor(tmp_path / "mine.weights.h5").weights_dict)
    loaded_theirs = _flat(
        keras.saving.KerasFileEditor(
            os.fspath(tmp_path / "theirs.weights.h5")
        ).weights_dict
    )
    assert list(loaded_mine) == list(loaded_theirs)
    for key, value in loaded_theirs.items():
        np.testing.assert_array_equal(loaded_mine[key], value)


def test_file_editor_output_loads_in_keras(keras, keras_file, tmp_path):
    model, path = keras_file
    editor = KerasFileEditor(path)
    kernel = np.full((3, 4), 0.5, "float32")
    editor.add_weights("layers/dense", {"0": kernel})
    target = os.fspath(tmp_path / "edited.weights.h5")
    editor.save(target)
    model.load_weights(target)
    np.testing.assert_array_equal(model.layers[1].get_weights()[0], kernel)
