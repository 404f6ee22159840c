"""`Trainer`: `compile`, `fit`, `evaluate` and `predict`, shared by all models."""

import itertools
import warnings
from collections.abc import Mapping
from typing import Any

import torch

from lamina import optimizers as optimizers_module
from lamina.backend.config import max_epochs
from lamina.backend.config import max_steps_per_epoch
from lamina.layers.call_context import losses_added_in_last_call
from lamina.metrics.metric import Metric
from lamina.trainers.compile_utils import CompileLoss
from lamina.trainers.compile_utils import CompileMetrics
from lamina.trainers.data_adapters import get_data_adapter
from lamina.trainers.data_adapters import split_arrays
from lamina.trainers.data_adapters import unpack_batch
from lamina.trainers.loss_tracker import LossTracker
from lamina.trainers.metric_logs import MetricLogs
from lamina.trainers.train_step import make_train_function
from lamina.utils import tree


class Trainer:
    """The training API of `Model`: compile once, then fit/evaluate/predict."""

    def __init__(self) -> None:
        self.compiled = False
        self.optimizer: Any = None
        self.loss: Any = None
        self._compile_loss: CompileLoss | None = None
        self._compile_metrics: CompileMetrics | None = None
        self._loss_tracker: Any = None
        self.stop_training = False
        self.history: Any = None
        self.run_eagerly = False
        self.jit_compile: bool | str = False
        self.steps_per_execution = 1
        self._train_function: Any = None
        self._jit_train_steps: Any = None  # torch.compile cache, per compile()
        self._regularized_weights: list[Any] | None = None
        self._initial_epoch: int | None = None  # set by BackupAndRestore

    # ----------------------------------------------------------------- compile
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: bool | str = "auto",
        auto_scale_loss: bool = True,
        **kwargs: Any,
    ) -> None:
        """Configures the model for training.

        Args:
            optimizer: Optimizer name or instance. Defaults to `"rmsprop"`.
            loss: Loss name, function or `Loss`; a list or dict for several
                outputs.
            loss_weights: Weights of each output's loss (list or dict).
            metrics: Metrics to report: names (`"accuracy"`), functions or
                `Metric`s; a list, or a list/dict per output.
            weighted_metrics: Metrics that also receive `sample_weight`.
            run_eagerly: Accepted for Keras compatibility; lamina always runs
                eagerly unless `jit_compile` compiles the step.
            steps_per_execution: Training steps per callback batch; with
                `jit_compile=True`, up to 4 of them run as one compiled call.
            jit_compile: `True` compiles the whole training step (forward,
                loss, gradients, optimizer update) into one `torch.compile`
                graph, falling back to eager with a warning when it cannot;
                `"auto"` and `False` run it eagerly.
            auto_scale_loss: Whether a model whose dtype policy is
                `"mixed_float16"` wraps the optimizer in a
                `LossScaleOptimizer` (dynamic loss scaling against float16
                underflow), as Keras does. Defaults to `True`.
        """
        _reject_legacy_compile_kwargs(kwargs)
        self.optimizer = optimizers_module.get(optimizer)
        if (
            auto_scale_loss
            and self.dtype_policy.name == "mixed_float16"
            and self.optimizer is not None
            and not isinstance(self.optimizer, optimizers_module.LossScaleOptimizer)
        ):
            self.optimizer = optimizers_module.LossScaleOptimizer(
                self.optimizer, name="loss_scale_optimizer"
            )
        self.loss = loss
        output_names = self._output_names_for_compile()
        self._compile_loss = (
            CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        )
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics, output_names)
        self._loss_tracker = LossTracker(name="loss")
        self.run_eagerly = run_eagerly
        self.jit_compile = jit_compile is True
        self.steps_per_execution = int(steps_per_execution)
        self._train_function = None
        self._jit_train_steps = None
        self._compile_arguments = {
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile,
        }
        self.compiled = True

    def _output_names_for_compile(self) -> list[str]:
        outputs = getattr(self, "outputs", None) or []
        if len(outputs) > 1:
            return [tensor._keras_history[0].name for tensor in outputs]
        return ["output"]

    @property
    def metrics(self) -> list[Any]:
        """The loss tracker, the per-output loss trackers, then compiled metrics."""
        result = [] if self._loss_tracker is None else [self._loss_tracker]
        if self._compile_loss is not None:
            result.extend(self._compile_loss.trackers)
        compiled = self._compile_metrics
        if compiled is not None and compiled.built:
            result.extend(compiled.metrics)
        elif compiled is not None and compiled.requested:
            result.append(compiled.unbuilt_metric)
        own = self.__dict__.get("_attribute_metrics", {}).values()
        result.extend(metric for metric in own if metric not in result)
        return result

    def __setattr__(self, name: str, value: Any) -> None:
        # Metrics a subclass keeps as attributes (`self.loss_tracker = Mean()`)
        # join `metrics`, as in Keras; noted here, not searched for each step.
        tracked = self.__dict__.get("_attribute_metrics")
        if isinstance(value, Metric):
            if tracked is None:
                tracked = self.__dict__["_attribute_metrics"] = {}
            tracked[name] = value
        elif tracked and name in tracked:
            del tracked[name]
        super().__setattr__(name, value)

    def reset_metrics(self) -> None:
        """Resets the state of every metric (called at each epoch's start)."""
        for metric in self.metrics:
            metric.reset_state()

    def _metric_results(self) -> dict[str, torch.Tensor]:
        return {metric.name: metric.result() for metric in self.metrics}

    def _require_compiled(self, method: str) -> None:
        if not self.compiled:
            raise RuntimeError(
                f"Model '{self.name}' must be compiled before {method}(). Call "
                f"model.compile(optimizer=..., loss=...) first."
            )

    # ------------------------------------------------------------------- steps
    def compute_loss(
        self,
        x: Any = None,
        y: Any = None,
        y_pred: Any = None,
        sample_weight: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        """The compiled loss plus the model's regularization losses."""
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(y, y_pred, sample_weight)
        for extra in self._additional_losses():
            total = extra if total is None else total + extra
        if total is None:
            raise ValueError(
                f"Model '{self.name}' has no loss to compute. Pass loss=... to "
                f"compile()."
            )
        return total

    def _additional_losses(self) -> list[torch.Tensor]:
        """`self.losses` without walking every layer on every step.

        The regularized weights are listed once per fit/evaluate; the
        layers' `add_loss` losses are collected only when the last forward
        pass added any.
        """
        if self._regularized_weights is None:
            self._regularized_weights = [
                weight
                for weight in self.trainable_weights
                if getattr(weight, "regularizer", None) is not None
            ]
        losses = [weight.regularizer(weight) for weight in self._regularized_weights]
        if losses_added_in_last_call():
            losses.extend(self._activity_losses_recursive())
        return losses

    def train_step(self, data: Any) -> Mapping[str, torch.Tensor]:
        """One optimization step on a batch; returns the metric results."""
        if self._train_function is None:
            self._train_function = make_train_function(self)
        x, y, sample_weight = data
        self._train_function(x, y, sample_weight)
        return self._train_function.logs()

    def test_step(self, data: Any) -> Mapping[str, torch.Tensor]:
        """Computes loss and metrics on a batch, without updating weights."""
        x, y, sample_weight = data
        y_pred = self(x, training=False)
        if self._compile_loss is not None:
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
            self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        self._compile_metrics.update_state(y, y_pred, sample_weight)
        return MetricLogs(self.metrics)

    def predict_step(self, data: Any) -> Any:
        """Returns the model's predictions for a batch."""
        x, _, _ = data
        return self(x, training=False)

    # --------------------------------------------------------------------- fit
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: int | str = "auto",
        callbacks: Any = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool | str = True,
        class_weight: dict[int, float] | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int = 1,
        **kwargs: Any,
    ) -> Any:
        """Trains the model for a number of epochs; returns its `History`.

        Arguments, defaults and return value are Keras's: `x`/`y` arrays
        (NumPy, torch, pandas; lists or dicts for several inputs/outputs), a
        generator, a `PyDataset` or a torch `DataLoader`/`Dataset`;
        `validation_split` holds out the last fraction of array data.
        """
        _reject_legacy_fit_kwargs(kwargs)
        self._require_compiled("fit")
        epochs = _capped_epochs(epochs)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = _split_for_validation(
                x, y, sample_weight, validation_split
            )
        device = self._training_device()
        train_data = get_data_adapter(
            x,
            y,
            sample_weight,
            batch_size,
            steps_per_epoch,
            shuffle,
            device,
            class_weight,
        )
        val_data = self._validation_adapter(
            validation_data,
            validation_batch_size or batch_size,
            validation_steps,
            device,
        )
        callbacks = self._callback_list(
            callbacks, verbose, epochs=epochs, steps=_capped_steps(train_data)
        )
        self.stop_training = False
        self._train_function = None
        self._regularized_weights = None
        callbacks.on_train_begin()
        # A callback that restored a backup (BackupAndRestore) says where to go on.
        initial_epoch = getattr(self, "_initial_epoch", None) or initial_epoch
        epoch_logs: dict[str, Any] = {}
        for epoch in range(initial_epoch, epochs):
            epoch_logs = self._fit_epoch(epoch, train_data, callbacks, device)
            if val_data is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_adapter(val_data, callbacks, device)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if getattr(self.optimizer, "built", False):
            # With use_ema=True the model ends with the moving averages.
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(epoch_logs)
        return self.history

    def _fit_epoch(
        self, epoch: int, data: Any, callbacks: Any, device: torch.device
    ) -> dict[str, float]:
        self.reset_metrics()
        self.train()
        callbacks.on_epoch_begin(epoch)
        logs: dict[str, Any] = {}
        every = self.steps_per_execution  # callbacks see one batch per execution
        batches = _device_batches(data, device)
        custom = self._overrides("train_step")
        if every > 1 and not custom:
            logs = self._fit_executions(batches, every, callbacks)
        else:
            for step, batch in enumerate(batches):
                if step % every == 0:
                    callbacks.on_train_batch_begin(step)
                logs = self._run_step("train_step", batch, custom)
                if (step + 1) % every == 0:
                    callbacks.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
        if not logs:
            raise ValueError(
                f"Model '{self.name}' got no training batches in epoch {epoch + 1}. "
                f"The data is empty or the generator is exhausted; pass "
                f"steps_per_epoch that the data can fill, or a generator that "
                f"loops forever."
            )
        return self._final_logs(logs, custom)

    def _overrides(self, step: str) -> bool:
        """Whether the model defines its own `train_step`/`test_step`/`predict_step`."""
        return getattr(type(self), step) is not getattr(Trainer, step)

    def _run_step(self, step: str, batch: tuple[Any, Any, Any], custom: bool) -> Any:
        """Runs `step` on a batch. lamina's own steps take the `(x, y, w)`
        triple; an overridden one gets the data as Keras hands it, and its
        returned logs are flattened (`{"compile_metrics": {...}}`)."""
        if not custom:
            return getattr(self, step)(batch)
        result = getattr(self, step)(keras_step_data(batch))
        return result if step == "predict_step" else flat_logs(result)

    def _final_logs(self, logs: Mapping[str, Any], custom: bool) -> dict[str, float]:
        """The metric results; what a custom step returned if it names others
        (Keras's rule)."""
        results = flat_logs(self._metric_results())
        if custom and set(logs) != set(results):
            results = logs
        return {name: float(value) for name, value in results.items()}

    def _fit_executions(
        self, batches: Any, every: int, callbacks: Any
    ) -> Mapping[str, Any]:
        """`steps_per_execution` batches per callback call and per Python call
        into the step function (one compiled graph with `jit_compile`)."""
        if self._train_function is None:
            self._train_function = make_train_function(self)
        logs: Mapping[str, Any] = {}
        step = 0
        while not self.stop_training:
            execution = list(itertools.islice(batches, every))
            if not execution:
                break
            callbacks.on_train_batch_begin(step)
            if self.stop_training:  # as the step-by-step loop: one more step
                execution = execution[:1]
            self._train_function.run_steps(execution, every)
            logs = self._train_function.logs()
            step += len(execution)
            if len(execution) == every:
                callbacks.on_train_batch_end(step - 1, logs)
        return logs

    def _validation_adapter(
        self,
        validation_data: Any,
        batch_size: int | None,
        steps: int | None,
        device: Any,
    ) -> Any:
        if validation_data is None:
            return None
        if isinstance(validation_data, tuple) and len(validation_data) in (2, 3):
            return get_data_adapter(
                *validation_data, batch_size=batch_size, device=device
            )
        return get_data_adapter(
            validation_data, batch_size=batch_size, steps=steps, device=device
        )

    # ---------------------------------------------------------------- evaluate
    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: int | str = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: Any = None,
        return_dict: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Returns the loss and metrics on the data: a scalar, list or dict."""
        self._require_compiled("evaluate")
        device = self._training_device()
        data = get_data_adapter(x, y, sample_weight, batch_size, steps, False, device)
        callbacks = self._callback_list(
            callbacks, verbose, epochs=1, steps=_capped_steps(data)
        )
        logs = self._evaluate_adapter(data, callbacks, device)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

    def _evaluate_adapter(
        self, data: Any, callbacks: Any, device: torch.device
    ) -> dict[str, float]:
        self.reset_metrics()
        self.eval()
        self._regularized_weights = None
        callbacks.on_test_begin()
        logs: dict[str, Any] = {}
        custom = self._overrides("test_step")
        with torch.no_grad():
            for step, batch in enumerate(_device_batches(data, device)):
                callbacks.on_test_batch_begin(step)
                logs = self._run_step("test_step", batch, custom)
                callbacks.on_test_batch_end(step, logs)
        logs = self._final_logs(logs, custom)
        callbacks.on_test_end(logs)
        return logs

    # ----------------------------------------------------------------- predict
    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: int | str = "auto",
        steps: int | None = None,
        callbacks: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Returns the model's outputs for `x` as NumPy arrays."""
        device = self._training_device()
        data = get_data_adapter(x, None, None, batch_size, steps, False, device)
        callbacks = self._callback_list(
            callbacks, verbose, epochs=1, steps=_capped_steps(data)
        )
        self.eval()
        callbacks.on_predict_begin()
        outputs: list[Any] = []
        custom = self._overrides("predict_step")
        with torch.no_grad():
            for step, batch in enumerate(_device_batches(data, device)):
                callbacks.on_predict_batch_begin(step)
                batch_outputs = self._run_step("predict_step", batch, custom)
                outputs.append(batch_outputs)
                callbacks.on_predict_batch_end(step, {"outputs": batch_outputs})
        callbacks.on_predict_end()
        if not outputs:
            raise ValueError(f"Model '{self.name}' received no data to predict on.")
        return _concatenate_to_numpy(outputs)

    # --------------------------------------------------------------- on batch
    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: dict[int, float] | None = None,
        return_dict: bool = False,
    ) -> Any:
        """Runs one training step on one batch; returns loss and metrics."""
        self._require_compiled("train_on_batch")
        device = self._training_device()
        data = get_data_adapter(
            x, y, sample_weight, None, None, False, device, class_weight
        )
        data.batch_size = max(data.num_samples, 1)
        self.reset_metrics()
        self.train()
        batch = next(_device_batches(data, device))
        logs = self._run_step("train_step", batch, self._overrides("train_step"))
        return self._format_batch_logs(flat_logs(logs), return_dict)

    def test_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        return_dict: bool = False,
    ) -> Any:
        """Computes loss and metrics on one batch."""
        self._require_compiled("test_on_batch")
        device = self._training_device()
        data = get_data_adapter(x, y, sample_weight, None, None, False, device)
        data.batch_size = max(data.num_samples, 1)
        self.reset_metrics()
        self.eval()
        batch = next(_device_batches(data, device))
        with torch.no_grad():
            logs = self._run_step("test_step", batch, self._overrides("test_step"))
        return self._format_batch_logs(flat_logs(logs), return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        """Returns predictions for one batch as NumPy arrays."""
        device = self._training_device()
        batch = unpack_batch((x,), device)
        self.eval()
        with torch.no_grad():
            outputs = self._run_step(
                "predict_step", batch, self._overrides("predict_step")
            )
        return _concatenate_to_numpy([outputs])

    def _format_batch_logs(self, logs: dict[str, Any], return_dict: bool) -> Any:
        logs = {name: float(value) for name, value in logs.items()}
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

    # ---------------------------------------------------- Keras 2 generators
    def fit_generator(
        self, generator: Any, steps_per_epoch: Any = None, **kwargs: Any
    ) -> Any:
        """Keras 2 name for `fit` on a generator or `Sequence`."""
        _warn_renamed("fit_generator", "fit")
        return self.fit(
            generator, steps_per_epoch=steps_per_epoch, **_generator_kwargs(kwargs)
        )

    def evaluate_generator(
        self, generator: Any, steps: Any = None, **kwargs: Any
    ) -> Any:
        """Keras 2 name for `evaluate` on a generator or `Sequence`."""
        _warn_renamed("evaluate_generator", "evaluate")
        return self.evaluate(generator, steps=steps, **_generator_kwargs(kwargs))

    def predict_generator(
        self, generator: Any, steps: Any = None, **kwargs: Any
    ) -> Any:
        """Keras 2 name for `predict` on a generator or `Sequence`."""
        _warn_renamed("predict_generator", "predict")
        return self.predict(generator, steps=steps, **_generator_kwargs(kwargs))

    # ---------------------------------------------------------------- helpers
    def _training_device(self) -> torch.device:
        for parameter in self.parameters():
            return parameter.device
        from lamina.backend import get_device

        return get_device()

    def _callback_list(self, callbacks: Any, verbose: Any, **params: Any) -> Any:
        from lamina.callbacks import CallbackList

        if isinstance(callbacks, CallbackList):
            return callbacks
        verbose = 1 if verbose == "auto" else int(verbose)
        return CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            **params,
        )


def _device_batches(data: Any, device: torch.device) -> Any:
    """The adapter's batches as `(x, y, sample_weight)` tensors on `device`,
    at most `config.max_steps_per_epoch()` of them."""
    if data.yields_device_batches:
        batches = data.batches()
    else:
        batches = (unpack_batch(batch, device) for batch in data.batches())
    limit = max_steps_per_epoch()
    return batches if limit is None else itertools.islice(batches, limit)


def _capped_epochs(epochs: int) -> int:
    """`epochs`, or the cap of `config.set_max_epochs` when lower (as Keras)."""
    limit = max_epochs()
    if limit is None or limit >= epochs:
        return epochs
    warnings.warn(
        f"fit() received epochs={epochs}, but lamina.config.set_max_epochs("
        f"{limit}) (or KERAS_MAX_EPOCHS) caps it: limiting epochs to {limit}. "
        f"Call lamina.config.set_max_epochs(None) to run them all.",
        stacklevel=3,
    )
    return limit


def _capped_steps(data: Any) -> int | None:
    """Batches per epoch the progress bar shows, after the
    `config.set_max_steps_per_epoch` cap (which warns, as in Keras)."""
    limit = max_steps_per_epoch()
    steps = data.num_batches
    if limit is None or (steps is not None and steps <= limit):
        return steps
    warnings.warn(
        f"The data has {steps or 'an unknown number of'} batches per epoch, but "
        f"lamina.config.set_max_steps_per_epoch({limit}) (or "
        f"KERAS_MAX_STEPS_PER_EPOCH) caps it: limiting steps_per_epoch to "
        f"{limit}. Call lamina.config.set_max_steps_per_epoch(None) to use all.",
        stacklevel=3,
    )
    return limit


def flat_logs(logs: Mapping[str, Any]) -> dict[str, Any]:
    """`logs` with nested dicts (`{"compile_metrics": {"mae": ...}}`) merged in."""
    flat: dict[str, Any] = {}
    for name, value in logs.items():
        if isinstance(value, Mapping):
            flat.update(flat_logs(value))
        else:
            flat[name] = value
    return flat


def keras_step_data(batch: tuple[Any, Any, Any]) -> Any:
    """A batch as Keras hands it to an overridden step: `x`, `(x, y)` or
    `(x, y, sample_weight)`, by what the data has."""
    x, y, sample_weight = batch
    if sample_weight is not None:
        return batch
    return x if y is None else (x, y)


def _batch_size(x: Any) -> int:
    return next(t for t in tree.flatten(x) if t is not None).shape[0]


def _split_for_validation(
    x: Any, y: Any, sample_weight: Any, validation_split: float
) -> tuple[tuple[Any, Any, Any], tuple[Any, ...]]:
    from lamina.trainers.data_adapters import is_array_like

    if not is_array_like(x):
        raise ValueError(
            f"validation_split works only with array data, but x is a "
            f"{type(x).__name__}. Pass validation_data=... instead."
        )
    train, validation = split_arrays((x, y, sample_weight), validation_split)
    return train, tuple(part for part in validation if part is not None)


def _concatenate_to_numpy(batches: list[Any]) -> Any:
    flat = [tree.flatten(batch) for batch in batches]
    joined = [
        _to_numpy(torch.cat([batch[i] for batch in flat])) for i in range(len(flat[0]))
    ]
    return tree.pack_sequence_as(batches[0], joined)


def _to_numpy(tensor: torch.Tensor) -> Any:
    tensor = tensor.detach().cpu()
    if tensor.dtype == torch.bfloat16:  # NumPy has no bfloat16 (mixed_bfloat16)
        tensor = tensor.float()  # exact: every bfloat16 is a float32
    return tensor.numpy()


def _generator_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    for legacy in ("workers", "use_multiprocessing", "max_queue_size"):
        kwargs.pop(legacy, None)
    return kwargs


def _warn_renamed(old: str, new: str) -> None:
    warnings.warn(
        f"Model.{old} is the Keras 2 name; it runs Model.{new}, which accepts "
        f"generators directly. Call model.{new}(...) to silence this warning.",
        UserWarning,
        stacklevel=3,
    )


def _reject_legacy_compile_kwargs(kwargs: dict[str, Any]) -> None:
    kwargs.pop("sample_weight_mode", None)
    unknown = sorted(set(kwargs) - {"target_tensors", "distribute"})
    if unknown:
        raise TypeError(
            f"compile() got unexpected keyword argument(s) {unknown}. Valid "
            f"arguments: optimizer, loss, loss_weights, metrics, "
            f"weighted_metrics, run_eagerly, steps_per_execution, jit_compile."
        )


def _reject_legacy_fit_kwargs(kwargs: dict[str, Any]) -> None:
    _generator_kwargs(kwargs)
    if kwargs:
        raise TypeError(
            f"fit() got unexpected keyword argument(s) {sorted(kwargs)}. Check "
            f"the spelling against Model.fit's arguments."
        )
