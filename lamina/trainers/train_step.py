"""The training step `fit` runs once per batch, built once per `fit`."""

from typing import Any

import torch

from lamina.utils import tree


class TrainFunction:
    """Forward, loss, backward, optimizer update and metrics for one batch.

    It is the loop a PyTorch user writes by hand, plus Keras's bookkeeping:
    the trainable weights are collected once (after the first forward pass
    has built the model) and metrics update on the device without a host
    sync. The optimizer applies weight constraints after its update. With
    `compile(jit_compile=True)` the forward pass and loss run through
    `torch.compile`, whose fused backward autograd then uses.

    Args:
        model: A compiled `Model`.
    """

    def __init__(self, model: Any) -> None:
        self.model = model
        self.weights: list[torch.Tensor] | None = None
        self.forward_and_loss = self._forward_and_loss
        if model.jit_compile:
            self.forward_and_loss = torch.compile(self._forward_and_loss)

    def _forward_and_loss(
        self, x: Any, y: Any, sample_weight: Any
    ) -> tuple[Any, torch.Tensor]:
        y_pred = self.model(x, training=True)
        loss = self.model.compute_loss(x, y, y_pred, sample_weight, training=True)
        return y_pred, loss

    def __call__(self, x: Any, y: Any, sample_weight: Any) -> None:
        model = self.model
        if self.weights is None:  # the first call builds the model
            y_pred, loss = self._forward_and_loss(x, y, sample_weight)
            self.weights = list(model.trainable_weights)
            for weight in self.weights:
                weight.grad = None
        else:
            y_pred, loss = self.forward_and_loss(x, y, sample_weight)
        model._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
        if self.weights:
            loss.backward()
            model.optimizer.apply([w.grad for w in self.weights], self.weights)
            for weight in self.weights:
                weight.grad = None
        detached = tree.map_structure(_detach, y_pred)
        model._compile_metrics.update_state(y, detached, sample_weight)


def make_train_function(model: Any) -> TrainFunction:
    """Returns the step function `train_step` calls for `model`."""
    return TrainFunction(model)


def _detach(value: Any) -> Any:
    return value.detach() if isinstance(value, torch.Tensor) else value


def _batch_size(x: Any) -> int:
    return next(t for t in tree.flatten(x) if t is not None).shape[0]
