"""VGG16: argument checks, input tensors, weight files, transfer learning."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

import lamina
from lamina.applications import vgg16
from lamina.datasets import fashion_mnist
from lamina.layers.core.dense import Dense
from lamina.layers.preprocessing.image.rescaling import Rescaling
from lamina.layers.reshaping.flatten import Flatten
from lamina.models.functional import Functional

SMALL = (32, 32, 3)
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
NOTOP_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"


def test_vgg16_layers_and_output_shape():
    model = vgg16.VGG16(weights=None, include_top=False, input_shape=SMALL)
    names = [layer.name for layer in model.layers]
    assert names[0].startswith("input_layer")
    assert names[1:4] == ["block1_conv1", "block1_conv2", "block1_pool"]
    assert names[-1] == "block5_pool"
    assert model.output_shape == (None, 1, 1, 512)
    assert model.name == "vgg16"


def test_vgg16_rejects_unknown_weights():
    with pytest.raises(ValueError, match="weights='imagenet21k'"):
        vgg16.VGG16(weights="imagenet21k")


def test_vgg16_rejects_imagenet_top_with_other_classes():
    with pytest.raises(ValueError, match="classes=10"):
        vgg16.VGG16(weights="imagenet", classes=10)


def test_vgg16_rejects_unknown_pooling():
    with pytest.raises(ValueError, match="pooling='mean'"):
        vgg16.VGG16(weights=None, include_top=False, pooling="mean")


def test_vgg16_rejects_images_smaller_than_32():
    with pytest.raises(ValueError, match="at least 32x32"):
        vgg16.VGG16(weights=None, include_top=False, input_shape=(16, 16, 3))


def test_vgg16_rejects_two_dimensional_input_shape():
    with pytest.raises(ValueError, match="three integers"):
        vgg16.VGG16(weights=None, include_top=False, input_shape=(32, 32))


def test_vgg16_imagenet_top_needs_224():
    with pytest.raises(ValueError, match=r"must be \(224, 224, 3\)"):
        vgg16.VGG16(weights="imagenet", input_shape=(150, 150, 3))


def test_vgg16_imagenet_needs_three_channels():
    with pytest.raises(ValueError, match="3 input channels"):
        vgg16.VGG16(weights="imagenet", include_top=False, input_shape=(64, 64, 1))


def test_vgg16_top_needs_a_fixed_size():
    with pytest.raises(ValueError, match="must be fixed"):
        vgg16.VGG16(weights=None, input_shape=(None, None, 3))


def test_vgg16_warns_on_unusual_channel_counts():
    with pytest.warns(UserWarning, match="5 channels"):
        vgg16.VGG16(weights=None, include_top=False, input_shape=(32, 32, 5))


def test_vgg16_pretrained_classifier_allows_only_softmax(tmp_path):
    weights = tmp_path / "weights.h5"
    weights.touch()
    with pytest.raises(ValueError, match="classifier_activation='relu'"):
        vgg16.VGG16(
            weights=str(weights), input_shape=SMALL, classifier_activation="relu"
        )


def test_vgg16_on_an_input_tensor_keeps_its_predecessors():
    inputs = lamina.Input(shape=SMALL)
    scaled = Rescaling(1.0 / 255)(inputs)
    model = vgg16.VGG16(weights=None, include_top=False, input_tensor=scaled)
    assert model.inputs == [inputs]
    assert [layer.name for layer in model.layers[:3]] == [
        inputs._keras_history[0].name,
        scaled._keras_history[0].name,
        "block1_conv1",
    ]


def test_vgg16_rejects_arrays_as_input_tensor():
    with pytest.raises(ValueError, match="symbolic tensor"):
        vgg16.VGG16(weights=None, input_tensor=np.zeros((1, 32, 32, 3)))


@pytest.mark.parametrize("file_name", ["saved.h5", "saved.weights.h5"])
def test_vgg16_loads_a_weights_file_by_path(tmp_path, file_name):
    source = vgg16.VGG16(weights=None, include_top=False, input_shape=SMALL)
    source.save_weights(tmp_path / file_name)
    model = vgg16.VGG16(
        weights=str(tmp_path / file_name), include_top=False, input_shape=SMALL
    )
    for expected, actual in zip(source.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(actual, expected)


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    """`$LAMINA_HOME` in a temporary folder; downloads go nowhere."""
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path))
    monkeypatch.setattr(vgg16, "BASE_WEIGHTS_PATH", "http://127.0.0.1:9/")
    return tmp_path / "models"


def test_vgg16_imagenet_uses_the_cached_file(offline_cache, monkeypatch):
    source = vgg16.VGG16(weights=None, include_top=False, input_shape=SMALL)
    offline_cache.mkdir()
    source.save_weights(offline_cache / NOTOP_FILE)
    digest = hashlib.md5((offline_cache / NOTOP_FILE).read_bytes()).hexdigest()
    monkeypatch.setitem(vgg16.WEIGHTS_HASHES, "vgg16", ("unused", digest))
    model = vgg16.VGG16(weights="imagenet", include_top=False, input_shape=SMALL)
    np.testing.assert_array_equal(model.get_weights()[0], source.get_weights()[0])


def test_vgg16_imagenet_offline_names_the_file_to_place(offline_cache):
    with pytest.raises(ConnectionError, match=NOTOP_FILE):
        vgg16.VGG16(weights="imagenet", include_top=False, input_shape=SMALL)


def test_vgg16_preprocess_input_is_caffe_mode():
    out = vgg16.preprocess_input(np.zeros((1, 1, 1, 3), dtype="float32"))
    np.testing.assert_allclose(out[0, 0, 0], [-103.939, -116.779, -123.68], rtol=1e-6)


def _fashion_images(count):
    """Real Fashion-MNIST images, padded to 32x32 and repeated to RGB.

    The shared data holds no CIFAR-10 (too large for it); this is the closest
    real image set there.
    """
    (images, labels), _ = fashion_mnist.load_data(path=DATA / "fashion-mnist")
    images = np.pad(images[:count], ((0, 0), (2, 2), (2, 2)))  # (count, 32, 32)
    images = np.repeat(images[..., None], 3, axis=-1).astype("float32")
    return vgg16.preprocess_input(images), labels[:count]


@pytest.mark.skipif(not DATA.is_dir(), reason="shared data not present")
def test_vgg16_frozen_base_trains_a_new_head():
    lamina.utils.set_random_seed(0)
    images, labels = _fashion_images(256)
    base = vgg16.VGG16(weights=None, include_top=False, input_shape=SMALL)
    base.trainable = False
    inputs = lamina.Input(shape=SMALL)
    features = Flatten()(base(inputs, training=False))
    model = Functional(inputs, Dense(10, activation="softmax")(features))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    frozen = base.get_weights()
    head = model.layers[-1].get_weights()
    history = model.fit(images, labels, batch_size=64, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    for before, after in zip(frozen, base.get_weights(), strict=True):
        np.testing.assert_array_equal(after, before)
    for before, after in zip(head, model.layers[-1].get_weights(), strict=True):
        assert not np.array_equal(after, before)
