"""Loading files from strangers: no code runs, nothing outside the file is read."""

import base64
import json
import marshal
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import h5py
import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import lamina
from lamina.saving import LoadError

SAVING_FOLDER = os.path.dirname(lamina.saving.__file__)


def _small_model():
    return lamina.Sequential(
        [lamina.layers.Dense(3, input_shape=(2,)), lamina.layers.Dense(1)], name="small"
    )


def _rewrite_config(source, target, edit):
    with zipfile.ZipFile(source) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


# ------------------------------------------------------------------ bytecode
def _lambda_model():
    inputs = lamina.Input(shape=(2,))
    outputs = lamina.layers.Lambda(lambda x: x * 3, name="triple")(inputs)
    return lamina.Model(inputs, outputs)


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_lambda_bytecode_refused_unless_safe_mode_off(tmp_path, extension):
    path = str(tmp_path / f"lambda{extension}")
    _lambda_model().save(path)
    with pytest.raises(LoadError, match=r"Layer 'triple'.*safe_mode=False"):
        lamina.models.load_model(path)
    restored = lamina.models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(
        restored.predict(np.ones((1, 2)), verbose=0), [[3.0, 3.0]]
    )


def test_lambda_bytecode_refused_in_json():
    text = _lambda_model().to_json()
    with pytest.raises(LoadError, match="safe_mode=False"):
        lamina.models.model_from_json(text)


def _keras2_lambda_h5(path, marker):
    """A Keras 2 style .h5 whose Lambda holds marshaled bytecode that writes a file."""
    function = eval(f"lambda x: (open({marker!r}, 'w').write('ran'), x)[1]")  # noqa: S307
    code = base64.b64encode(marshal.dumps(function.__code__)).decode()
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "evil",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {"batch_input_shape": [None, 2], "name": "in"},
                },
                {
                    "class_name": "Lambda",
                    "config": {
                        "name": "payload",
                        "function": [code, None, None],
                        "function_type": "lambda",
                        "output_shape": None,
                        "output_shape_type": "raw",
                        "arguments": {},
                    },
                },
            ],
        },
    }
    with h5py.File(path, "w") as h5:
        h5.attrs["model_config"] = json.dumps(config)
        h5.attrs["keras_version"] = "2.15.0"
        group = h5.create_group("model_weights")
        group.attrs["layer_names"] = [b"payload"]
        group.create_group("payload").attrs["weight_names"] = []


def test_keras2_lambda_in_h5_never_runs(tmp_path):
    path = str(tmp_path / "evil.h5")
    marker = str(tmp_path / "marker")
    _keras2_lambda_h5(path, marker)
    with pytest.raises(LoadError, match=r"Layer 'payload'.*safe_mode=False"):
        lamina.models.load_model(path)
    assert not os.path.exists(marker)


def test_keras2_lambda_in_h5_and_json_runs_when_unsafe(tmp_path):
    path = str(tmp_path / "k2.h5")
    marker = str(tmp_path / "marker")
    _keras2_lambda_h5(path, marker)
    model = lamina.models.load_model(path, safe_mode=False)
    x = np.array([[1.0, -2.0]], dtype="float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), x)
    assert os.path.exists(marker)  # the caller opted in: the lambda ran
    with h5py.File(path) as h5:
        text = h5.attrs["model_config"]
    with pytest.raises(LoadError, match=r"Layer 'payload'.*safe_mode=False"):
        lamina.models.model_from_json(text)
    model = lamina.models.model_from_json(text, safe_mode=False)
    np.testing.assert_allclose(model.predict(x, verbose=0), x)


@pytest.mark.parametrize("key", ["function", "output_shape", "mask"])
def test_every_keras2_bytecode_slot_is_refused(key):
    dumped = [base64.b64encode(marshal.dumps((lambda x: x).__code__)).decode()]
    layer = {"name": "payload", "function": "linear", "function_type": "function"}
    layer.update({key: [*dumped, None, None], f"{key}_type": "lambda"})
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "m",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {"batch_input_shape": [None, 2]},
                },
                {"class_name": "Lambda", "config": layer},
            ],
        },
    }
    with pytest.raises(LoadError, match=r"Layer 'payload'.*safe_mode=False"):
        lamina.models.model_from_json(json.dumps(config))


@pytest.mark.parametrize(
    ("module", "class_name"),
    [("os", "system"), ("builtins", "exec"), ("keras.src.utils", "eval")],
)
def test_config_naming_outside_function_is_refused(tmp_path, module, class_name):
    path = str(tmp_path / "m.keras")
    _small_model().save(path)
    evil = str(tmp_path / "evil.keras")

    def edit(config):
        config["config"]["layers"][1] = {
            "module": module,
            "class_name": class_name,
            "config": {"cmd": "touch pwned"},
            "registered_name": None,
        }

    _rewrite_config(path, evil, edit)
    with pytest.raises(LoadError, match="never imports a module"):
        lamina.models.load_model(evil)


def test_no_pickle_or_eval_in_saving_code():
    for filename in os.listdir(SAVING_FOLDER):
        if filename.endswith(".py"):
            with open(os.path.join(SAVING_FOLDER, filename)) as file:
                source = file.read()
            assert "import pickle" not in source
            assert "importlib" not in source
            assert " eval(" not in source and "exec(" not in source


def test_deeply_nested_json_is_refused():
    text = '{"a": ' * 50_000 + "1" + "}" * 50_000
    with pytest.raises(LoadError):
        lamina.models.model_from_json(text)


# -------------------------------------------------------------------- HDF5
def _weights_file(tmp_path):
    path = str(tmp_path / "w.weights.h5")
    _small_model().save_weights(path)
    return path


def test_hdf5_external_link_is_refused(tmp_path):
    path = _weights_file(tmp_path)
    secret = str(tmp_path / "secret.h5")
    with h5py.File(secret, "w") as h5:
        h5["data"] = np.ones((2, 3), dtype="float32")
    with h5py.File(path, "a") as h5:
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars/0"] = h5py.ExternalLink(secret, "/data")
    with pytest.raises(LoadError, match="external link"):
        _small_model().load_weights(path)


def test_hdf5_virtual_dataset_is_refused(tmp_path):
    path = _weights_file(tmp_path)
    source = str(tmp_path / "source.h5")
    with h5py.File(source, "w") as h5:
        h5["data"] = np.ones((2, 3), dtype="float32")
    layout = h5py.VirtualLayout(shape=(2, 3), dtype="float32")
    layout[:] = h5py.VirtualSource(source, "data", shape=(2, 3))
    with h5py.File(path, "a") as h5:
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars"].create_virtual_dataset("0", layout)
    with pytest.raises(LoadError, match="virtual or external"):
        _small_model().load_weights(path)


def test_hdf5_external_storage_is_refused(tmp_path):
    path = _weights_file(tmp_path)
    raw = str(tmp_path / "raw.bin")
    np.ones((2, 3), dtype="float32").tofile(raw)
    with h5py.File(path, "a") as h5:
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars"].create_dataset(
            "0", shape=(2, 3), dtype="float32", external=[(raw, 0, h5py.h5f.UNLIMITED)]
        )
    with pytest.raises(LoadError, match="virtual or external"):
        _small_model().load_weights(path)


def test_hdf5_dataset_declaring_more_than_stored_is_refused(tmp_path):
    path = _weights_file(tmp_path)
    with h5py.File(path, "a") as h5:
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars"].create_dataset("0", shape=(2**31,), dtype="float32")
    assert os.path.getsize(path) < 10**6
    with pytest.raises(LoadError, match="declares shape"):
        _small_model().load_weights(path)


# --------------------------------------------------------------------- zip
def test_zip_member_with_parent_path_is_refused_and_not_written(tmp_path):
    path = str(tmp_path / "m.keras")
    _small_model().save(path)
    inside = tmp_path / "work"
    inside.mkdir()
    evil = str(inside / "evil.keras")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(evil, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("../escaped.txt", "x")
        target.writestr("/tmp/absolute_escape.txt", "x")
    with pytest.raises(LoadError, match="outside the archive"):
        lamina.models.load_model(evil)
    assert not (tmp_path / "escaped.txt").exists()


def test_zip_bomb_member_is_refused_before_reading(tmp_path):
    path = str(tmp_path / "m.keras")
    _small_model().save(path)
    bomb = str(tmp_path / "bomb.keras")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bomb, "w") as target:
        target.writestr("metadata.json", source.read("metadata.json"))
        target.writestr("config.json", source.read("config.json"))
        target.writestr(
            "model.weights.h5", b"\0" * (4 * 2**20), compress_type=zipfile.ZIP_DEFLATED
        )
    with pytest.raises(LoadError, match="oversized"):
        lamina.models.load_model(bomb)


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_truncated_file_error_names_the_file(tmp_path, extension):
    path = str(tmp_path / f"m{extension}")
    _small_model().save(path)
    with open(path, "rb") as file:
        data = file.read()
    with open(path, "wb") as file:
        file.write(data[: len(data) // 2])
    with pytest.raises(LoadError, match=f"m{extension}"):
        lamina.models.load_model(path)


# ------------------------------------------------------------ atomic saves
_SAVER = textwrap.dedent(
    """
    import sys
    import lamina
    model = lamina.Sequential([lamina.layers.Dense(2048, input_shape=(2048,))])
    print("ready", flush=True)
    while True:
        model.save(sys.argv[1])
    """
)


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_killed_save_leaves_previous_file_intact(tmp_path, extension):
    path = str(tmp_path / f"m{extension}")
    _small_model().save(path)
    process = subprocess.Popen(
        [sys.executable, "-c", _SAVER, path], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        deadline = time.time() + 30
        while time.time() < deadline:
            if any(name.endswith(".tmp") for name in os.listdir(tmp_path)):
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    restored = lamina.models.load_model(path)
    assert restored.output_shape in ((None, 1), (None, 2048))


# -------------------------------------------------------------- property
def _saved_bytes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("originals")
    model = _small_model()
    model.compile("adam", "mse")
    files = {}
    for extension in (".keras", ".h5"):
        path = folder / f"m{extension}"
        model.save(str(path))
        files[extension] = path.read_bytes()
    files[".json"] = model.to_json().encode()
    return files


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    return _saved_bytes(tmp_path_factory)


_LAMINA_ERRORS = (LoadError,)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    extension=st.sampled_from([".keras", ".h5", ".json"]),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_mutated_files_load_or_raise_load_error(
    tmp_path, originals, extension, edits, cut
):
    data = bytearray(originals[extension])
    for position, value in edits:
        data[min(int(position * len(data)), len(data) - 1)] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    before = set(os.listdir(tmp_path.parent))
    try:
        if extension == ".json":
            model = lamina.models.model_from_json(bytes(data))
        else:
            path = tmp_path / f"mutant{extension}"
            path.write_bytes(bytes(data))
            model = lamina.models.load_model(str(path))
    except _LAMINA_ERRORS:
        return
    finally:
        assert set(os.listdir(tmp_path.parent)) == before
    assert isinstance(model, lamina.Model)


def test_hdf5_file_that_hangs_the_library_is_refused(tmp_path, monkeypatch):
    # A corrupted global-heap length makes libhdf5 loop forever on reading.
    from lamina.saving import h5_safety

    model = _small_model()
    model.compile("adam", "mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    path = tmp_path / "hang.h5"
    model.save(str(path))
    data = bytearray(path.read_bytes())
    name = f"{model.optimizer.name}/iteration".encode()
    position = data.find(len(name).to_bytes(8, "little") + name)
    assert position > 0
    data[position] = 241
    path.write_bytes(bytes(data))
    monkeypatch.setattr(h5_safety, "PROBE_SECONDS", 3.0)
    started = time.monotonic()
    with pytest.raises(LoadError, match="did not finish"):
        lamina.models.load_model(str(path))
    assert time.monotonic() - started < 20
