"""The training step `fit` runs once per batch, built once per `fit`."""

import types
import warnings
from typing import Any

import torch

from lamina.layers.call_context import losses_added_in_last_call
from lamina.trainers.metric_logs import MetricLogs
from lamina.utils import tree


class TrainFunction:
    """Forward, loss, backward, optimizer update and metrics for one batch.

    It is the loop a PyTorch user writes by hand, plus Keras's bookkeeping:
    the trainable weights are collected once (after the first forward pass
    has built the model) and metrics update on the device without a host
    sync. The optimizer applies weight constraints after its update.

    With `compile(jit_compile=True)` the whole step (forward pass, loss,
    gradients, optimizer update and the loss tracker) is one
    `torch.compile` graph, compiled for the first batch's shapes; batches
    of other shapes (a short last batch) run the eager step, so a model
    compiles once, and its graph is reused by later `fit` calls until the
    next `compile()`. Metrics update eagerly from the graph's predictions.
    A model the compiler cannot capture whole trains eagerly, with a
    warning.

    Args:
        model: A compiled `Model`.
    """

    def __init__(self, model: Any) -> None:
        self.model = model
        self.weights: list[torch.Tensor] | None = None
        self._compiled: Any = None
        self._compiled_shapes: Any = None
        self._needs_autograd_tracing = True
        self._logs: MetricLogs | None = None

    # ------------------------------------------------------------- eager
    def _eager_step(self, x: Any, y: Any, sample_weight: Any) -> None:
        model = self.model
        y_pred = model(x, training=True)
        loss = model.compute_loss(x, y, y_pred, sample_weight, training=True)
        model._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
        weights = self.weights
        is_first = weights is None
        if is_first:  # the first call builds the model
            weights = list(model.trainable_weights)
        if weights:
            scaled = model.optimizer.scale_loss(loss)  # loss scaling, as Keras
            grads = torch.autograd.grad(scaled, weights, allow_unused=True)
            model.optimizer.apply(list(grads), weights)
        if is_first:
            self.weights = _optimizer_weights(model.optimizer, weights)
        metrics = model._compile_metrics
        if metrics._plan or not metrics.built:
            metrics.update_state(y, _detach_structure(y_pred), sample_weight)

    # ---------------------------------------------------------- compiled
    def _can_compile(self) -> bool:
        optimizer = self.model.optimizer
        return (
            bool(self.weights)
            and not optimizer.gradient_accumulation_steps
            and optimizer._indices_of(self.weights) is None
        )

    def _start_compiling(self, x: Any, y: Any, sample_weight: Any) -> None:
        model = self.model
        if getattr(model, "_jit_train_steps", None) is None:  # a cache per model
            model._jit_train_steps = torch.compile(
                _with_own_code(_graph_steps),
                fullgraph=True,
                options={"guard_filter_fn": _skip_call_counter_guards},
            )
        self._compiled = model._jit_train_steps
        self._compiled_shapes = _shapes(x, y, sample_weight)
        self._needs_autograd_tracing = True

    def _run_compiled(self, batches: tuple[Any, ...]) -> bool:
        """Runs the compiled steps; `False` if they must run eagerly instead."""
        optimizer = self.model.optimizer
        in_sync = optimizer._iterations._version == optimizer._host_iterations_version
        try:
            y_preds = self._call_compiled(batches)
        except torch._dynamo.exc.TorchDynamoException as err:
            # Raised while capturing or compiling, before any step ran.
            self._fall_back_to_eager(err)
            return False
        for _ in batches:
            optimizer._after_traced_update(in_sync)
        metrics = self.model._compile_metrics
        if metrics._plan:
            for (_, y, sample_weight), y_pred in zip(batches, y_preds, strict=True):
                metrics.update_state(y, y_pred, sample_weight)
        return True

    def _call_compiled(self, batches: tuple[Any, ...]) -> Any:
        if not self._needs_autograd_tracing:
            try:
                return self._compiled(self, batches)
            except torch._dynamo.exc.TorchDynamoException:
                pass  # a recompilation, which needs autograd tracing too
        with _tracing_autograd():
            y_preds = self._compiled(self, batches)
        self._needs_autograd_tracing = False
        return y_preds

    def _fall_back_to_eager(self, err: Exception) -> None:
        self._compiled = None
        message = str(err).strip()
        first_line = message.splitlines()[0] if message else ""
        warnings.warn(
            f"compile(jit_compile=True) could not compile the training step of "
            f"model '{self.model.name}' ({type(err).__name__}: {first_line}); "
            f"it trains eagerly instead, with the same results. Pass "
            f"jit_compile=False to silence this warning.",
            UserWarning,
            stacklevel=7,
        )

    # -------------------------------------------------------------- calls
    def logs(self) -> MetricLogs:
        """The logs `train_step` returns: the metrics' results, read lazily."""
        if self._logs is None:  # the metrics exist once the first step ran
            self._logs = MetricLogs(self.model.metrics)
        return self._logs.fresh()

    def __call__(self, x: Any, y: Any, sample_weight: Any) -> None:
        if (
            self._compiled is not None
            and _shapes(x, y, sample_weight) == self._compiled_shapes
            and self._run_compiled(((x, y, sample_weight),))
        ):
            return
        is_first = self.weights is None
        self._eager_step(x, y, sample_weight)
        if is_first and self.model.jit_compile and self._can_compile():
            self._start_compiling(x, y, sample_weight)

    def run_steps(self, batches: list[Any], steps_per_execution: int) -> None:
        """Runs the batches of one execution of `steps_per_execution` steps.

        With `jit_compile=True`, consecutive batches of the compiled shapes
        run `steps_per_graph(steps_per_execution)` at a time as one graph
        (the steps unrolled), so the call overhead is paid once per graph.
        Batches left over (the first execution, whose first step builds
        the model, and a short last one) run eagerly rather than compile
        another graph.
        """
        size = steps_per_graph(steps_per_execution)
        index = 0
        while index < len(batches):
            group = tuple(batches[index : index + size])
            if (
                self._compiled is not None
                and len(group) == size
                and all(_shapes(*batch) == self._compiled_shapes for batch in group)
                and self._run_compiled(group)
            ):
                index += size
                continue
            if self._compiled is not None:
                self._eager_step(*batches[index])
            else:
                self(*batches[index])
            index += 1


MAX_STEPS_PER_GRAPH = 4
"""Steps one compiled call runs at most: compile time grows with it, and
beyond 4 steps of a small model the call overhead is already amortised."""


def steps_per_graph(steps_per_execution: int) -> int:
    """The largest divisor of `steps_per_execution` up to `MAX_STEPS_PER_GRAPH`.

    Example:
    >>> steps_per_graph(6), steps_per_graph(32), steps_per_graph(7)
    (3, 4, 1)
    """
    return max(
        size
        for size in range(1, MAX_STEPS_PER_GRAPH + 1)
        if steps_per_execution % size == 0
    )


def _graph_steps(train_function: TrainFunction, batches: tuple[Any, ...]) -> list:
    """The steps `torch.compile` captures: all but the host bookkeeping."""
    model = train_function.model
    weights = train_function.weights
    optimizer = model.optimizer
    y_preds = []
    for x, y, sample_weight in batches:
        y_pred = model(x, training=True)
        loss = model.compute_loss(x, y, y_pred, sample_weight, training=True)
        grads = torch.autograd.grad(optimizer.scale_loss(loss), weights)
        with torch.no_grad():
            optimizer._apply_update(list(grads), weights)
            model._loss_tracker._accumulate_batch(loss.detach(), _batch_size(x))
        if losses_added_in_last_call():
            _detach_activity_losses(model)
        y_preds.append(tree.map_structure(_detach, y_pred))
    return y_preds


def _detach_activity_losses(model: Any) -> None:
    """Keeps `model.losses` readable after the graph without its autograd
    history (a graph output may not carry the history it differentiated)."""
    for layer in model.modules():
        losses = getattr(layer, "_activity_losses", None)
        if losses:
            layer._activity_losses = [loss.detach() for loss in losses]


def _with_own_code(function: Any) -> Any:
    """A copy of `function` with its own code object, hence its own
    `torch.compile` cache (and recompilation limit)."""
    code = function.__code__.replace()
    copy = types.FunctionType(code, function.__globals__, function.__name__)
    copy.__defaults__ = function.__defaults__
    return copy


def make_train_function(model: Any) -> TrainFunction:
    """Returns the step function `train_step` calls for `model`."""
    return TrainFunction(model)


class _tracing_autograd:  # noqa: N801 - used as a context manager
    """Lets `torch.compile` capture `torch.autograd.grad` in the graph."""

    def __enter__(self) -> None:
        from torch._dynamo import config

        self.previous = config.trace_autograd_ops
        config.trace_autograd_ops = True

    def __exit__(self, *exc_info: Any) -> None:
        from torch._dynamo import config

        config.trace_autograd_ops = self.previous


_CALL_COUNTERS = ("._loss_generation", "CALL_CONTEXT.generation")


def _skip_call_counter_guards(guard_entries: list[Any]) -> list[bool]:
    """Keeps every guard but those on the layers' call counters.

    Each outermost layer call increments `CALL_CONTEXT.generation` and
    records it in every layer it reaches (to know when to forget `add_loss`
    losses); guarding on those integers would recompile on every step. The
    graph does the same forgetting on each call, so it may ignore them.
    """
    return [
        not any(entry.name.endswith(counter) for counter in _CALL_COUNTERS)
        for entry in guard_entries
    ]


def _optimizer_weights(optimizer: Any, weights: list[Any]) -> list[Any]:
    """The optimizer's own list when it holds exactly `weights`, so that
    `Optimizer.apply` recognises it without matching weight by weight."""
    built_for = optimizer._trainable_variables
    if (
        weights
        and len(built_for) == len(weights)
        and all(a is b for a, b in zip(built_for, weights, strict=True))
    ):
        return built_for
    return weights


def _shapes(x: Any, y: Any, sample_weight: Any) -> Any:
    if isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor):
        if sample_weight is None:
            return x.shape, y.shape
    return tuple(
        (t.shape, t.dtype) if isinstance(t, torch.Tensor) else t
        for t in tree.flatten((x, y, sample_weight))
    )


def _detach(value: Any) -> Any:
    return value.detach() if isinstance(value, torch.Tensor) else value


def _detach_structure(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach()
    return tree.map_structure(_detach, value)


def _batch_size(x: Any) -> int:
    if isinstance(x, torch.Tensor):
        return x.shape[0]
    return next(t for t in tree.flatten(x) if t is not None).shape[0]
