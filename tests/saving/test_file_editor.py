"""KerasFileEditor on lamina's own files."""

import os
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from lamina.saving.errors import LoadError
from lamina.saving.file_editor import KerasFileEditor


def _model():
    inputs = lamina.Input((3,))
    hidden = lamina.layers.Dense(4, name="first")(inputs)
    outputs = lamina.layers.Dense(2, name="second")(hidden)
    return lamina.Model(inputs, outputs)


@pytest.fixture
def saved(tmp_path):
    model = _model()
    path = os.fspath(tmp_path / "m.keras")
    model.save(path)
    return model, path


def test_file_editor_reads_keras_zip_and_prints_summary(saved, capsys):
    model, path = saved
    editor = KerasFileEditor(path)
    assert editor.config["class_name"] == "Functional"
    assert "keras_version" in editor.metadata
    np.testing.assert_array_equal(
        editor.weights_dict["layers"]["dense"]["0"],
        model.get_layer("first").kernel.detach().numpy(),
    )
    editor.summary()
    text = capsys.readouterr().out
    assert "Weights structure" in text and "dense ('first')" in text
    assert "shape=(3, 4)" in text


def test_file_editor_compare_reports_matches_and_errors(saved, capsys):
    model, path = saved
    editor = KerasFileEditor(path)
    assert editor.compare(model) == {
        "status": "success",
        "error_count": 0,
        "match_count": 4,
    }
    editor.delete_weight("dense_1", "1")
    editor.add_weights("dense", {"0": np.zeros((5, 4), "float32")})
    editor.add_object("layers/extra", {"0": np.ones(2)})
    result = editor.compare(model)
    assert result["status"] == "error" and result["error_count"] == 3
    text = capsys.readouterr().out
    assert "shape mismatch for /layers/dense/0" in text
    assert "/layers/extra present in saved file" in text


def test_file_editor_rename_delete_and_resave_loads_into_model(saved, tmp_path):
    model, path = saved
    editor = KerasFileEditor(path)
    editor.rename_object("dense_1", "tmp")
    editor.rename_object("layers/tmp", "dense_1")
    target = os.fspath(tmp_path / "out.weights.h5")
    editor.save(target)
    fresh = _model()
    fresh.load_weights(target)
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
    reopened = KerasFileEditor(target)
    assert reopened.metadata is None
    reopened.delete_object("dense_1")
    assert list(reopened.weights_dict["layers"]) == ["dense"]


def test_file_editor_keeps_nested_layers_of_a_layer(tmp_path):
    inputs = lamina.Input((4, 8))
    outputs = lamina.layers.MultiHeadAttention(2, 4)(inputs, inputs)
    model = lamina.Model(inputs, outputs)
    path = os.fspath(tmp_path / "mha.weights.h5")
    model.save_weights(path)
    editor = KerasFileEditor(path)
    attention = editor.weights_dict["layers"]["multi_head_attention"]
    assert {"query_dense", "key_dense", "value_dense"} <= set(attention)
    assert editor.compare(model)["status"] == "success"


@pytest.mark.parametrize(
    ("call", "error", "phrase"),
    [
        (lambda e: e.rename_object("dense", "a/b"), ValueError, "leaf name"),
        (lambda e: e.delete_object("nothing"), ValueError, "appears nowhere"),
        (lambda e: e.delete_object("0"), ValueError, "more than once"),
        (lambda e: e.delete_object("layers/nothing"), ValueError, "not in the file"),
        (lambda e: e.delete_weight("dense", "7"), ValueError, "Weights found"),
        (lambda e: e.add_object("x/y", {}), ValueError, "not in the file"),
        (lambda e: e.add_weights("dense", [1]), TypeError, "expected weights"),
        (lambda e: e.add_object("layers/s", {"0": ["a"]}), TypeError, "numeric"),
        (lambda e: e.save("out.keras"), ValueError, "'.weights.h5'"),
    ],
)
def test_file_editor_rejects_bad_edits(saved, call, error, phrase):
    editor = KerasFileEditor(saved[1])
    with pytest.raises(error, match=phrase):
        call(editor)


def test_file_editor_rejects_other_extensions(tmp_path):
    with pytest.raises(ValueError, match="'.keras' or"):
        KerasFileEditor(os.fspath(tmp_path / "m.h5"))


def test_file_editor_refuses_external_links(tmp_path):
    outside = os.fspath(tmp_path / "outside.h5")
    with h5py.File(outside, "w") as h5:
        h5["secret"] = np.ones(3)
    path = os.fspath(tmp_path / "evil.weights.h5")
    with h5py.File(path, "w") as h5:
        h5["layers/dense/vars/0"] = h5py.ExternalLink(outside, "secret")
    with pytest.raises(LoadError, match="external link"):
        KerasFileEditor(path)


def test_file_editor_refuses_traversal_member_names(tmp_path):
    path = os.fspath(tmp_path / "evil.keras")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("config.json", "{}")
        zf.writestr("../escape.txt", "x")
    with pytest.raises(LoadError, match="outside the archive"):
        KerasFileEditor(path)


def test_file_editor_save_keeps_old_file_on_failure(saved, tmp_path, monkeypatch):
    from lamina.saving import file_editor

    def crash(*args):
        raise OSError("disk full")

    editor = KerasFileEditor(saved[1])
    target = tmp_path / "w.weights.h5"
    target.write_bytes(b"old")
    monkeypatch.setattr(file_editor, "_write_group", crash)
    with pytest.raises(OSError, match="disk full"):
        editor.save(target)
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["m.keras", "w.weights.h5"]
