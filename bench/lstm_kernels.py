"""Times one LSTM training step (forward + backward) per kernel (issue 5, W2/W2b).

The seed's LSTM: batch 32, 100 steps, 32 features, 100 units, one thread.

    (a) lamina LSTM, fused path (`recurrent_dropout=0`, `torch.lstm`)
    (b) lamina LSTM, loop path (`recurrent_dropout=0.2`, hand-derived backward)
    (c) `torch.nn.LSTM`
    (d) a naive eager PyTorch loop with a per-sequence recurrent dropout mask

Runs alternate (a b c d a b c d ...); the table gives the median CPU time
per step (process CPU time, robust to other processes' load).

    python -m bench.lstm_kernels [--repeats 7] [--steps 10]
"""

import argparse
import statistics
import time

import torch

from lamina.layers import LSTM

BATCH, TIMESTEPS, FEATURES, UNITS = 32, 100, 32, 100


def lamina_step(recurrent_dropout: float):
    layer = LSTM(UNITS, dropout=0.2, recurrent_dropout=recurrent_dropout)
    inputs = torch.randn(BATCH, TIMESTEPS, FEATURES)
    layer(inputs)

    def step() -> None:
        layer.zero_grad(set_to_none=True)
        layer(inputs, training=True).square().sum().backward()

    return step


def torch_lstm_step():
    module = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)
    dropout = torch.nn.Dropout(0.2)
    inputs = torch.randn(BATCH, TIMESTEPS, FEATURES)

    def step() -> None:
        module.zero_grad(set_to_none=True)
        keep = dropout(torch.ones(BATCH, 1, FEATURES))  # one mask per sequence
        outputs, _ = module(inputs * keep)
        outputs[:, -1].square().sum().backward()

    return step


class NaiveLSTM(torch.nn.Module):
    """The loop a PyTorch user writes: every step does both matmuls."""

    def __init__(self) -> None:
        super().__init__()
        self.cell = torch.nn.LSTMCell(FEATURES, UNITS)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        h = inputs.new_zeros(BATCH, UNITS)
        c = inputs.new_zeros(BATCH, UNITS)
        input_mask = torch.nn.functional.dropout(inputs.new_ones(BATCH, FEATURES), 0.2)
        recurrent_mask = torch.nn.functional.dropout(inputs.new_ones(BATCH, UNITS), 0.2)
        for t in range(inputs.shape[1]):
            x = inputs[:, t] * input_mask
            z = (
                x @ self.cell.weight_ih.t()
                + (h * recurrent_mask) @ self.cell.weight_hh.t()
            )
            z = z + self.cell.bias_ih + self.cell.bias_hh
            i, f, g, o = z.chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        return h


def naive_step():
    module = NaiveLSTM()
    inputs = torch.randn(BATCH, TIMESTEPS, FEATURES)

    def step() -> None:
        module.zero_grad(set_to_none=True)
        module(inputs).square().sum().backward()

    return step


def time_step(step, steps: int) -> float:
    # CPU time of this process: on a shared machine, other processes' load
    # inflates wall time, not this (with one thread, CPU time ~ wall time)
    start = time.process_time()
    for _ in range(steps):
        step()
    return (time.process_time() - start) / steps * 1000  # ms per step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cases = {
        "(a) lamina fused, recurrent_dropout=0": lamina_step(0.0),
        "(b) lamina loop, recurrent_dropout=0.2": lamina_step(0.2),
        "(c) torch.nn.LSTM": torch_lstm_step(),
        "(d) naive eager loop, recurrent dropout": naive_step(),
    }
    for step in cases.values():  # warm up
        time_step(step, 2)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.repeats):
        for name, step in cases.items():
            times[name].append(time_step(step, args.steps))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"LSTM training step, batch {BATCH}, {TIMESTEPS} steps, {FEATURES} "
        f"features, {UNITS} units, 1 thread, torch {torch.__version__}"
    )
    print(f"{'case':<44}{'median ms':>10}{'min':>8}{'max':>8}{'samples/s':>11}")
    for name, values in times.items():
        print(
            f"{name:<44}{medians[name]:>10.2f}{min(values):>8.2f}"
            f"{max(values):>8.2f}{BATCH / medians[name] * 1000:>11.0f}"
        )
    loop_speedup = (
        medians["(d) naive eager loop, recurrent dropout"]
        / medians["(b) lamina loop, recurrent_dropout=0.2"]
    )
    fused_ratio = (
        medians["(a) lamina fused, recurrent_dropout=0"] / medians["(c) torch.nn.LSTM"]
    )
    print(
        f"(b) is {loop_speedup:.2f}x faster than (d) (target >= 1.8x); "
        f"(a) / (c) time = {fused_ratio:.2f} (target ~1.0)"
    )


if __name__ == "__main__":
    main()
