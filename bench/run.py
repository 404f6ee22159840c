"""Runs the issue-5 benchmark: lamina vs hand-written PyTorch vs Keras 3-torch.

    python -m bench.run            # full run (about 10-15 minutes on 2 cores)
    python -m bench.run --quick    # small data, 2 repeats: a smoke test
    python -m bench.run --workloads W1,O --repeats 5

Every (workload, contender, repeat) runs in its own fresh Python process with
one thread (`torch.set_num_threads(1)`, `OMP_NUM_THREADS=1`), so that peak
memory is the contender's own and nothing is shared between contenders. The
contenders alternate inside each repeat (lamina, torch, keras, then reversed
in the next repeat), and the workloads are interleaved, so a noisy neighbour
hits all contenders alike. For each run the parent records the other
processes' CPU use (machine busy time from /proc/stat minus the child's own
CPU time, in cores) and /proc/loadavg.

It prints a markdown table and writes `bench/results/<timestamp>.json`.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
WORKLOADS = ("W1", "W2", "W2b", "W3", "P", "O")
CONTENDERS = {"O": ("lamina", "lamina_jit", "torch", "keras")}
DEFAULT_CONTENDERS = ("lamina", "torch", "keras")
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "KERAS_BACKEND": "torch",
    "PYTHONWARNINGS": "ignore",
    "TF_CPP_MIN_LOG_LEVEL": "3",
}


# ------------------------------------------------------------------ worker
def _pin_one_thread() -> None:
    import torch

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set by an import; harmless
        pass


def worker(workload: str, contender: str, scale: float, epochs: int) -> dict[str, Any]:
    """Runs one contender on one workload in this process; returns its numbers."""
    import resource

    _pin_one_thread()
    from bench import workloads

    start = time.perf_counter()
    try:
        runner = workloads.build(workload, contender, scale)
    except workloads.Unavailable as err:
        return {"unavailable": str(err)}
    setup_s = time.perf_counter() - start
    rss_before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    epoch_times = runner.run(epochs)
    return {
        "epoch_s": epoch_times,
        "num_samples": runner.num_samples,
        "steps_per_epoch": runner.steps_per_epoch,
        "setup_s": setup_s,
        "rss_before_run_mb": rss_before_kb / 1024,
        "rss_peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def matmul_worker() -> dict[str, Any]:
    """Single-thread float32 matmul rate: square 1024 and the W1 shapes."""
    import torch

    _pin_one_thread()
    shapes = {
        "square_1024": (1024, 1024, 1024),
        "w1_forward_128x784x512": (128, 784, 512),
        "w1_weight_grad_784x128x512": (784, 128, 512),
    }
    rates = {}
    for name, (m, k, n) in shapes.items():
        a, b = torch.randn(m, k), torch.randn(k, n)
        for _ in range(3):
            a @ b
        samples = []
        for _ in range(7):
            repeats = max(1, int(2e9 / (2 * m * k * n)))
            start = time.perf_counter()
            for _ in range(repeats):
                a @ b
            samples.append(
                2 * m * k * n * repeats / (time.perf_counter() - start) / 1e9
            )
        rates[name] = max(samples)
    return {"gflops": rates, "peak_gflops": max(rates.values())}


# ------------------------------------------------------------------ parent
def _cpu_busy_s() -> float:
    """Seconds of CPU time (all cores) the machine spent busy since boot."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _loadavg() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run_child(args: list[str], timeout: float = 900) -> dict[str, Any]:
    """Runs `python -m bench.run <args>` and measures it from outside."""
    env = {**os.environ, **SINGLE_THREAD_ENV}
    env["PYTHONPATH"] = f"{REPO_DIR}{os.pathsep}{env.get('PYTHONPATH', '')}"
    with tempfile.TemporaryFile() as stderr:
        busy_before, load_before = _cpu_busy_s(), _loadavg()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.run", *args],
            cwd=REPO_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
        stdout = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        busy = _cpu_busy_s() - busy_before
        stderr.seek(0)
        errors = stderr.read().decode(errors="replace")
    child_cpu = usage.ru_utime + usage.ru_stime
    measured = {
        "wall_s": wall,
        "child_cpu_s": child_cpu,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "other_cores_busy": max(0.0, (busy - child_cpu) / wall),
        "loadavg_before": load_before,
        "loadavg_after": _loadavg(),
    }
    lines = stdout.decode().strip().splitlines()
    if proc.returncode != 0 or not lines:
        measured["error"] = errors.strip().splitlines()[-5:] or [
            f"exit {proc.returncode}"
        ]
        return measured
    return {**json.loads(lines[-1]), **measured}


def import_times(repeats: int) -> dict[str, Any]:
    """Wall time of `import torch`, `import lamina`, `import keras`, alternated."""
    statements = {
        "python": "pass",
        "torch": "import torch",
        "lamina": "import lamina",
        "keras": "import keras",
    }
    env = {**os.environ, **SINGLE_THREAD_ENV}
    samples: dict[str, list[float]] = {name: [] for name in statements}
    for _ in range(repeats):
        for name, statement in statements.items():
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-c", statement],
                cwd=REPO_DIR,
                env=env,
                capture_output=True,
            )
            if result.returncode == 0:
                samples[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(s) for name, s in samples.items() if s}
    return {
        "median_s": medians,
        "samples_s": samples,
        "lamina_minus_torch_s": medians["lamina"] - medians["torch"],
    }


def _summarise(runs: list[dict[str, Any]]) -> dict[str, Any] | None:
    good = [r for r in runs if "epoch_s" in r and len(r["epoch_s"]) >= 2]
    if not good:
        reason = next((r.get("unavailable") or r.get("error") for r in runs), None)
        return {"unavailable": reason}
    throughput = [r["num_samples"] / statistics.median(r["epoch_s"][1:]) for r in good]
    steady = [statistics.median(r["epoch_s"][1:]) for r in good]
    first = [r["epoch_s"][0] for r in good]
    step_us = [
        1e6 * s / r["steps_per_epoch"] for s, r in zip(steady, good, strict=True)
    ]
    return {
        "samples_per_s": statistics.median(throughput),
        "samples_per_s_all": throughput,
        "step_us": statistics.median(step_us),
        "first_epoch_s": statistics.median(first),
        "steady_epoch_s": statistics.median(steady),
        "first_over_steady": statistics.median(
            [f / s for f, s in zip(first, steady, strict=True)]
        ),
        "peak_rss_mb": statistics.median([r["peak_rss_mb"] for r in good]),
        "rss_before_run_mb": statistics.median([r["rss_before_run_mb"] for r in good]),
        "other_cores_busy": statistics.median([r["other_cores_busy"] for r in good]),
        "repeats": len(good),
    }


def _paired_ratios(a: list[dict], b: list[dict]) -> list[float]:
    """lamina/other throughput per repeat (runs of one repeat ran back to back)."""
    ratios = []
    for run_a, run_b in zip(a, b, strict=False):
        if "epoch_s" in run_a and "epoch_s" in run_b:
            rate_a = run_a["num_samples"] / statistics.median(run_a["epoch_s"][1:])
            rate_b = run_b["num_samples"] / statistics.median(run_b["epoch_s"][1:])
            ratios.append(rate_a / rate_b)
    return ratios


def _ratio_summary(ratios: list[float]) -> dict[str, float] | None:
    if not ratios:
        return None
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}


def _versions() -> dict[str, str]:
    import numpy
    import torch

    versions = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": numpy.__version__,
    }
    try:
        result = subprocess.run(
            [sys.executable, "-c", "import keras; print(keras.__version__)"],
            env={**os.environ, **SINGLE_THREAD_ENV},
            capture_output=True,
            text=True,
        )
        versions["keras"] = result.stdout.strip() or "not installed"
    except OSError:
        versions["keras"] = "not installed"
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "lamina"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
    ).stdout.strip()
    versions["lamina"] = f"{head}{' + uncommitted changes in lamina/' if dirty else ''}"
    return versions


def _cpu_model() -> str:
    result = subprocess.run(["lscpu"], capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if line.startswith("Model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, 2 repeats")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=None, help="incl. the first")
    parser.add_argument("--scale", type=float, default=None, help="data size factor")
    parser.add_argument("--no-keras", action="store_true")
    parser.add_argument("--out", default=None, help="JSON path")
    parser.add_argument("--worker", nargs=2, metavar=("WORKLOAD", "CONTENDER"))
    parser.add_argument("--matmul", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    scale = args.scale if args.scale is not None else (0.15 if args.quick else 1.0)
    epochs = args.epochs or 3
    if args.matmul:
        print(json.dumps(matmul_worker()))
        return
    if args.worker:
        print(json.dumps(worker(*args.worker, scale, epochs)))
        return
    repeats = args.repeats or (2 if args.quick else 3)
    workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    report = run_benchmark(workloads, repeats, scale, epochs, not args.no_keras)
    out = Path(args.out) if args.out else _default_out(args.quick)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=1))
    os.replace(tmp, out)
    from bench.report import markdown

    print(markdown(report))
    print(
        f"\nWrote {out.relative_to(REPO_DIR) if out.is_relative_to(REPO_DIR) else out}"
    )


def _default_out(quick: bool) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return BENCH_DIR / "results" / f"{stamp}{'-quick' if quick else ''}.json"


def run_benchmark(
    workloads: list[str], repeats: int, scale: float, epochs: int, with_keras: bool
) -> dict[str, Any]:
    """Runs everything; returns the report (raw runs and summaries)."""
    started = time.time()
    report: dict[str, Any] = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpu": _cpu_model(), "cores": os.cpu_count()},
        "versions": _versions(),
        "settings": {
            "repeats": repeats,
            "scale": scale,
            "epochs": epochs,
            "threads": 1,
        },
        "loadavg_start": _loadavg(),
    }
    print("measuring matmul rate and import times ...", file=sys.stderr)
    report["matmul"] = run_child(["--matmul"])
    report["imports"] = import_times(5 if scale >= 1 else 3)
    raw: dict[str, dict[str, list]] = {w: {} for w in workloads}
    for repeat in range(repeats):
        for workload in workloads:
            contenders = [
                c
                for c in CONTENDERS.get(workload, DEFAULT_CONTENDERS)
                if with_keras or c != "keras"
            ]
            if repeat % 2:
                contenders.reverse()
            for contender in contenders:
                previous = raw[workload].get(contender, [])
                if previous and "unavailable" in previous[0]:
                    continue
                child_args = ["--worker", workload, contender, "--scale", str(scale)]
                result = run_child([*child_args, "--epochs", str(epochs)])
                raw[workload].setdefault(contender, []).append(result)
                _log_run(repeat, workload, contender, result)
    report["raw"] = raw
    report["summary"] = _summaries(raw)
    report["floors"] = _floors(report)
    report["loadavg_end"] = _loadavg()
    report["total_wall_s"] = time.time() - started
    return report


def _log_run(repeat: int, workload: str, contender: str, result: dict) -> None:
    if "epoch_s" in result:
        rate = result["num_samples"] / statistics.median(result["epoch_s"][1:])
        detail = (
            f"{rate:,.0f} samples/s, others busy {result['other_cores_busy']:.2f} cores"
        )
    else:
        detail = str(result.get("unavailable") or result.get("error"))
    print(f"[{repeat}] {workload:4s} {contender:11s} {detail}", file=sys.stderr)


def _summaries(raw: dict[str, dict[str, list]]) -> dict[str, Any]:
    summary = {}
    for workload, by_contender in raw.items():
        entry = {name: _summarise(runs) for name, runs in by_contender.items()}
        lamina_runs = by_contender.get("lamina", [])
        for other in ("torch", "keras"):
            ratios = _paired_ratios(lamina_runs, by_contender.get(other, []))
            entry[f"lamina_over_{other}"] = _ratio_summary(ratios)
        jit_runs = by_contender.get("lamina_jit", [])
        if jit_runs:
            entry["lamina_jit_over_torch"] = _ratio_summary(
                _paired_ratios(jit_runs, by_contender.get("torch", []))
            )
        summary[workload] = entry
    return summary


def _floors(report: dict[str, Any]) -> dict[str, Any]:
    from bench.workloads import SPECS

    gflops = report["matmul"].get("peak_gflops")
    floors = {}
    for name, spec in SPECS.items():
        if spec.flops_per_sample is None or not gflops:
            continue
        floor_rate = gflops * 1e9 / spec.flops_per_sample
        entry = {
            "mflop_per_sample": spec.flops_per_sample / 1e6,
            "floor_samples_per_s": floor_rate,
            "floor_epoch_s_60k": 60_000 / floor_rate,
        }
        for contender, stats in report["summary"].get(name, {}).items():
            if isinstance(stats, dict) and "samples_per_s" in stats:
                entry[f"{contender}_fraction_of_floor"] = (
                    stats["samples_per_s"] / floor_rate
                )
        floors[name] = entry
    return floors


if __name__ == "__main__":
    main()
