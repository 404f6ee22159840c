"""The seed's two programs, fixed and as written, run on the real data sets."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


# Runs a program as `python program args...` would, with every generator
# seeded first, so that a program written without torch seeding (as the seed's
# programs are) gives the same accuracy on every run.
SEEDED_RUN = (
    "import runpy, sys; from lamina.utils import set_random_seed; "
    "set_random_seed(7); sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


def run_example(name, *args, env=None, timeout=1200):
    return subprocess.run(
        [sys.executable, "-c", SEEDED_RUN, str(ROOT / "examples" / name)]
        + [str(arg) for arg in args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def accuracy_of(output):
    match = re.search(r"Test accuracy: ([0-9.]+)", output)
    assert match, output[-2000:]
    return float(match.group(1))


def test_mnist_as_written_trains_like_keras2_with_one_warning():
    result = run_example("mnist_mlp_as_written.py", DATA / "mnist.npz")
    assert result.returncode == 0, result.stderr[-3000:]
    warnings = re.findall(r"Layer 'flatten' \(Flatten\) was declared", result.stderr)
    assert len(warnings) == 1, result.stderr[-3000:]
    assert "declare input_shape=(784,)" in result.stderr
    assert accuracy_of(result.stdout) >= 0.975


def test_main_job_falls_back_to_bundled_digits_offline(tmp_path):
    result = run_example("mnist_mlp.py", env={"LAMINA_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "MNIST is not available" in result.stdout
    assert "Data: digits" in result.stdout
    assert accuracy_of(result.stdout) >= 0.9


def test_imdb_as_written_fails_at_once_naming_the_embedding():
    result = run_example("imdb_lstm_as_written.py", DATA / "imdb.npz")
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert re.search(
        r"Layer 'embedding' \(Embedding\) received index \d{5}, but input_dim=5000",
        last_line,
    ), last_line
    assert "Epoch 1/10" in result.stdout  # it failed on the first batch


def test_imdb_fixed_runs_a_short_epoch():
    result = run_example(
        "imdb_lstm.py", "--data", DATA / "imdb.npz", "--epochs", "1", "--limit", "640"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert 0.3 <= accuracy_of(result.stdout) <= 1.0


@pytest.mark.slow
def test_mnist_main_job_reaches_keras_accuracy():
    result = run_example("mnist_mlp.py", "--data", DATA / "mnist.npz")
    assert result.returncode == 0, result.stderr[-3000:]
    assert accuracy_of(result.stdout) >= 0.975


@pytest.mark.slow
def test_imdb_fixed_reaches_keras_accuracy_and_stops_early():
    result = run_example("imdb_lstm.py", "--data", DATA / "imdb.npz", timeout=5400)
    assert result.returncode == 0, result.stderr[-3000:]
    assert accuracy_of(result.stdout) >= 0.82
    epochs_run = int(re.search(r"Epochs run: (\d+)", result.stdout).group(1))
    assert epochs_run < 10
