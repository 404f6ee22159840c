"""A stand-in for `Model` (the surface callbacks touch), and fixtures using it."""

import numpy as np
import torch


class FakeOptimizer:
    """Keeps `learning_rate` as a float32 0-d tensor, as lamina optimizers do."""

    def __init__(self, learning_rate=0.1):
        self._learning_rate = torch.tensor(learning_rate, dtype=torch.float32)

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate.fill_(float(value))


class FakeModel:
    """Weights are one array whose value is the number of set_weights calls."""

    def __init__(self, learning_rate=0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.weights = [np.zeros(2, dtype="float32")]
        self.saved = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save(self, filepath, overwrite=True):
        self.saved.append(("model", filepath))
        with open(filepath, "w") as f:
            f.write("model")

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(("weights", filepath))
        with open(filepath, "w") as f:
            f.write("weights")


def run_epochs(callback, model, epoch_logs):
    """Drives `callback` like fit does; returns the index of the last epoch run."""
    callback.set_model(model)
    callback.on_train_begin()
    last = None
    for epoch, logs in enumerate(epoch_logs):
        last = epoch
        model.weights = [np.full(2, epoch, dtype="float32")]
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    callback.on_train_end()
    return last
