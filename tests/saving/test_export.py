"""`model.export` to ONNX (checked with onnxruntime) and to `torch.export`."""

import numpy as np
import pytest
import torch

import lamina


def _functional():
    a = lamina.Input(shape=(3,))
    b = lamina.Input(shape=(2,))
    hidden = lamina.layers.Dense(4, activation="relu")(a)
    summed = lamina.layers.Dense(2)(hidden) + b
    return lamina.Model([a, b], lamina.layers.Dense(1)(summed))


def _inputs(batch):
    return [
        np.random.rand(batch, 3).astype("float32"),
        np.random.rand(batch, 2).astype("float32"),
    ]


def test_export_onnx_matches_predict_with_dynamic_batch(tmp_path):
    onnxruntime = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    model = _functional()
    path = str(tmp_path / "m.onnx")
    model.export(path)
    session = onnxruntime.InferenceSession(path)
    x = _inputs(5)
    (got,) = session.run(None, {"input_0": x[0], "input_1": x[1]})
    np.testing.assert_allclose(got, model.predict(x, verbose=0), atol=1e-5)


def test_export_onnx_functional_concatenate_and_dot(tmp_path):
    # Merge layers check their input shapes; under ONNX tracing the sizes
    # are 0-d tensors, which the checks must skip rather than compare.
    onnxruntime = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    a = lamina.Input(shape=(3,))
    b = lamina.Input(shape=(2,))
    joined = lamina.layers.Concatenate()([lamina.layers.Dense(4)(a), b])
    summed = lamina.layers.Add()([lamina.layers.Dense(6)(joined), joined])
    dotted = lamina.layers.Dot(axes=1)([summed, joined])
    model = lamina.Model([a, b], lamina.layers.Concatenate()([summed, dotted]))
    path = str(tmp_path / "concat.onnx")
    model.export(path, format="onnx")
    session = onnxruntime.InferenceSession(path)
    x = _inputs(5)
    (got,) = session.run(None, {"input_0": x[0], "input_1": x[1]})
    np.testing.assert_allclose(got, model.predict(x, verbose=0), atol=1e-5)


def test_export_torch_program_matches_predict(tmp_path):
    model = lamina.Sequential(
        [
            lamina.layers.Dense(8, activation="relu", input_shape=(4,)),
            lamina.layers.Dense(2),
        ]
    )
    path = str(tmp_path / "m.pt2")
    model.export(path, format="torch")
    program = torch.export.load(path)
    x = np.random.rand(7, 4).astype("float32")
    got = program.module()(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(got, model.predict(x, verbose=0), atol=1e-6)


def test_export_unknown_format_is_clear(tmp_path):
    with pytest.raises(ValueError, match="Supported formats: onnx, torch"):
        _functional().export(str(tmp_path / "m.tf"), format="tf_saved_model")
