"""`TensorBoard`: writes training logs that TensorBoard shows, without TensorFlow."""

from __future__ import annotations

import numbers
import os
import socket
import time
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from lamina.backend import image_data_format
from lamina.callbacks._event_file import EventFileWriter
from lamina.callbacks._logs import pythonify_logs
from lamina.callbacks._weight_images import encode_png
from lamina.callbacks._weight_images import to_uint8
from lamina.callbacks._weight_images import weight_as_images
from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs

# Keras names every embedding this way in the projector config.
_EMBEDDING_TENSOR_NAME = "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"
_MAX_IMAGES = 3  # tf.summary.image's max_outputs, which Keras leaves as is


class TensorBoard(Callback):
    """Writes metrics, weight histograms and the model for TensorBoard.

    The files follow Keras's layout and tags, so `tensorboard --logdir
    log_dir` shows a lamina run as it shows a Keras one: event files in
    `log_dir/train` and `log_dir/validation`; each epoch's metrics as
    `epoch_<name>` (step = epoch), with `epoch_learning_rate` (and
    `epoch_steps_per_second`) in `train`; every evaluation (also the
    validation inside `fit`) as `evaluation_<name>_vs_iterations` in
    `validation`, at step `optimizer.iterations`; with `update_freq` set to
    batches, `batch_<name>` every that many batches (step = batches since
    `fit` began). TensorFlow is not needed; the `tensorboard` package is only
    needed to view the files.

    `write_graph` writes the model's Keras config (tag `keras`), which
    TensorBoard's graph tab draws as a conceptual graph, for `Sequential`
    and functional models, as Keras does; a subclassed model has no config
    graph, and no op-level graph is written. `profile_batch` records the
    batches with `torch.profiler` into
    `log_dir/train/plugins/profile/<date>/<host>.pt.trace.json.gz`, a
    Chrome trace that Perfetto, `chrome://tracing` and PyTorch's TensorBoard
    profiler plugin open (Keras has no profiler on its torch backend).

    Args:
        log_dir: Folder to write the logs to; use it for nothing else.
            Defaults to `"logs"`.
        histogram_freq: Every this many epochs (0 = never), write a histogram
            of each layer weight, tagged `<weight path>/histogram`. Defaults
            to `0`.
        write_graph: Whether to write the model config for the graph tab.
            Defaults to `True`.
        write_images: Whether to also write weights as images (with
            `histogram_freq`), tagged `<weight path>/image`: biases, Dense
            and 1-D convolution kernels, and 4-D kernels with 1, 3 or 4
            output channels, pixel = weight clipped to [0, 1]. Defaults to
            `False`.
        write_steps_per_second: Whether to log training steps per second,
            per epoch and (with `update_freq`) per batch. Defaults to
            `False`.
        update_freq: `"epoch"`, `"batch"` (= 1) or an int `N`: also write
            the batch metrics every `N` batches. Each written batch costs a
            host sync. Defaults to `"epoch"`.
        profile_batch: `0` (off), a batch number, or a pair `(start, stop)`
            of batch numbers (counted from 1 across epochs) to profile.
            Defaults to `0`.
        embeddings_freq: Every this many epochs (0 = never), save the
            weights to `log_dir/train/keras_embedding.ckpt-<epoch>.weights.h5`
            and describe the `Embedding` layers in
            `log_dir/projector_config.pbtxt`, as Keras does. Defaults to `0`.
        embeddings_metadata: File name of the metadata (labels) of every
            embedding, or a dict from `Embedding` layer name to file name.
            Defaults to `None`.

    Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> log_dir = tempfile.mkdtemp()
    >>> _ = model.fit(
    ...     np.ones((8, 2)), np.ones((8, 1)), validation_split=0.5, epochs=2,
    ...     verbose=0, callbacks=[TensorBoard(log_dir)],
    ... )
    >>> sorted(os.listdir(log_dir))
    ['train', 'validation']
    """

    def __init__(
        self,
        log_dir: str | os.PathLike = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: str | int = "epoch",
        profile_batch: int | str | tuple[int, int] = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: str | dict[str, str] | None = None,
    ):
        super().__init__()
        _check_frequency("histogram_freq", histogram_freq)
        _check_frequency("embeddings_freq", embeddings_freq)
        _check_embeddings_metadata(embeddings_metadata)
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = _parse_update_freq(update_freq)
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._start_batch, self._stop_batch = _parse_profile_batch(profile_batch)
        self._profiler: torch.profiler.profile | None = None
        self._step_range: torch.profiler.record_function | None = None
        self._global_train_batch = 0
        self._batch_start_time = 0.0
        self._epoch_start_time = 0.0
        self._epoch_start_iterations = 0
        self._writers: dict[str, EventFileWriter] = {}
        self._warned_keys: set[str] = set()

    # Batch logs stay on the device unless a batch is written: with
    # update_freq="epoch" this callback costs no host sync per step.
    _reads_tensor_logs = True

    # ------------------------------------------------------------ writers

    @property
    def _train_dir(self) -> str:
        return os.path.join(self.log_dir, "train")

    @property
    def _val_dir(self) -> str:
        return os.path.join(self.log_dir, "validation")

    def _writer(self, name: str) -> EventFileWriter:
        if name not in self._writers:
            folder = self._train_dir if name == "train" else self._val_dir
            self._writers[name] = EventFileWriter(folder)
        return self._writers[name]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _write_scalars(
        self, writer_name: str, tag_format: str, logs: Mapping[str, Any], step: int
    ) -> None:
        writer = self._writer(writer_name)
        for name, value in logs.items():
            number = self._scalar(name, value)
            if number is not None:
                writer.add_scalar(tag_format.format(name), number, step)

    def _scalar(self, name: str, value: Any) -> float | None:
        if isinstance(value, numbers.Real):
            return float(value)
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            return float(value)
        if isinstance(value, np.ndarray) and value.size == 1:
            return float(value)
        if name not in self._warned_keys:
            self._warned_keys.add(name)
            warnings.warn(
                f"TensorBoard writes only scalar metrics, but logs[{name!r}] is "
                f"a {type(value).__name__} of shape "
                f"{tuple(getattr(value, 'shape', ()))}; it is not written. "
                f"Reduce the metric to one number (e.g. average=...) to see it.",
                stacklevel=3,
            )
        return None

    # -------------------------------------------------------------- hooks

    def set_model(self, model: Any) -> None:
        """Attaches `model` and writes its graph (and projector config)."""
        super().set_model(model)
        self._close_writers()
        if self.write_graph:
            self._write_model_config()
        if self.embeddings_freq:
            self._write_projector_config()

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self._global_train_batch = 0

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self._profiler is not None:
            self._stop_trace()
        self._close_writers()

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        if self.write_steps_per_second:
            self._epoch_start_iterations = self._iterations()
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self._log_epoch_metrics(epoch, logs or {})
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()
        if self._global_train_batch == self._start_batch:
            self._start_trace()
        if self._profiler is not None:
            # The step marker that PyTorch's profiler plugin splits steps by.
            self._step_range = torch.profiler.record_function(
                f"ProfilerStep#{self._global_train_batch}"
            )
            self._step_range.__enter__()

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if self._is_batch_written():
            logs = pythonify_logs(logs)  # waits for the batch: times it fully
            if self.write_steps_per_second:
                elapsed = time.time() - self._batch_start_time
                self._writer("train").add_scalar(
                    "batch_steps_per_second", 1.0 / elapsed, self._global_train_batch
                )
            self._write_scalars("train", "batch_{}", logs, self._global_train_batch)
        if self._profiler is not None:
            self._step_range.__exit__(None, None, None)
            if self._global_train_batch >= self._stop_batch:
                self._stop_trace()

    def on_test_end(self, logs: Logs | None = None) -> None:
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations"):
            return
        step = int(optimizer.iterations)
        self._write_scalars("val", "evaluation_{}_vs_iterations", logs or {}, step)
        self._writer("val").flush()

    def _is_batch_written(self) -> bool:
        if self.update_freq == "epoch":
            return False
        return self._global_train_batch % self.update_freq == 0

    # --------------------------------------------------------------- epoch

    def _log_epoch_metrics(self, epoch: int, logs: Mapping[str, Any]) -> None:
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        learning_rate = self._learning_rate()
        if learning_rate is not None:
            train_logs["learning_rate"] = learning_rate
        if self.write_steps_per_second:
            elapsed = time.time() - self._epoch_start_time
            steps = self._iterations() - self._epoch_start_iterations
            train_logs["steps_per_second"] = steps / elapsed
        if train_logs:
            self._write_scalars("train", "epoch_{}", train_logs, epoch)
        if val_logs:
            self._write_scalars("val", "epoch_{}", val_logs, epoch)

    def _optimizer(self) -> Any:
        from lamina.optimizers.optimizer import Optimizer

        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        return optimizer if isinstance(optimizer, Optimizer) else None

    def _learning_rate(self) -> float | None:
        optimizer = self._optimizer()
        return None if optimizer is None else float(optimizer.learning_rate)

    def _iterations(self) -> int:
        optimizer = getattr(self.model, "optimizer", None)
        return int(optimizer.iterations) if optimizer is not None else 0

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for layer in self.model.layers:
            for index, weight in enumerate(layer.weights):
                path = getattr(weight, "path", None) or f"{layer.name}/{index}"
                tag = path.replace(":", "_")
                values = weight.detach().float().cpu().numpy()
                writer.add_histogram(f"{tag}/histogram", values, epoch)
                if self.write_images:
                    self._log_weight_as_image(writer, f"{tag}/image", values, epoch)

    def _log_weight_as_image(
        self, writer: EventFileWriter, tag: str, values: np.ndarray, epoch: int
    ) -> None:
        images = weight_as_images(values, image_data_format())
        if images is None:
            return
        _, height, width, _ = images.shape
        pngs = [encode_png(to_uint8(image)) for image in images[:_MAX_IMAGES]]
        writer.add_images(tag, pngs, width, height, epoch)

    # --------------------------------------------------- graph, embeddings

    def _write_model_config(self) -> None:
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            config = self.model.to_json()
        except (TypeError, ValueError, NotImplementedError) as err:
            warnings.warn(
                f"TensorBoard could not write the graph of model "
                f"'{self.model.name}': to_json() failed with {err}. Make its "
                f"layers serializable (get_config) or pass write_graph=False.",
                stacklevel=3,
            )
            return
        writer = self._writer("train")
        writer.add_text_tensor("keras", config, 0, "graph_keras_model", b"1")
        writer.flush()

    def _write_projector_config(self) -> None:
        from lamina.layers.core.embedding import Embedding

        names = [
            layer.name for layer in self.model.layers if isinstance(layer, Embedding)
        ]
        metadata = self.embeddings_metadata
        if isinstance(metadata, dict) and set(metadata) - set(names):
            raise ValueError(
                f"TensorBoard received embeddings_metadata for "
                f"{sorted(set(metadata) - set(names))}, but the model has no "
                f"Embedding layer of that name. Embedding layers: "
                f"{', '.join(names) or 'none'}."
            )
        entries = []
        for name in names:
            path = metadata if isinstance(metadata, str) else (metadata or {}).get(name)
            entry = f'  tensor_name: "{_pbtxt_escape(_EMBEDDING_TENSOR_NAME)}"\n'
            if path is not None:
                entry += f'  metadata_path: "{_pbtxt_escape(path)}"\n'
            entries.append(f"embeddings {{\n{entry}}}\n")
        os.makedirs(self.log_dir, exist_ok=True)
        config_path = os.path.join(self.log_dir, "projector_config.pbtxt")
        with open(config_path, "w", encoding="utf-8") as file:
            file.write("".join(entries))

    def _log_embeddings(self, epoch: int) -> None:
        os.makedirs(self._train_dir, exist_ok=True)
        name = f"keras_embedding.ckpt-{epoch}.weights.h5"
        self.model.save_weights(os.path.join(self._train_dir, name))

    # ------------------------------------------------------------ profile

    def _start_trace(self) -> None:
        activities = [torch.profiler.ProfilerActivity.CPU]
        if torch.cuda.is_available():
            activities.append(torch.profiler.ProfilerActivity.CUDA)
        profiler = torch.profiler.profile(activities=activities)
        try:
            profiler.start()
        except RuntimeError as err:  # another profiler runs: keep training
            warnings.warn(
                f"TensorBoard could not start torch.profiler for "
                f"profile_batch={self._start_batch}: {err}. Stop the other "
                f"profiler, or pass profile_batch=0.",
                stacklevel=3,
            )
            return
        self._profiler = profiler

    def _stop_trace(self) -> None:
        profiler, self._profiler = self._profiler, None
        profiler.stop()
        folder = os.path.join(
            self._train_dir, "plugins", "profile", time.strftime("%Y_%m_%d_%H_%M_%S")
        )
        os.makedirs(folder, exist_ok=True)
        host = socket.gethostname()
        profiler.export_chrome_trace(os.path.join(folder, f"{host}.pt.trace.json.gz"))


def _pbtxt_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_frequency(argument: str, value: Any) -> None:
    if not _is_int(value) or value < 0:
        raise ValueError(
            f"TensorBoard received {argument}={value!r}, but it must be an int "
            f">= 0 (a number of epochs; 0 turns it off). Pass e.g. {argument}=1."
        )


def _check_embeddings_metadata(metadata: Any) -> None:
    if metadata is None or isinstance(metadata, str):
        return
    if isinstance(metadata, dict) and all(
        isinstance(v, str) for v in metadata.values()
    ):
        return
    raise TypeError(
        f"TensorBoard received embeddings_metadata={metadata!r}, but it must be "
        f"a file name, or a dict from Embedding layer name to file name, or None."
    )


def _parse_update_freq(update_freq: Any) -> str | int:
    if update_freq == "batch":
        return 1
    if update_freq == "epoch" or (_is_int(update_freq) and update_freq > 0):
        return update_freq
    raise ValueError(
        f"TensorBoard received update_freq={update_freq!r}, but it must be "
        f"'epoch', 'batch' or a positive int (a number of batches). Pass "
        f"update_freq='epoch' to write once per epoch."
    )


def _parse_profile_batch(profile_batch: Any) -> tuple[int, int]:
    """`(start, stop)` batch numbers; `(0, 0)` when profiling is off."""
    batches = profile_batch
    if isinstance(batches, str):
        try:
            batches = [int(part) for part in batches.split(",")]
        except ValueError:
            batches = None
        if batches is not None and len(batches) == 1:
            batches = batches[0]
    if _is_int(batches):
        batches = (batches, batches)
    if (
        isinstance(batches, (tuple, list))
        and len(batches) == 2
        and all(_is_int(b) for b in batches)
        and (tuple(batches) == (0, 0) or 1 <= batches[0] <= batches[1])
    ):
        return int(batches[0]), int(batches[1])
    raise ValueError(
        f"TensorBoard received profile_batch={profile_batch!r}, but it must be "
        f"0 (off), a batch number >= 1, or a pair (start, stop) with "
        f"1 <= start <= stop, e.g. profile_batch=(10, 20)."
    )
