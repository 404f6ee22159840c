"""preprocess_input modes and decode_predictions, offline."""

import hashlib
import json

import numpy as np
import pytest
import torch

import lamina
from lamina.applications import imagenet_utils
from lamina.models.functional import Functional

UNREACHABLE = "http://127.0.0.1:9/imagenet_class_index.json"


def test_preprocess_input_tf_mode_scales_to_minus_one_one():
    pixels = np.array([[[0.0, 127.5, 255.0]]])
    out = imagenet_utils.preprocess_input(pixels, mode="tf")
    np.testing.assert_allclose(out, [[[-1.0, 0.0, 1.0]]])


def test_preprocess_input_caffe_mode_swaps_to_bgr_and_centres():
    pixels = np.array([[[10.0, 20.0, 30.0]]], dtype="float32")
    out = imagenet_utils.preprocess_input(pixels)
    np.testing.assert_allclose(out, [[[30 - 103.939, 20 - 116.779, 10 - 123.68]]])


def test_preprocess_input_caffe_mode_channels_first():
    pixels = np.zeros((1, 3, 2, 2), dtype="float32")
    pixels[:, 0] = 10.0  # red
    out = imagenet_utils.preprocess_input(pixels, data_format="channels_first")
    np.testing.assert_allclose(out[0, :, 0, 0], [-103.939, -116.779, 10 - 123.68])


def test_preprocess_input_torch_mode_normalises_each_channel():
    pixels = np.full((2, 2, 3), 255.0, dtype="float32")
    out = imagenet_utils.preprocess_input(pixels, mode="torch")
    expected = (1.0 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(out[0, 0], expected, rtol=1e-6)


def test_preprocess_input_writes_over_float_arrays_as_keras_documents():
    pixels = np.full((1, 2, 2, 3), 255.0, dtype="float32")
    out = imagenet_utils.preprocess_input(pixels, mode="tf")
    assert np.shares_memory(out, pixels)
    np.testing.assert_allclose(pixels, 1.0)


def test_preprocess_input_converts_integer_arrays_to_floatx():
    pixels = np.full((1, 2, 2, 3), 255, dtype="uint8")
    out = imagenet_utils.preprocess_input(pixels, mode="tf")
    assert out.dtype == np.float32
    assert pixels[0, 0, 0, 0] == 255  # the input is untouched


def test_preprocess_input_returns_a_new_tensor_for_torch_inputs():
    pixels = torch.full((1, 2, 2, 3), 255.0)
    out = imagenet_utils.preprocess_input(pixels, mode="caffe")
    assert torch.equal(pixels, torch.full((1, 2, 2, 3), 255.0))
    np.testing.assert_allclose(
        out[0, 0, 0].numpy(), [151.061, 138.221, 131.32], rtol=1e-5
    )


def test_preprocess_input_inside_a_functional_model():
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    for mode in ("caffe", "tf", "torch"):
        inputs = lamina.Input(shape=(4, 4, 3))
        model = Functional(inputs, imagenet_utils.preprocess_input(inputs, mode=mode))
        expected = imagenet_utils.preprocess_input(pixels.copy(), mode=mode)
        np.testing.assert_allclose(
            model.predict(pixels, verbose=0), expected, rtol=1e-6
        )


def test_preprocess_input_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode='keras'"):
        imagenet_utils.preprocess_input(np.zeros((1, 1, 3)), mode="keras")


def test_preprocess_input_rejects_unknown_data_format():
    with pytest.raises(ValueError, match="data_format='nhwc'"):
        imagenet_utils.preprocess_input(np.zeros((1, 1, 3)), data_format="nhwc")


def test_preprocess_input_rejects_lists():
    with pytest.raises(TypeError, match="np.asarray"):
        imagenet_utils.preprocess_input([[[0.0, 0.0, 0.0]]])


@pytest.fixture
def cached_class_index(tmp_path, monkeypatch):
    """A class index already in `$LAMINA_HOME/models`; the network is unreachable."""
    folder = tmp_path / "models"
    folder.mkdir()
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    path = folder / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_PATH", UNREACHABLE)
    digest = hashlib.md5(path.read_bytes()).hexdigest()
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", digest)
    return path


def test_decode_predictions_reads_the_cached_class_index(cached_class_index):
    preds = np.zeros((2, 1000), dtype="float32")
    preds[0, 7] = 0.9
    preds[0, 3] = 0.5
    preds[1, 999] = 1.0
    decoded = imagenet_utils.decode_predictions(torch.tensor(preds), top=2)
    assert decoded[0] == [("n00000007", "class_7", 0.9), ("n00000003", "class_3", 0.5)]
    assert decoded[1][0] == ("n00000999", "class_999", 1.0)
    assert isinstance(decoded[0][0][2], np.float32)


def test_decode_predictions_without_cache_or_network_says_where_to_put_it(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_PATH", UNREACHABLE)
    with pytest.raises(ConnectionError, match="imagenet_class_index.json"):
        imagenet_utils.decode_predictions(np.zeros((1, 1000)))


def test_decode_predictions_rejects_other_shapes():
    with pytest.raises(ValueError, match=r"received shape \(2, 10\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


def test_decode_predictions_rejects_non_positive_top(cached_class_index):
    with pytest.raises(ValueError, match="top=0"):
        imagenet_utils.decode_predictions(np.zeros((1, 1000)), top=0)
