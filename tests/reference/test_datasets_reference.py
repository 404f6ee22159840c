"""lamina's loaders return exactly what Keras's loaders return on the same files."""

from pathlib import Path

import numpy as np
import pytest

from lamina.datasets import boston_housing
from lamina.datasets import california_housing
from lamina.datasets import cifar100
from lamina.datasets import fashion_mnist
from lamina.datasets import imdb
from lamina.datasets import mnist
from lamina.datasets import reuters

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared data not present")


def _path(name: str) -> str:
    return str((DATA / name).resolve())


def _assert_same(ours, theirs):
    for our_split, their_split in zip(ours, theirs, strict=True):
        for a, b in zip(our_split, their_split, strict=True):
            assert a.shape == b.shape and a.dtype == b.dtype
            if a.dtype == object:
                assert a.tolist() == b.tolist()
            else:
                np.testing.assert_array_equal(a, b)


def _patch(monkeypatch, module: str, path: str):
    monkeypatch.setattr(f"keras.src.datasets.{module}.get_file", lambda *a, **k: path)


@needs_data
@pytest.mark.parametrize(
    "kwargs", [{}, {"num_words": 500, "skip_top": 10, "maxlen": 200, "seed": 3}]
)
def test_imdb_equals_keras(keras, monkeypatch, kwargs):
    from keras.src.datasets import imdb as keras_imdb

    _patch(monkeypatch, "imdb", _path("imdb.npz"))
    _assert_same(imdb.load_data(path=_path("imdb.npz"), **kwargs),
                 keras_imdb.load_data(**kwargs))  # fmt: skip


@needs_data
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"num_words": 1000, "maxlen": 100, "test_split": 0.3, "oov_char": None}],
)
def test_reuters_equals_keras(keras, monkeypatch, kwargs):
    from keras.src.datasets import reuters as keras_reuters

    _patch(monkeypatch, "reuters", _path("reuters.npz"))
    _assert_same(reuters.load_data(path=_path("reuters.npz"), **kwargs),
                 keras_reuters.load_data(**kwargs))  # fmt: skip
    assert reuters.get_label_names() == keras_reuters.get_label_names()


@needs_data
def test_word_indexes_equal_keras(keras, monkeypatch):
    from keras.src.datasets import imdb as keras_imdb
    from keras.src.datasets import reuters as keras_reuters

    for module, ours, theirs in (("imdb", imdb, keras_imdb),
                                 ("reuters", reuters, keras_reuters)):  # fmt: skip
        path = _path(f"{module}_word_index.json")
        _patch(monkeypatch, module, path)
        assert ours.get_word_index(path=path) == theirs.get_word_index()


@needs_data
def test_image_and_tabular_loaders_equal_keras(keras, monkeypatch):
    from keras.src.datasets import boston_housing as keras_boston
    from keras.src.datasets import california_housing as keras_california
    from keras.src.datasets import fashion_mnist as keras_fashion
    from keras.src.datasets import mnist as keras_mnist

    _patch(monkeypatch, "mnist", _path("mnist.npz"))
    _assert_same(mnist.load_data(path=_path("mnist.npz")), keras_mnist.load_data())
    _patch(monkeypatch, "boston_housing", _path("boston_housing.npz"))
    _assert_same(boston_housing.load_data(path=_path("boston_housing.npz"), seed=7,
                                          test_split=0.3),
                 keras_boston.load_data(seed=7, test_split=0.3))  # fmt: skip
    _patch(monkeypatch, "california_housing", _path("california_housing.npz"))
    for version in ("large", "small"):
        _assert_same(
            california_housing.load_data(version, path=_path("california_housing.npz")),
            keras_california.load_data(version),
        )
    monkeypatch.setattr(
        "keras.src.datasets.fashion_mnist.get_file",
        lambda fname, **k: _path(f"fashion-mnist/{fname}"),
    )
    _assert_same(fashion_mnist.load_data(path=_path("fashion-mnist")),
                 keras_fashion.load_data())  # fmt: skip


def test_cifar100_equals_keras_on_synthetic_tree(keras, monkeypatch, tmp_path):
    import pickle

    from keras.src.datasets import cifar100 as keras_cifar100

    rng = np.random.RandomState(1)
    folder = tmp_path / "cifar-100-python"
    folder.mkdir()
    for name in ("train", "test"):
        fine = rng.randint(0, 100, 6).tolist()
        batch = {
            b"data": rng.randint(0, 256, (6, 3072)).astype("uint8"),
            b"fine_labels": fine,
            b"coarse_labels": [label // 5 for label in fine],
        }
        with open(folder / name, "wb") as stream:
            # Protocol 3 stores bytes as Python 2 did, which Keras's stricter
            # unpickler needs.
            pickle.dump(batch, stream, protocol=3)
    monkeypatch.setattr(
        "keras.src.datasets.cifar100.get_file", lambda *a, **k: str(tmp_path)
    )
    for mode in ("fine", "coarse"):
        _assert_same(
            cifar100.load_data(mode, path=tmp_path), keras_cifar100.load_data(mode)
        )
