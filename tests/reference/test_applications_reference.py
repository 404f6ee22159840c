"""lamina.applications against keras.applications.

Each model is built by both libraries with `weights=None`; they must agree on
layer names, classes, weight paths and shapes (so Keras's weight files load
by position, as Keras loads them), on the layer configs and graph (so `.keras`
files move both ways), and, with Keras's weights copied into lamina, on the
predictions. The heaviest variants run only with `-m slow`.
"""

import contextlib
import functools
import hashlib
import http.server
import importlib
import json
import os
import threading

import h5py
import numpy as np
import pytest
import torch

import lamina
from lamina import applications
from lamina.applications import imagenet_utils
from lamina.applications import mobilenet_v3
from lamina.backend.config import image_data_format
from lamina.backend.config import set_image_data_format
from lamina.backend.keras2 import clear_session
from lamina.models.functional import Functional
from lamina.saving import load_model

SMALL = {"input_shape": (32, 32, 3)}
# The deepest models need room for their features to keep the images apart.
MEDIUM = {"input_shape": (64, 64, 3)}
DEFAULT_CASES = [
    ("VGG16", {**SMALL, "classes": 10}),
    ("VGG16", {**SMALL, "include_top": False}),
    ("VGG16", {**SMALL, "include_top": False, "pooling": "avg"}),
    ("VGG19", {**SMALL, "include_top": False, "pooling": "max"}),
    ("ResNet50", {**SMALL, "classes": 10, "classifier_activation": None}),
    ("ResNet50V2", {**SMALL, "include_top": False, "pooling": "avg"}),
    ("DenseNet121", {**SMALL, "include_top": False, "pooling": "max"}),
    ("InceptionV3", {"input_shape": (75, 75, 3), "classes": 10}),
    ("Xception", {"input_shape": (71, 71, 3), "include_top": False}),
    ("MobileNet", {**SMALL, "classes": 10, "classifier_activation": None}),
    ("MobileNet", {**SMALL, "alpha": 0.5, "depth_multiplier": 2, "include_top": False}),
    ("MobileNetV2", {**SMALL, "classes": 10, "classifier_activation": None}),
    ("MobileNetV2", {**SMALL, "alpha": 0.35, "include_top": False, "pooling": "avg"}),
    ("MobileNetV3Small", {**SMALL, "classes": 10}),
    ("MobileNetV3Large", {**SMALL, "include_top": False, "pooling": "avg"}),
    (
        "MobileNetV3Large",
        {**SMALL, "minimalistic": True, "include_top": False, "pooling": "max"},
    ),
    ("EfficientNetB0", {**SMALL, "classes": 10, "classifier_activation": None}),
]
SLOW_CASES = [
    ("VGG19", {**SMALL, "classes": 10}),
    ("ResNet101", {**SMALL, "include_top": False, "pooling": "avg"}),
    ("ResNet152", {**SMALL, "classes": 10}),
    ("ResNet101V2", {**SMALL, "classes": 10}),
    ("ResNet152V2", {**SMALL, "include_top": False}),
    ("DenseNet169", {**SMALL, "classes": 10}),
    ("DenseNet201", {**SMALL, "include_top": False, "pooling": "avg"}),
    (
        "InceptionV3",
        {"input_shape": (75, 75, 3), "include_top": False, "pooling": "max"},
    ),
    ("Xception", {"input_shape": (71, 71, 3), "classes": 10}),
    ("EfficientNetB0", {**SMALL, "include_top": False, "pooling": "avg"}),
    ("EfficientNetB1", {**SMALL, "include_top": False}),
    ("EfficientNetB2", {**MEDIUM, "classes": 10, "classifier_activation": None}),
    ("EfficientNetB3", {**MEDIUM, "include_top": False, "pooling": "avg"}),
    ("EfficientNetB4", {**MEDIUM, "classes": 10, "classifier_activation": None}),
    ("EfficientNetB5", {**MEDIUM, "include_top": False, "pooling": "max"}),
    ("EfficientNetB6", {**MEDIUM, "classes": 10, "classifier_activation": None}),
    ("EfficientNetB7", {**MEDIUM, "include_top": False, "pooling": "avg"}),
]


def _case_id(case):
    name, kwargs = case
    details = "-".join(f"{key}={value}" for key, value in kwargs.items())
    return f"{name}-{details}"


def _build_pair(keras, name, **kwargs):
    keras.backend.clear_session()
    clear_session()  # lamina's automatic names restart too
    keras_model = getattr(keras.applications, name)(weights=None, **kwargs)
    lamina_model = getattr(applications, name)(weights=None, **kwargs)
    return keras_model, lamina_model


def _randomize(keras, model, images, seed=0):
    """Random scales and shifts, then moving statistics measured on `images`.

    Distinct values catch a swapped or missed weight; measured statistics
    keep the signal of a deep randomly initialised network from fading, so
    the predictions depend on the image.
    """
    rng = np.random.default_rng(seed)
    values = []
    for variable in model.weights:
        value = keras.ops.convert_to_numpy(variable.value)
        if variable.name in ("gamma", "variance"):
            value = rng.uniform(0.5, 1.5, value.shape)
        elif variable.name in ("beta", "mean", "bias"):
            value = rng.normal(0.0, 0.1, value.shape)
        values.append(value.astype(variable.dtype))
    model.set_weights(values)
    _measure_statistics(keras, model, images)


def _measure_statistics(keras, model, images):
    """Sets every moving mean and variance to its batch statistic on `images`."""
    norms = [
        layer
        for layer in model.layers
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    dropouts = [
        layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)
    ]
    rates = [layer.rate for layer in dropouts]
    for layer in norms:
        layer.momentum = 0.0  # one training step stores the batch statistics
    for layer in dropouts:
        layer.rate = 0.0  # measured as inference will see them
    model(images, training=True)
    for layer, rate in zip(dropouts, rates, strict=True):
        layer.rate = rate
    for layer in norms:
        layer.momentum = 0.99
        # A channel nearly constant over the few calibration images would
        # amplify the test images' differences without bound.
        variance = keras.ops.convert_to_numpy(layer.moving_variance.value)
        layer.moving_variance.assign(variance + 0.5 * variance.mean())


def _graph(config):
    """Layer class, name, config and inputs (layer names or constants)."""
    layers = []
    for layer in config["layers"]:
        inbound = [
            [_source(arg) for arg in node["args"]] for node in layer["inbound_nodes"]
        ]
        layers.append((layer["class_name"], layer["name"], layer["config"], inbound))
    return layers


def _source(arg):
    if isinstance(arg, dict) and "keras_history" in arg.get("config", {}):
        return arg["config"]["keras_history"][0]
    if isinstance(arg, list):
        return [_source(item) for item in arg]
    return arg


def _assert_same_structure(keras_model, lamina_model):
    assert lamina_model.name == keras_model.name
    assert [(type(layer).__name__, layer.name) for layer in lamina_model.layers] == [
        (type(layer).__name__, layer.name) for layer in keras_model.layers
    ]
    assert [(w.path, tuple(w.shape)) for w in lamina_model.weights] == [
        (w.path, tuple(w.shape)) for w in keras_model.weights
    ]
    keras_config = json.loads(json.dumps(keras_model.get_config()))
    lamina_config = json.loads(json.dumps(lamina_model.get_config()))
    assert _graph(lamina_config) == _graph(keras_config)


def _images(name, model, seed=1, count=2):
    """Random pixels, prepared by the model's own `preprocess_input`.

    Each image gets its own contrast and colour cast: plain noise images all
    look alike once a deep network has averaged them.
    """
    rng = np.random.default_rng(seed)
    shape = (count, *(side or 48 for side in model.input_shape[1:]))
    contrast = rng.uniform(0.2, 1.0, (count, 1, 1, 1))
    cast = rng.uniform(0.0, 100.0, (count, 1, 1, shape[-1]))
    pixels = np.clip(rng.uniform(0.0, 155.0, shape) * contrast + cast, 0, 255)
    module = importlib.import_module(getattr(applications, name).__module__)
    return module.preprocess_input(pixels.astype("float32"))


def _assert_same_predictions(keras, keras_model, lamina_model, images):
    expected = keras.ops.convert_to_numpy(keras_model(images, training=False))
    with torch.no_grad():
        tensor = torch.from_numpy(np.ascontiguousarray(images))
        actual = lamina_model(tensor, training=False).numpy()
    scale = np.abs(expected).max()
    assert scale > 0
    # The model is no constant function: the two images' predictions differ
    # (deep random networks average noise images to nearly one point).
    assert np.abs(expected[0] - expected[1]).max() > 1e-5 * scale
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4 * scale)


# Cases that also go through files: Keras's published weight format (a
# Keras 2 HDF5 file loaded by position) and the Keras 3 `.keras` format.
_VIA_KERAS2_FILE = {"EfficientNetB0"}
_VIA_KERAS_FILE = {"MobileNetV3Small"}


def _check_against_keras(keras, name, kwargs, folder):
    keras_model, lamina_model = _build_pair(keras, name, **kwargs)
    _assert_same_structure(keras_model, lamina_model)
    _randomize(keras, keras_model, _images(name, lamina_model, seed=2, count=8))
    if name in _VIA_KERAS2_FILE:
        _save_keras2_weights(keras_model, folder / "weights.h5")
        lamina_model.load_weights(folder / "weights.h5")
    else:
        lamina_model.set_weights(keras_model.get_weights())
    images = _images(name, lamina_model)
    _assert_same_predictions(keras, keras_model, lamina_model, images)
    if name in _VIA_KERAS_FILE:
        _check_keras_files(keras, keras_model, lamina_model, images, folder)


def _check_keras_files(keras, keras_model, lamina_model, images, folder):
    """`.keras` files saved by either library load in the other."""
    keras_model.save(folder / "keras.keras")
    loaded = load_model(folder / "keras.keras")
    _assert_same_predictions(keras, keras_model, loaded, images)
    lamina_model.save(folder / "lamina.keras")
    reloaded = keras.saving.load_model(folder / "lamina.keras")
    _assert_same_predictions(keras, reloaded, lamina_model, images)


@pytest.mark.parametrize("case", DEFAULT_CASES, ids=_case_id)
def test_applications_match_keras(keras, case, tmp_path):
    _check_against_keras(keras, *case, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("case", SLOW_CASES, ids=_case_id)
def test_applications_match_keras_large_variants(keras, case, tmp_path):
    _check_against_keras(keras, *case, tmp_path)


@pytest.fixture
def channels_first(keras):
    """Both libraries build `channels_first` models for the test's duration."""
    keras_previous = keras.config.image_data_format()
    previous = image_data_format()
    keras.config.set_image_data_format("channels_first")
    set_image_data_format("channels_first")
    yield
    keras.config.set_image_data_format(keras_previous)
    set_image_data_format(previous)


@pytest.mark.parametrize(
    "case",
    [
        ("MobileNetV2", {"input_shape": (3, 32, 32), "classes": 10}),
        ("EfficientNetB0", {"input_shape": (3, 32, 32), "include_top": False}),
    ],
    ids=_case_id,
)
def test_applications_match_keras_channels_first(keras, case, tmp_path, channels_first):
    _check_against_keras(keras, *case, tmp_path)


# ---------------------------------------------------------------- weight files
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 -- the http.server hook name
        type(self).requests.append(self.path)
        super().do_GET()

    def log_message(self, *args):  # keep the test output clean
        pass


@contextlib.contextmanager
def _serve(folder):
    """Serves `folder` on 127.0.0.1; yields the base URL and the request log."""
    handler = type("Handler", (_QuietHandler,), {"requests": []})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", handler.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def _save_keras2_weights(model, path):
    """Writes `model`'s weights as Keras's published files are: Keras 2 HDF5
    with `layer_names` and per-layer `weight_names`."""
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)


@pytest.fixture
def published_mobilenet(keras, tmp_path, monkeypatch):
    """A MobileNetV3Small weights file written by Keras, served locally under
    Keras's file name, with lamina's URL and hash pointed at it."""
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path / "home"))
    keras.backend.clear_session()
    keras_model = keras.applications.MobileNetV3Small(
        input_shape=(32, 32, 3), weights=None, include_top=False, pooling="avg"
    )
    _randomize(keras, keras_model, _images("MobileNetV3Small", keras_model, count=4))
    served = tmp_path / "served"
    served.mkdir()
    file_name = "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5"
    _save_keras2_weights(keras_model, served / file_name)
    with h5py.File(served / file_name) as file:
        assert "layer_names" in file.attrs  # the Keras 2 layout
    top_hash = mobilenet_v3.WEIGHTS_HASHES["small_224_1.0_float"][0]
    monkeypatch.setitem(
        mobilenet_v3.WEIGHTS_HASHES,
        "small_224_1.0_float",
        (top_hash, _md5(served / file_name)),
    )
    with _serve(served) as (url, requests):
        monkeypatch.setattr(mobilenet_v3, "BASE_WEIGHT_PATH", url)
        yield keras_model, tmp_path / "home" / "models" / file_name, requests


def _imagenet_mobilenet():
    with pytest.warns(UserWarning, match="224x224"):
        return applications.MobileNetV3Small(
            input_shape=(32, 32, 3),
            weights="imagenet",
            include_top=False,
            pooling="avg",
        )


def test_imagenet_weights_download_once_and_predict_as_keras(
    keras, published_mobilenet
):
    keras_model, cached, requests = published_mobilenet
    model = _imagenet_mobilenet()
    assert cached.is_file()
    assert requests == [f"/{cached.name}"]
    images = _images("MobileNetV3Small", model)
    _assert_same_predictions(keras, keras_model, model, images)
    _imagenet_mobilenet()  # the cached, verified file is used again
    assert len(requests) == 1


def test_imagenet_weights_with_wrong_hash_leave_no_file(
    published_mobilenet, monkeypatch
):
    _, cached, _ = published_mobilenet
    monkeypatch.setitem(
        mobilenet_v3.WEIGHTS_HASHES, "small_224_1.0_float", ("0" * 32, "0" * 32)
    )
    with pytest.raises(ValueError, match="hash"):
        _imagenet_mobilenet()
    assert os.listdir(cached.parent) == []


# -------------------------------------------------------- imagenet_utils
@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("ndim", [3, 4])
def test_preprocess_input_matches_keras(keras, mode, data_format, ndim):
    from keras.applications import imagenet_utils as keras_utils

    shape = (2, 3, 5, 3) if data_format == "channels_last" else (2, 3, 5, 4)
    pixels = (
        np.random.default_rng(0).uniform(0, 255, shape[4 - ndim :]).astype("float32")
    )
    expected = keras_utils.preprocess_input(pixels.copy(), data_format, mode)
    actual = imagenet_utils.preprocess_input(pixels.copy(), data_format, mode)
    np.testing.assert_array_equal(actual, expected)
    assert actual.dtype == expected.dtype
    tensor_expected = keras_utils.preprocess_input(
        torch.tensor(pixels), data_format, mode
    )
    tensor_actual = imagenet_utils.preprocess_input(
        torch.tensor(pixels), data_format, mode
    )
    np.testing.assert_allclose(
        tensor_actual.numpy(), keras.ops.convert_to_numpy(tensor_expected), rtol=1e-6
    )


def test_preprocess_input_converts_integers_as_keras(keras):
    from keras.applications import imagenet_utils as keras_utils

    pixels = np.random.default_rng(0).integers(0, 256, (2, 4, 4, 3)).astype("uint8")
    for mode in ("caffe", "tf", "torch"):
        expected = keras_utils.preprocess_input(pixels.copy(), mode=mode)
        actual = imagenet_utils.preprocess_input(pixels.copy(), mode=mode)
        np.testing.assert_array_equal(actual, expected)
        assert actual.dtype == expected.dtype == np.float32


def _class_index_file(folder):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    path = folder / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    return path, index


def test_decode_predictions_matches_keras(keras, tmp_path, monkeypatch):
    from keras.src.applications import imagenet_utils as keras_utils

    served = tmp_path / "served"
    served.mkdir()
    path, index = _class_index_file(served)
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(keras_utils, "CLASS_INDEX", index)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", _md5(path))
    preds = np.random.default_rng(0).random((3, 1000)).astype("float32")
    with _serve(served) as (url, requests):
        monkeypatch.setattr(
            imagenet_utils, "CLASS_INDEX_PATH", f"{url}imagenet_class_index.json"
        )
        for top in (5, 1, 20):
            actual = applications.vgg16.decode_predictions(preds, top=top)
            assert actual == keras_utils.decode_predictions(preds, top=top)
    assert requests == ["/imagenet_class_index.json"]
    assert (tmp_path / "home" / "models" / "imagenet_class_index.json").is_file()


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_symbolic_preprocess_input_saves_a_graph_keras_reads(keras, mode, tmp_path):
    inputs = lamina.Input(shape=(4, 4, 3))
    model = Functional(inputs, imagenet_utils.preprocess_input(inputs, mode=mode))
    model.save(tmp_path / "preprocess.keras")
    restored = keras.saving.load_model(tmp_path / "preprocess.keras")
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(restored(pixels)),
        model.predict(pixels, verbose=0),
        rtol=1e-6,
    )
