"""The training step `fit` runs once per batch, built once per `fit`."""

from typing import Any

import torch

from lamina.utils import tree


class TrainFunction:
    """Forward, loss, backward, optimizer update and metrics for one batch.

    It is the loop a PyTorch user writes by hand, plus Keras's bookkeeping:
    the trainable weights are collected once (after the first forward pass
    has built the model), metrics update on the device without a host sync,
    and weight constraints are applied after the update.

    Args:
        model: A compiled `Model`.
    """

    def __init__(self, model: Any) -> None:
        self.model = model
        self.weights: list[torch.Tensor] | None = None
        self.constrained: list[Any] = []

    def _collect_weights(self) -> None:
        self.weights = list(self.model.trainable_weights)
        self.constrained = [w for w in self.weights if getattr(w, "constraint", None)]
        for weight in self.weights:
            weight.grad = None

    def __call__(self, x: Any, y: Any, sample_weight: Any) -> None:
        model = self.model
        y_pred = model(x, training=True)
        if self.weights is None:
            self._collect_weights()
        loss = model.compute_loss(x, y, y_pred, sample_weight, training=True)
        model._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
        if self.weights:
            loss.backward()
            model.optimizer.apply([w.grad for w in self.weights], self.weights)
            for weight in self.weights:
                weight.grad = None
            self._apply_constraints()
        detached = tree.map_structure(_detach, y_pred)
        model._compile_metrics.update_state(y, detached, sample_weight)

    def _apply_constraints(self) -> None:
        with torch.no_grad():
            for weight in self.constrained:
                weight.copy_(weight.constraint(weight))


def make_train_function(model: Any) -> TrainFunction:
    """Returns the step function `train_step` calls for `model`."""
    return TrainFunction(model)


def _detach(value: Any) -> Any:
    return value.detach() if isinstance(value, torch.Tensor) else value


def _batch_size(x: Any) -> int:
    return next(t for t in tree.flatten(x) if t is not None).shape[0]
