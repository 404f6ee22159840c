"""`TensorBoard` on real `fit` runs: layout, tags, steps and values.

Every file is read back with lamina's own reader and, when the
`tensorboard` package is installed, with TensorBoard's `EventAccumulator`.
"""

import glob
import gzip
import io
import json
import os
import warnings
from collections.abc import Mapping

import numpy as np
import pytest

import lamina
from lamina.callbacks._event_file import read_events
from lamina.callbacks.callback_list import CallbackList
from lamina.callbacks.tensorboard import TensorBoard


def _data(samples=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, 4)).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
    return x, y


def _model():
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential(
        [
            lamina.Input((4,)),
            lamina.layers.Dense(3, activation="relu", name="hidden"),
            lamina.layers.Dense(1, activation="sigmoid", name="out"),
        ],
        name="classifier",
    )
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _fit(log_dir, epochs=2, **tensorboard_kwargs):
    x, y = _data()
    model = _model()
    callback = TensorBoard(log_dir, **tensorboard_kwargs)
    history = model.fit(
        x[:32],
        y[:32],
        batch_size=8,
        epochs=epochs,
        validation_data=(x[32:], y[32:]),
        shuffle=False,
        verbose=0,
        callbacks=[callback],
    )
    return model, history.history


def _values(log_dir, run):
    """`{tag: [(step, summary value)]}` of all event files of a run."""
    found = {}
    for path in sorted(glob.glob(os.path.join(log_dir, run, "events.out.tfevents.*"))):
        for event in read_events(path):
            for value in event.values:
                found.setdefault(value.tag, []).append((event.step, value))
    return found


def _scalars(log_dir, run):
    return {
        tag: [(step, float(value.tensor)) for step, value in entries]
        for tag, entries in _values(log_dir, run).items()
        if entries[0][1].plugin_name == "scalars"
    }


def _assert_close(written, expected):
    """Written values are float32; History holds float64."""
    assert [step for step, _ in written] == [step for step, _ in expected]
    np.testing.assert_allclose(
        [value for _, value in written], [value for _, value in expected], rtol=1e-6
    )


def test_tensorboard_epoch_scalars_equal_history(tmp_path):
    _, history = _fit(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train = _scalars(tmp_path, "train")
    validation = _scalars(tmp_path, "validation")
    assert sorted(train) == ["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]
    assert sorted(validation) == [
        "epoch_accuracy",
        "epoch_loss",
        "evaluation_accuracy_vs_iterations",
        "evaluation_loss_vs_iterations",
    ]
    for name in ("loss", "accuracy"):
        _assert_close(train[f"epoch_{name}"], list(enumerate(history[name])))
        _assert_close(
            validation[f"epoch_{name}"], list(enumerate(history[f"val_{name}"]))
        )
        # 4 batches per epoch: validation after 4 and 8 optimizer steps.
        _assert_close(
            validation[f"evaluation_{name}_vs_iterations"],
            [(4, history[f"val_{name}"][0]), (8, history[f"val_{name}"][1])],
        )
    _assert_close(train["epoch_learning_rate"], [(0, 0.01), (1, 0.01)])


def test_tensorboard_reader_agrees(tmp_path):
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator"
    )
    from tensorboard.util import tensor_util

    _, history = _fit(tmp_path, histogram_freq=1)
    sizes = {"tensors": 0, "histograms": 0}
    for run, prefix in (("train", ""), ("validation", "val_")):
        accumulator = event_accumulator.EventAccumulator(
            str(tmp_path / run), size_guidance=sizes
        )
        accumulator.Reload()
        for name in ("loss", "accuracy"):
            events = accumulator.Tensors(f"epoch_{name}")
            assert [e.step for e in events] == [0, 1]
            written = [float(tensor_util.make_ndarray(e.tensor_proto)) for e in events]
            np.testing.assert_allclose(written, history[prefix + name], rtol=1e-6)
            metadata = accumulator.SummaryMetadata(f"epoch_{name}")
            assert metadata.plugin_data.plugin_name == "scalars"
    train = event_accumulator.EventAccumulator(str(tmp_path / "train"), sizes)
    train.Reload()
    assert sorted(train.Tags()["histograms"]) == [
        "classifier/hidden/bias/histogram",
        "classifier/hidden/kernel/histogram",
        "classifier/out/bias/histogram",
        "classifier/out/kernel/histogram",
    ]
    assert [e.step for e in train.Histograms("classifier/hidden/kernel/histogram")] == [
        0,
        1,
    ]


def test_tensorboard_batch_scalars_every_n_batches(tmp_path):
    recorded = []

    class Recorder(lamina.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            recorded.append(dict(logs))

    x, y = _data()
    model = _model()
    model.fit(
        x[:32],
        y[:32],
        batch_size=8,
        epochs=2,
        shuffle=False,
        verbose=0,
        callbacks=[TensorBoard(tmp_path, update_freq=3), Recorder()],
    )
    train = _scalars(tmp_path, "train")
    # Batches are counted from 1 across epochs: 3 and 6 of 8.
    for name in ("loss", "accuracy"):
        expected = [(3, recorded[2][name]), (6, recorded[5][name])]
        _assert_close(train[f"batch_{name}"], expected)
    assert "validation" not in os.listdir(tmp_path)


def test_tensorboard_update_freq_batch_writes_every_batch(tmp_path):
    _fit(tmp_path, epochs=1, update_freq="batch", write_steps_per_second=True)
    train = _scalars(tmp_path, "train")
    assert [step for step, _ in train["batch_loss"]] == [1, 2, 3, 4]
    assert [step for step, _ in train["batch_steps_per_second"]] == [1, 2, 3, 4]
    assert [step for step, _ in train["epoch_steps_per_second"]] == [0]
    assert all(value > 0 for _, value in train["epoch_steps_per_second"])


def test_tensorboard_epoch_mode_reads_no_batch_logs(tmp_path):
    class ExplodingLogs(Mapping):  # as the loop's lazy MetricLogs
        def __getitem__(self, key):
            raise AssertionError("batch logs were read")

        def __iter__(self):
            raise AssertionError("batch logs were read")

        def __len__(self):
            raise AssertionError("batch logs were read")

    callback = TensorBoard(tmp_path)
    callbacks = CallbackList([callback], model=_model())
    callbacks.on_train_begin()
    callbacks.on_train_batch_begin(0)
    callbacks.on_train_batch_end(0, ExplodingLogs())
    assert callback._global_train_batch == 1


def test_tensorboard_histograms_follow_weights(tmp_path):
    model, _ = _fit(tmp_path, epochs=3, histogram_freq=2)
    histograms = {
        tag: entries
        for tag, entries in _values(tmp_path, "train").items()
        if tag.endswith("/histogram")
    }
    assert sorted(histograms) == [
        "classifier/hidden/bias/histogram",
        "classifier/hidden/kernel/histogram",
        "classifier/out/bias/histogram",
        "classifier/out/kernel/histogram",
    ]
    kernel = histograms["classifier/hidden/kernel/histogram"]
    assert [step for step, _ in kernel] == [0, 2]  # epochs 0 and 2
    final = kernel[-1][1].histogram
    weights = model.layers[0].kernel.detach().numpy()
    assert final["num"] == weights.size
    assert final["min"] == pytest.approx(weights.min())
    assert final["sum"] == pytest.approx(weights.sum(), abs=1e-6)


def test_tensorboard_write_images_as_keras_lays_them_out(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    model, _ = _fit(tmp_path, epochs=1, histogram_freq=1, write_images=True)
    images = {
        tag: entries[0][1]
        for tag, entries in _values(tmp_path, "train").items()
        if tag.endswith("/image")
    }
    # out/bias has one element: squeezed to a scalar, it has no image.
    assert sorted(images) == [
        "classifier/hidden/bias/image",
        "classifier/hidden/kernel/image",
        "classifier/out/kernel/image",
    ]
    assert images["classifier/hidden/kernel/image"].plugin_name == "images"
    width, height, png = images["classifier/hidden/kernel/image"].tensor
    kernel = model.layers[0].kernel.detach().numpy()  # (4, 3): shown as (3, 4)
    assert (int(width), int(height)) == (4, 3)
    pixels = np.asarray(image_module.open(io.BytesIO(png)))
    expected = np.clip(kernel.T * 255.5, 0, 255).astype("uint8")
    np.testing.assert_array_equal(pixels, expected)


def test_tensorboard_writes_keras_model_config_as_graph(tmp_path):
    model, _ = _fit(tmp_path, epochs=1)
    (entry,) = _values(tmp_path, "train")["keras"]
    step, value = entry
    assert step == 0
    assert (value.plugin_name, value.plugin_content) == ("graph_keras_model", b"1")
    assert json.loads(value.tensor[0]) == json.loads(model.to_json())


def test_tensorboard_graph_renders_in_graph_plugin(tmp_path):
    keras_util = pytest.importorskip("tensorboard.plugins.graph.keras_util")
    _fit(tmp_path, epochs=1)
    (entry,) = _values(tmp_path, "train")["keras"]
    graph = keras_util.keras_model_to_graph_def(json.loads(entry[1].tensor[0]))
    assert [node.name for node in graph.node][-2:] == [
        "classifier/hidden",
        "classifier/out",
    ]


def test_tensorboard_subclassed_model_writes_no_graph(tmp_path):
    class Tiny(lamina.Model):
        def __init__(self):
            super().__init__()
            self.dense = lamina.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

    model = Tiny()
    model.compile(optimizer="sgd", loss="mse")
    x, y = _data(8)
    model.fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path)])
    assert "keras" not in _values(tmp_path, "train")
    assert "epoch_loss" in _values(tmp_path, "train")


def test_tensorboard_evaluate_writes_evaluation_scalars(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    results = model.evaluate(
        x, y, verbose=0, return_dict=True, callbacks=[TensorBoard(tmp_path)]
    )
    validation = _scalars(tmp_path, "validation")
    _assert_close(validation["evaluation_loss_vs_iterations"], [(3, results["loss"])])


def test_tensorboard_profile_batch_writes_chrome_trace(tmp_path):
    _fit(tmp_path, epochs=2, profile_batch=(3, 5))
    (trace,) = glob.glob(str(tmp_path / "train/plugins/profile/*/*.pt.trace.json.gz"))
    with gzip.open(trace, "rt") as file:
        events = json.load(file)["traceEvents"]
    steps = {e["name"] for e in events if e.get("name", "").startswith("ProfilerStep#")}
    # Batches are counted from 1 across epochs (4 per epoch).
    assert steps == {"ProfilerStep#3", "ProfilerStep#4", "ProfilerStep#5"}


def test_tensorboard_profile_stops_at_train_end(tmp_path):
    _fit(tmp_path, epochs=1, profile_batch="2,100")
    assert len(glob.glob(str(tmp_path / "train/plugins/profile/*/*.json.gz"))) == 1


def test_tensorboard_embeddings(tmp_path):
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential(
        [
            lamina.Input((3,), dtype="int32"),
            lamina.layers.Embedding(10, 2, name="words"),
            lamina.layers.GlobalAveragePooling1D(),
            lamina.layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    x = np.arange(12).reshape(4, 3) % 10
    callback = TensorBoard(
        tmp_path, embeddings_freq=1, embeddings_metadata={"words": "words.tsv"}
    )
    model.fit(x, np.zeros((4, 1)), epochs=2, verbose=0, callbacks=[callback])
    assert (tmp_path / "projector_config.pbtxt").read_text() == (
        "embeddings {\n"
        '  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"\n'
        '  metadata_path: "words.tsv"\n'
        "}\n"
    )
    for epoch in (0, 1):
        assert (tmp_path / f"train/keras_embedding.ckpt-{epoch}.weights.h5").exists()


def test_tensorboard_rejects_unknown_embedding_layer(tmp_path):
    callback = TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata={"x": "m"})
    with pytest.raises(ValueError, match="no Embedding layer of that name"):
        callback.set_model(_model())


def test_tensorboard_warns_once_for_non_scalar_metric(tmp_path):
    callback = TensorBoard(tmp_path, write_graph=False)
    callback.set_model(_model())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for epoch in range(2):
            callback.on_epoch_end(epoch, {"loss": 0.5, "f1": np.array([0.1, 0.2])})
    assert len(caught) == 1
    assert "writes only scalar metrics" in str(caught[0].message)
    assert sorted(_scalars(tmp_path, "train")) == ["epoch_learning_rate", "epoch_loss"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"update_freq": "epochs"}, "update_freq='epochs'"),
        ({"update_freq": 0}, "update_freq=0"),
        ({"histogram_freq": -1}, "histogram_freq=-1"),
        ({"histogram_freq": 1.5}, "histogram_freq=1.5"),
        ({"embeddings_freq": "1"}, "embeddings_freq='1'"),
        ({"profile_batch": (5, 2)}, "profile_batch=\\(5, 2\\)"),
        ({"profile_batch": (0, 5)}, "profile_batch=\\(0, 5\\)"),
        ({"profile_batch": "a,b"}, "profile_batch='a,b'"),
        ({"profile_batch": -1}, "profile_batch=-1"),
    ],
)
def test_tensorboard_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TensorBoard(**kwargs)


def test_tensorboard_rejects_bad_embeddings_metadata():
    with pytest.raises(TypeError, match="embeddings_metadata=3"):
        TensorBoard(embeddings_metadata=3)


def test_tensorboard_accepts_keras_spellings():
    assert TensorBoard(update_freq="batch").update_freq == 1
    assert TensorBoard(profile_batch="4")._start_batch == 4
    assert (TensorBoard(profile_batch=[2, 3])._stop_batch) == 3
