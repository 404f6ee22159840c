"""The benchmark workloads of issue 5, each written three ways.

For every workload there is a lamina model trained with `fit`, the idiomatic
hand-written PyTorch loop a PyTorch user writes for the same model
(`nn.Sequential`/modules, `torch.optim.Adam(eps=1e-7)`, one index tensor per
batch, `zero_grad`/`backward`/`step`), and the same model in Keras 3 on its
torch backend. All three use the same shapes, the same synthetic data (fixed
seeds), the same initialisation scheme (Glorot-uniform kernels, zero biases,
orthogonal recurrent kernels, uniform(-0.05, 0.05) embeddings, forget-gate
bias 1) and the same optimizer settings, so they do the same arithmetic.

`build(workload, contender, scale)` returns a `Runner`; `runner.run(epochs)`
returns the wall time of each epoch (for `P`, of each full `predict` pass).
Keras is imported only inside the Keras builders.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class Unavailable(Exception):
    """A contender cannot run a workload here (a layer is missing, say)."""


@dataclass(frozen=True)
class Spec:
    """A workload: its data size, batch size and what one sample costs."""

    name: str
    description: str
    num_samples: int  # full run; `--quick` scales it down
    batch_size: int
    flops_per_sample: float | None = None  # training FLOPs, for the floor
    is_predict: bool = False


def _w1_flops() -> float:
    forward = 2 * (784 * 512 + 512 * 10)
    return 3.0 * forward  # forward + gradient w.r.t. inputs + w.r.t. weights


def _w3_flops() -> float:
    conv1 = 2 * 26 * 26 * 32 * (3 * 3 * 1)
    conv2 = 2 * 11 * 11 * 64 * (3 * 3 * 32)
    dense = 2 * 1600 * 10
    return 3.0 * (conv1 + conv2 + dense)


SPECS = {
    "W1": Spec("W1", "MLP 784-512-10, Adam, batch 128", 60_000, 128, _w1_flops()),
    "W2": Spec("W2", "Embedding+LSTM(100), recurrent_dropout=0.2, batch 32", 1_600, 32),
    "W2b": Spec("W2b", "Embedding+LSTM(100), fused-eligible, batch 32", 1_600, 32),
    "W3": Spec(
        "W3", "small CNN (2x Conv2D+MaxPool), batch 128", 6_400, 128, _w3_flops()
    ),
    "P": Spec(
        "P", "predict of the W1 model, batch 1024", 60_000, 1024, is_predict=True
    ),
    "O": Spec("O", "per-step overhead: Dense(1) on (N, 4), MSE, batch 32", 32_000, 32),
}


# ------------------------------------------------------------------- data
def make_data(workload: str, num_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic data of the workload's exact shapes, from a fixed seed."""
    rng = np.random.default_rng(0)
    if workload in ("W1", "P"):
        x = rng.random((num_samples, 28, 28), dtype=np.float32)
        y = _one_hot(rng.integers(0, 10, num_samples), 10)
    elif workload == "W3":
        x = rng.random((num_samples, 28, 28, 1), dtype=np.float32)
        y = _one_hot(rng.integers(0, 10, num_samples), 10)
    elif workload in ("W2", "W2b"):
        x = rng.integers(0, 5000, (num_samples, 100)).astype(np.int64)
        y = _one_hot(rng.integers(0, 2, num_samples), 2)
    elif workload == "O":
        x = rng.standard_normal((num_samples, 4), dtype=np.float32)
        y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype=np.float32)).astype(
            np.float32
        )
    else:
        raise ValueError(f"Unknown workload {workload!r}; known: {sorted(SPECS)}.")
    return x, y


def _one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    return np.eye(classes, dtype=np.float32)[labels]


@dataclass
class Runner:
    """Runs a prepared model for some epochs; returns each epoch's seconds."""

    run: Callable[[int], list[float]]
    num_samples: int
    batch_size: int

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.num_samples // self.batch_size)


def build(workload: str, contender: str, scale: float = 1.0) -> Runner:
    """The runner of `contender` ("lamina", "lamina_jit", "torch", "keras")."""
    spec = SPECS[workload]
    num_samples = max(int(spec.num_samples * scale), 4 * spec.batch_size)
    x, y = make_data(workload, num_samples)
    builders = {
        "lamina": _lamina,
        "lamina_jit": _lamina,
        "torch": _torch,
        "keras": _keras,
    }
    run = builders[contender](workload, x, y, spec.batch_size, contender)
    return Runner(run, num_samples, spec.batch_size)


# ---------------------------------------------------------------- lamina
def _lamina_layer(name: str) -> Any:
    import lamina

    layer = getattr(lamina.layers, name, None)
    if layer is None:
        raise Unavailable(f"lamina.layers has no {name} yet")
    return layer


def _lamina_model(workload: str) -> Any:
    import lamina

    L = lamina.layers
    if workload in ("W1", "P"):
        return lamina.Sequential(
            [
                L.Flatten(input_shape=(28, 28)),
                L.Dense(512, activation="relu"),
                L.Dropout(0.5),
                L.Dense(10, activation="softmax"),
            ]
        )
    if workload == "W3":
        conv, pool = _lamina_layer("Conv2D"), _lamina_layer("MaxPooling2D")
        return lamina.Sequential(
            [
                lamina.Input(shape=(28, 28, 1)),
                conv(32, 3, activation="relu"),
                pool(2),
                conv(64, 3, activation="relu"),
                pool(2),
                L.Flatten(),
                L.Dropout(0.5),
                L.Dense(10, activation="softmax"),
            ]
        )
    if workload in ("W2", "W2b"):
        embedding = _lamina_layer("Embedding")
        spatial = _lamina_layer("SpatialDropout1D")
        lstm = _lamina_layer("LSTM")
        recurrent_dropout = 0.2 if workload == "W2" else 0.0
        return lamina.Sequential(
            [
                lamina.Input(shape=(100,), dtype="int64"),
                embedding(5000, 32),
                spatial(0.4),
                lstm(100, dropout=0.2, recurrent_dropout=recurrent_dropout),
                L.Dense(2, activation="sigmoid"),
            ]
        )
    if workload == "O":
        return lamina.Sequential([L.Dense(1, input_shape=(4,))])
    raise ValueError(workload)


_LOSSES = {
    "W1": "categorical_crossentropy",
    "W3": "categorical_crossentropy",
    "W2": "binary_crossentropy",
    "W2b": "binary_crossentropy",
    "O": "mse",
}


def _lamina(workload: str, x: Any, y: Any, batch_size: int, contender: str) -> Callable:
    import lamina

    try:
        model = _lamina_model(workload)
    except TypeError as err:  # a layer exists but lacks an argument we need
        raise Unavailable(f"lamina model could not be built: {err}") from err
    if workload == "P":
        return _predict_runner(
            lambda: model.predict(x, batch_size=batch_size, verbose=0)
        )
    model.compile(
        optimizer=lamina.optimizers.Adam(),
        loss=_LOSSES[workload],
        jit_compile=contender == "lamina_jit",
    )

    class EpochTimer(lamina.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    times: list[float] = []

    def run(epochs: int) -> list[float]:
        times.clear()
        model.fit(
            x,
            y,
            batch_size=batch_size,
            epochs=epochs,
            verbose=0,
            callbacks=[EpochTimer()],
        )
        return list(times)

    return run


def _predict_runner(predict: Callable[[], Any]) -> Callable:
    def run(passes: int) -> list[float]:
        times = []
        for _ in range(passes):
            start = time.perf_counter()
            predict()
            times.append(time.perf_counter() - start)
        return times

    return run


# ----------------------------------------------------------------- PyTorch
def _glorot(module: nn.Module) -> nn.Module:
    """Keras's defaults: Glorot-uniform kernels and zero biases."""
    for layer in module.modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return module


class _SpatialDropout1D(nn.Module):
    """Drops whole channels of `(batch, steps, channels)`, as Keras does."""

    def __init__(self, rate: float) -> None:
        super().__init__()
        self.rate = rate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout1d(x.transpose(1, 2), self.rate, self.training).transpose(1, 2)


class _HandLSTM(nn.Module):
    """The LSTM time loop written by hand, Keras gate order (i, f, c, o).

    Input and recurrent dropout masks are drawn once per sequence, as Keras
    does; each step computes `x_t @ W + (h * mask) @ U + b`.
    """

    def __init__(
        self, input_dim: int, units: int, dropout: float, recurrent_dropout: float
    ):
        super().__init__()
        self.units, self.dropout, self.recurrent_dropout = (
            units,
            dropout,
            recurrent_dropout,
        )
        self.kernel = nn.Parameter(
            nn.init.xavier_uniform_(torch.empty(4 * units, input_dim)).T
        )
        self.recurrent_kernel = nn.Parameter(
            nn.init.orthogonal_(torch.empty(units, 4 * units))
        )
        bias = torch.zeros(4 * units)
        bias[units : 2 * units] = 1.0  # unit_forget_bias
        self.bias = nn.Parameter(bias)

    def _mask(self, like: torch.Tensor, rate: float) -> torch.Tensor | None:
        if not self.training or rate == 0:
            return None
        return torch.bernoulli(torch.full_like(like, 1 - rate)) / (1 - rate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, steps, _ = x.shape
        h = x.new_zeros(batch, self.units)
        c = x.new_zeros(batch, self.units)
        input_mask = self._mask(x[:, 0], self.dropout)
        recurrent_mask = self._mask(h, self.recurrent_dropout)
        for t in range(steps):
            x_t = x[:, t] if input_mask is None else x[:, t] * input_mask
            h_in = h if recurrent_mask is None else h * recurrent_mask
            z = x_t @ self.kernel + h_in @ self.recurrent_kernel + self.bias
            i, f, g, o = z.chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        return h


class _FusedLSTM(nn.Module):
    """`nn.LSTM` with Keras's per-sequence input dropout; returns the last h."""

    def __init__(self, input_dim: int, units: int, dropout: float):
        super().__init__()
        self.dropout = dropout
        self.lstm = nn.LSTM(input_dim, units, batch_first=True)
        nn.init.xavier_uniform_(self.lstm.weight_ih_l0)
        for gate in self.lstm.weight_hh_l0.data.chunk(4, dim=0):
            nn.init.orthogonal_(gate)
        nn.init.zeros_(self.lstm.bias_hh_l0)
        nn.init.zeros_(self.lstm.bias_ih_l0)
        with torch.no_grad():
            self.lstm.bias_ih_l0[units : 2 * units] = 1.0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training and self.dropout:
            mask = torch.bernoulli(torch.full_like(x[:, :1], 1 - self.dropout))
            x = x * mask / (1 - self.dropout)  # same mask at every step
        _, (h, _) = self.lstm(x)
        return h[0]


def _torch_model(workload: str) -> nn.Module:
    if workload in ("W1", "P"):
        return _glorot(
            nn.Sequential(
                nn.Flatten(),
                nn.Linear(784, 512),
                nn.ReLU(),
                nn.Dropout(0.5),
                nn.Linear(512, 10),
            )
        )
    if workload == "W3":
        return _glorot(
            nn.Sequential(
                nn.Conv2d(1, 32, 3),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 3),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Flatten(),
                nn.Dropout(0.5),
                nn.Linear(1600, 10),
            )
        )
    if workload in ("W2", "W2b"):
        embedding = nn.Embedding(5000, 32)
        nn.init.uniform_(embedding.weight, -0.05, 0.05)
        lstm = (
            _HandLSTM(32, 100, 0.2, 0.2)
            if workload == "W2"
            else _FusedLSTM(32, 100, 0.2)
        )
        return _glorot(
            nn.Sequential(embedding, _SpatialDropout1D(0.4), lstm, nn.Linear(100, 2))
        )
    if workload == "O":
        return _glorot(nn.Linear(4, 1))
    raise ValueError(workload)


def _torch_loss(workload: str) -> Callable:
    """Losses from logits: the arithmetic of Keras's softmax/sigmoid + CE."""
    if workload in ("W1", "W3"):
        return F.cross_entropy  # accepts one-hot (probability) targets
    if workload in ("W2", "W2b"):
        return F.binary_cross_entropy_with_logits
    return F.mse_loss


def _torch(workload: str, x: Any, y: Any, batch_size: int, contender: str) -> Callable:
    model = _torch_model(workload)
    if workload == "W3":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))  # PyTorch users hold NCHW
    inputs, targets = torch.from_numpy(x), torch.from_numpy(y)
    if workload == "P":
        return _predict_runner(lambda: _torch_predict(model, inputs, batch_size))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = _torch_loss(workload)
    num_samples = inputs.shape[0]

    def run(epochs: int) -> list[float]:
        times = []
        for _ in range(epochs):
            start = time.perf_counter()
            model.train()
            running_loss = torch.zeros(())
            order = torch.randperm(num_samples)
            for first in range(0, num_samples, batch_size):
                index = order[first : first + batch_size]
                batch_x, batch_y = inputs[index], targets[index]
                optimizer.zero_grad()
                loss = loss_fn(model(batch_x), batch_y)
                loss.backward()
                optimizer.step()
                running_loss += loss.detach()
            float(running_loss)
            times.append(time.perf_counter() - start)
        return times

    return run


def _torch_predict(
    model: nn.Module, inputs: torch.Tensor, batch_size: int
) -> np.ndarray:
    model.eval()
    outputs = []
    with torch.no_grad():
        for first in range(0, inputs.shape[0], batch_size):
            logits = model(inputs[first : first + batch_size])
            outputs.append(torch.softmax(logits, dim=-1))
    return torch.cat(outputs).numpy()


# ------------------------------------------------------------------ Keras 3
def _keras_model(workload: str) -> Any:
    import keras

    L = keras.layers
    if workload in ("W1", "P"):
        return keras.Sequential(
            [
                keras.Input((28, 28)),
                L.Flatten(),
                L.Dense(512, activation="relu"),
                L.Dropout(0.5),
                L.Dense(10, activation="softmax"),
            ]
        )
    if workload == "W3":
        return keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                L.Conv2D(32, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.Conv2D(64, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.Flatten(),
                L.Dropout(0.5),
                L.Dense(10, activation="softmax"),
            ]
        )
    if workload in ("W2", "W2b"):
        recurrent_dropout = 0.2 if workload == "W2" else 0.0
        return keras.Sequential(
            [
                keras.Input((100,), dtype="int64"),
                L.Embedding(5000, 32),
                L.SpatialDropout1D(0.4),
                L.LSTM(100, dropout=0.2, recurrent_dropout=recurrent_dropout),
                L.Dense(2, activation="sigmoid"),
            ]
        )
    if workload == "O":
        return keras.Sequential([keras.Input((4,)), L.Dense(1)])
    raise ValueError(workload)


def _keras(workload: str, x: Any, y: Any, batch_size: int, contender: str) -> Callable:
    try:
        import keras
    except ImportError as err:
        raise Unavailable("keras is not installed") from err
    if keras.backend.backend() != "torch":
        raise Unavailable(f"keras runs on {keras.backend.backend()}, not torch")
    model = _keras_model(workload)
    if workload == "P":
        return _predict_runner(
            lambda: model.predict(x, batch_size=batch_size, verbose=0)
        )
    model.compile(optimizer=keras.optimizers.Adam(), loss=_LOSSES[workload])

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    times: list[float] = []

    def run(epochs: int) -> list[float]:
        times.clear()
        model.fit(
            x,
            y,
            batch_size=batch_size,
            epochs=epochs,
            verbose=0,
            callbacks=[EpochTimer()],
        )
        return list(times)

    return run
