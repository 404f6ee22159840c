"""lamina's `TensorBoard` files against what Keras's `TensorBoard` writes.

Keras's callback writes through `tensorflow.summary`, and TensorFlow is not
installed here, so the Keras run gets a stand-in `summary` module that
records each write (run folder, kind, tag, step, data) with TensorFlow's
rules: a write needs a default writer, and `record_if` conditions apply.
Both libraries train the same functional model from the same weights; the
tags, steps and values they log must agree.

Not compared: Keras's graph summary (its writer imports TensorFlow
directly; lamina's is tested in test_tensorboard.py), and a Keras bug that
the stand-in reproduces and lamina does not copy: with an integer
`update_freq`, TensorFlow's `record_if` also drops the epoch summaries of
an epoch whose batch count is not a multiple of it
(tensorflow/tensorflow#49109). The runs below use 4 batches per epoch and
`update_freq=2`, where both write everything.
"""

import contextlib
import glob
import io
import os

import numpy as np
import pytest

import lamina
from lamina.callbacks._event_file import read_events
from lamina.callbacks.tensorboard import TensorBoard


class _Writer:
    def __init__(self, summary, logdir):
        self.summary = summary
        self.run = os.path.basename(logdir)

    @contextlib.contextmanager
    def as_default(self, step=None):
        self.summary.defaults.append((self, step))
        try:
            yield self
        finally:
            self.summary.defaults.pop()

    def flush(self):
        pass

    def close(self):
        pass


class _RecordingSummary:
    """The part of `tensorflow.summary` that Keras's TensorBoard calls."""

    def __init__(self):
        self.records = []
        self.defaults = []
        self.conditions = []

    def create_file_writer(self, logdir):
        return _Writer(self, logdir)

    @contextlib.contextmanager
    def record_if(self, condition):
        self.conditions.append(condition)
        try:
            yield
        finally:
            self.conditions.pop()

    def _write(self, kind, name, data, step):
        if not self.defaults:
            return False
        if self.conditions and not self.conditions[-1]():
            return False
        writer, default_step = self.defaults[-1]
        step = default_step if step is None else step
        record = (writer.run, kind, name, int(np.asarray(step)))
        self.records.append((*record, np.array(data, dtype="float64")))
        return True

    def scalar(self, name, data, step=None):
        return self._write("scalar", name, data, step)

    def histogram(self, name, data, step=None):
        return self._write("histogram", name, np.asarray(data), step)

    def image(self, name, data, step=None, max_outputs=3):
        return self._write("image", name, np.asarray(data)[:max_outputs], step)


def _data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(48, 4)).astype("float32")
    y = (x[:, :1] - x[:, 1:2] > 0).astype("float32")
    return (x[:32], y[:32]), (x[32:], y[32:])


def _model(lib):
    inputs = lib.Input((4,))
    hidden = lib.layers.Dense(3, activation="tanh", name="hidden")(inputs)
    outputs = lib.layers.Dense(1, activation="sigmoid", name="out")(hidden)
    model = lib.Model(inputs, outputs, name="classifier")
    model.compile(
        optimizer=lib.optimizers.SGD(learning_rate=0.5),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


OPTIONS = {
    "histogram_freq": 1,
    "write_images": True,
    "update_freq": 2,
    "write_steps_per_second": True,
}


def _fit(model, callback):
    (x, y), validation = _data()
    model.fit(
        x,
        y,
        batch_size=8,
        epochs=2,
        validation_data=validation,
        shuffle=False,
        verbose=0,
        callbacks=[callback],
    )


def _keras_records(keras, model, log_dir):
    callback = keras.callbacks.TensorBoard(log_dir, write_graph=False, **OPTIONS)
    summary = _RecordingSummary()
    callback._summary_module = summary  # what its `summary` property caches
    _fit(model, callback)
    return summary.records


def _lamina_records(weights, log_dir):
    model = _model(lamina)
    model.set_weights(weights)
    _fit(model, TensorBoard(log_dir, write_graph=False, **OPTIONS))
    records = []
    for path in sorted(glob.glob(os.path.join(log_dir, "*", "events.out.*"))):
        run = os.path.basename(os.path.dirname(path))
        for event in read_events(path):
            records.extend((run, event.step, value) for value in event.values)
    return records


def _by_key(keras_records):
    return {(run, tag, step): data for run, _, tag, step, data in keras_records}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    import keras

    keras.utils.set_random_seed(1)
    keras_model = _model(keras)
    initial = keras_model.get_weights()
    keras_dir = str(tmp_path_factory.mktemp("keras"))
    lamina_dir = str(tmp_path_factory.mktemp("lamina"))
    keras_records = _keras_records(keras, keras_model, keras_dir)
    return keras_records, _lamina_records(initial, lamina_dir)


def test_same_tags_and_steps_as_keras(runs):
    keras_records, lamina_records = runs
    theirs = sorted((run, tag, step) for run, _, tag, step, _ in keras_records)
    ours = sorted((run, value.tag, step) for run, step, value in lamina_records)
    assert ours == theirs
    tags = {tag for _, tag, _ in theirs}
    assert {"epoch_loss", "epoch_learning_rate", "batch_loss"} <= tags
    assert "evaluation_loss_vs_iterations" in tags
    assert "hidden/kernel/histogram" in tags and "hidden/kernel/image" in tags


def test_same_scalar_values_as_keras(runs):
    keras_records, lamina_records = runs
    theirs = _by_key(keras_records)
    compared = 0
    for run, step, value in lamina_records:
        if value.plugin_name != "scalars" or "steps_per_second" in value.tag:
            continue
        expected = theirs[(run, value.tag, step)]
        np.testing.assert_allclose(float(value.tensor), expected, rtol=1e-5, atol=1e-6)
        compared += 1
    assert compared >= 20


def test_same_histograms_as_keras(runs):
    keras_records, lamina_records = runs
    theirs = _by_key(keras_records)
    histograms = [r for r in lamina_records if r[2].histogram is not None]
    assert len(histograms) == 8  # 4 weights x 2 epochs
    for run, step, value in histograms:
        weights = theirs[(run, value.tag, step)]
        histogram = value.histogram
        assert histogram["num"] == weights.size
        assert histogram["min"] == pytest.approx(weights.min(), abs=1e-6)
        assert histogram["max"] == pytest.approx(weights.max(), abs=1e-6)
        assert histogram["sum"] == pytest.approx(weights.sum(), abs=1e-5)


def test_same_images_as_keras(runs):
    image_module = pytest.importorskip("PIL.Image")
    keras_records, lamina_records = runs
    theirs = _by_key(keras_records)
    images = [r for r in lamina_records if r[2].plugin_name == "images"]
    assert len(images) == 6  # hidden kernel and bias, out kernel; 2 epochs
    for run, step, value in images:
        expected = theirs[(run, value.tag, step)]  # (images, height, width, channels)
        width, height, *pngs = value.tensor
        assert (int(height), int(width)) == expected.shape[1:3]
        assert len(pngs) == expected.shape[0]
        for png, image in zip(pngs, expected, strict=True):
            pixels = np.asarray(image_module.open(io.BytesIO(png)), dtype="float64")
            # tf.image.convert_image_dtype: x * 255.5, saturated to [0, 255].
            reference = np.clip(image[..., 0] * 255.5, 0, 255).astype("uint8")
            np.testing.assert_allclose(pixels, reference, atol=1)
