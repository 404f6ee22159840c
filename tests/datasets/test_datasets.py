"""Data set loaders on the shared real data, a synthetic CIFAR tree, and errors."""

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from lamina.datasets import boston_housing
from lamina.datasets import california_housing
from lamina.datasets import cifar10
from lamina.datasets import cifar100
from lamina.datasets import digits
from lamina.datasets import fashion_mnist
from lamina.datasets import imdb
from lamina.datasets import mnist
from lamina.datasets import reuters
from lamina.datasets._safe_pickle import load_npz

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared data not present")


def _data(name: str) -> str:
    return str((DATA / name).resolve())


@needs_data
def test_imdb_matches_published_facts():
    (x_train, y_train), (x_test, y_test) = imdb.load_data(path=_data("imdb.npz"))
    assert x_train.shape == (25000,) and x_train.dtype == object
    assert len(x_train[0]) == 218
    assert x_train[0][:6] == [1, 14, 22, 16, 43, 530]
    assert y_train[:10].tolist() == [1, 0, 0, 1, 0, 0, 1, 0, 1, 0]
    assert len(x_test[0]) == 68 and y_test.dtype == np.int64


@needs_data
def test_imdb_num_words_and_maxlen():
    (x_train, _), (x_test, _) = imdb.load_data(
        path=_data("imdb.npz"), num_words=100, maxlen=50
    )
    assert max(max(seq) for seq in x_train) < 100
    assert all(len(seq) < 50 for seq in x_test)


@needs_data
def test_imdb_word_index():
    index = imdb.get_word_index(path=_data("imdb_word_index.json"))
    assert len(index) == 88584
    assert index["the"] == 1 and index["br"] == 7


@needs_data
def test_reuters_matches_published_facts():
    (x_train, y_train), (x_test, _) = reuters.load_data(path=_data("reuters.npz"))
    assert len(x_train) == 8982 and len(x_test) == 2246
    assert x_train[10][:10] == [1, 245, 273, 207, 156, 53, 74, 160, 26, 14]
    assert x_train[10][-2:] == [17, 12]
    assert x_train[0][:3] == [1, 27595, 28842]
    assert int(y_train.max()) == 45
    assert len(reuters.get_label_names()) == 46
    index = reuters.get_word_index(path=_data("reuters_word_index.json"))
    assert index["northerly"] == 30979


@needs_data
def test_mnist_shapes_and_labels():
    (x_train, y_train), (x_test, y_test) = mnist.load_data(path=_data("mnist.npz"))
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert x_test.shape == (10000, 28, 28) and y_test.dtype == np.uint8


@needs_data
def test_fashion_mnist_from_local_folder():
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(
        path=_data("fashion-mnist")
    )
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_test[:10].tolist() == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]


@needs_data
def test_boston_and_california_housing():
    (x_train, y_train), (x_test, _) = boston_housing.load_data(
        path=_data("boston_housing.npz")
    )
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13)
    np.testing.assert_allclose(y_train[:3], [15.2, 42.3, 50.0])
    (x_train, _), (x_test, _) = california_housing.load_data(
        path=_data("california_housing.npz")
    )
    assert x_train.shape == (16512, 8) and x_test.shape == (4128, 8)
    assert x_train.dtype == np.float32
    (x_small, _), _ = california_housing.load_data(
        "small", path=_data("california_housing.npz")
    )
    assert len(x_small) == 480


def test_digits_is_bundled_and_split():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert x_train.shape == (1437, 8, 8) and x_test.shape == (360, 8, 8)
    assert x_train.dtype == np.uint8 and int(x_train.max()) == 16
    assert sorted(set(np.concatenate([y_train, y_test]).tolist())) == list(range(10))
    (again, _), _ = digits.load_data()
    np.testing.assert_array_equal(again, x_train)
    (_, _), (x_test, _) = digits.load_data(test_split=0.5, seed=1)
    assert len(x_test) == 1797 - int(1797 * 0.5)


def _write_cifar(folder: Path, names: list[str], label_keys: list[str], count=3):
    folder.mkdir(parents=True)
    rng = np.random.RandomState(0)
    batches = {}
    for name in names:
        batch = {
            b"batch_label": b"synthetic",
            b"data": rng.randint(0, 256, (count, 3072)).astype("uint8"),
        }
        for key in label_keys:
            batch[key.encode()] = rng.randint(0, 10, count).tolist()
        with open(folder / name, "wb") as stream:
            pickle.dump(batch, stream, protocol=2)
        batches[name] = batch
    return batches


def test_cifar10_reads_synthetic_batches(tmp_path):
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    batches = _write_cifar(tmp_path / "cifar-10-batches-py", names, ["labels"])
    (x_train, y_train), (x_test, y_test) = cifar10.load_data(path=tmp_path)
    assert x_train.shape == (15, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (15, 1) and y_test.dtype == np.uint8
    first = batches["data_batch_1"][b"data"][0].reshape(3, 32, 32).transpose(1, 2, 0)
    np.testing.assert_array_equal(x_train[0], first)
    assert y_test.ravel().tolist() == batches["test_batch"][b"labels"]


def test_cifar100_label_modes(tmp_path):
    batches = _write_cifar(
        tmp_path / "c", ["train", "test"], ["fine_labels", "coarse_labels"]
    )
    (_, y_fine), _ = cifar100.load_data(path=tmp_path / "c")
    (_, y_coarse), _ = cifar100.load_data("coarse", path=tmp_path / "c")
    assert y_fine.ravel().tolist() == batches["train"][b"fine_labels"]
    assert y_coarse.ravel().tolist() == batches["train"][b"coarse_labels"]
    with pytest.raises(ValueError, match="label_mode='fine' or 'coarse'"):
        cifar100.load_data("medium", path=tmp_path / "c")


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_cifar_batch_with_code_is_refused(tmp_path):
    folder = tmp_path / "cifar-100-python"
    folder.mkdir()
    for name in ("train", "test"):
        with open(folder / name, "wb") as stream:
            pickle.dump({b"data": _Evil()}, stream, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="Refusing to load"):
        cifar100.load_data(path=tmp_path)


def test_npz_object_array_with_code_is_refused(tmp_path):
    evil = np.empty(1, dtype=object)
    evil[0] = _Evil()
    np.savez(tmp_path / "imdb.npz", x_train=evil, y_train=np.zeros(1))
    with pytest.raises(pickle.UnpicklingError, match="Refusing to load"):
        load_npz(tmp_path / "imdb.npz")


def test_npz_object_array_must_hold_int_lists(tmp_path):
    odd = np.empty(2, dtype=object)
    odd[0], odd[1] = [1, 2], ["a"]
    np.savez(tmp_path / "x.npz", x=odd)
    with pytest.raises(ValueError, match="lists of ints"):
        load_npz(tmp_path / "x.npz")


def test_offline_loader_error_names_file_and_path_option(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path))
    monkeypatch.setattr("lamina.datasets._resolve.ORIGIN_FOLDER", "http://127.0.0.1:9/")
    monkeypatch.setattr("lamina.datasets.mnist.ORIGIN_FOLDER", "http://127.0.0.1:9/")
    with pytest.raises(ConnectionError) as info:
        mnist.load_data()
    message = str(info.value)
    assert os.path.join(str(tmp_path), "datasets", "mnist.npz") in message
    assert "mnist.load_data(path=" in message


def test_missing_absolute_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        boston_housing.load_data(path=str(tmp_path / "nope.npz"))
    with pytest.raises(FileNotFoundError, match="has no train-labels"):
        fashion_mnist.load_data(path=tmp_path)


def test_invalid_test_split_and_version():
    with pytest.raises(ValueError, match="test_split=1.5"):
        digits.load_data(test_split=1.5)
    with pytest.raises(ValueError, match="version='small' or"):
        california_housing.load_data("tiny")


def test_imdb_rejects_unknown_kwargs_and_maps_nb_words(tmp_path):
    seqs = np.empty(2, dtype=object)
    seqs[0], seqs[1] = [1, 5], [4]
    np.savez(tmp_path / "i.npz", x_train=seqs, y_train=np.array([0, 1]),
             x_test=seqs, y_test=np.array([1, 0]))  # fmt: skip
    with pytest.raises(TypeError, match="unexpected keyword"):
        imdb.load_data(path=str(tmp_path / "i.npz"), colour="red")
    with pytest.warns(UserWarning, match="nb_words"):
        (x_train, _), _ = imdb.load_data(path=str(tmp_path / "i.npz"), nb_words=5)
    assert max(max(seq) for seq in x_train) < 5
    with pytest.raises(ValueError, match="kept no review"):
        imdb.load_data(path=str(tmp_path / "i.npz"), maxlen=1)
