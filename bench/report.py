"""Turns a results JSON (from `bench.run`) into the markdown tables.

python -m bench.report bench/results/<file>.json
"""

import json
import sys
from pathlib import Path
from typing import Any

COLUMNS = (("lamina", "lamina"), ("torch", "PyTorch loop"), ("keras", "Keras 3-torch"))


def _rate(stats: Any) -> str:
    if not isinstance(stats, dict):
        return "–"
    if "samples_per_s" not in stats:
        return "n/a"
    return f"{stats['samples_per_s']:,.0f}"


def _ratio(ratio: Any) -> str:
    if not ratio:
        return "–"
    return f"{ratio['median']:.2f}x ({ratio['min']:.2f}–{ratio['max']:.2f})"


def _field(stats: Any, key: str, fmt: str) -> str:
    if not isinstance(stats, dict) or key not in stats:
        return "–"
    return format(stats[key], fmt)


def markdown(report: dict[str, Any]) -> str:
    """The throughput, per-step/start-up/memory and floor tables."""
    summary = report["summary"]
    lines = [
        "| workload | lamina | PyTorch loop | Keras 3-torch | lamina / PyTorch "
        "(min–max) | lamina / Keras |",
        "|---|---|---|---|---|---|",
    ]
    for workload, entry in summary.items():
        cells = [_rate(entry.get(name)) for name, _ in COLUMNS]
        lines.append(
            f"| {workload} | {' | '.join(cells)} | "
            f"{_ratio(entry.get('lamina_over_torch'))} | "
            f"{_ratio(entry.get('lamina_over_keras'))} |"
        )
        if "lamina_jit" in entry:
            lines.append(
                f"| {workload} jit_compile=True | {_rate(entry['lamina_jit'])} | | | "
                f"{_ratio(entry.get('lamina_jit_over_torch'))} | |"
            )
    lines += [
        "",
        "Samples/s, steady state (median over repeats of the median non-first epoch;"
        " `P`: predict passes). n/a: the contender cannot build the model yet.",
        "",
        "| workload | contender | µs/step | first epoch s | steady epoch s | "
        "first/steady | peak RSS MB | RSS before fit MB | others' load (cores) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for workload, entry in summary.items():
        for name, stats in entry.items():
            if not isinstance(stats, dict) or "samples_per_s" not in stats:
                continue
            lines.append(
                f"| {workload} | {name} | {_field(stats, 'step_us', ',.0f')} | "
                f"{_field(stats, 'first_epoch_s', '.2f')} | "
                f"{_field(stats, 'steady_epoch_s', '.2f')} | "
                f"{_field(stats, 'first_over_steady', '.2f')} | "
                f"{_field(stats, 'peak_rss_mb', ',.0f')} | "
                f"{_field(stats, 'rss_before_run_mb', ',.0f')} | "
                f"{_field(stats, 'other_cores_busy', '.2f')} |"
            )
    lines += ["", *_floor_lines(report), "", *_import_lines(report)]
    return "\n".join(lines)


def _floor_lines(report: dict[str, Any]) -> list[str]:
    matmul = report.get("matmul", {})
    if "gflops" not in matmul:
        return ["Matmul rate: not measured."]
    rates = ", ".join(f"{k} {v:.1f}" for k, v in matmul["gflops"].items())
    lines = [
        f"Single-thread float32 matmul GFLOP/s: {rates} (floor uses the peak,"
        f" {matmul['peak_gflops']:.1f}).",
        "",
        "| workload | MFLOP / training sample | floor samples/s | floor s / 60k epoch "
        "| lamina | PyTorch | Keras |",
        "|---|---|---|---|---|---|---|",
    ]
    for workload, floor in report.get("floors", {}).items():
        fractions = [
            floor.get(f"{name}_fraction_of_floor")
            for name in ("lamina", "torch", "keras")
        ]
        cells = " | ".join("–" if f is None else f"{100 * f:.0f}%" for f in fractions)
        lines.append(
            f"| {workload} | {floor['mflop_per_sample']:.2f} | "
            f"{floor['floor_samples_per_s']:,.0f} | {floor['floor_epoch_s_60k']:.2f} | "
            f"{cells} |"
        )
    return lines


def _import_lines(report: dict[str, Any]) -> list[str]:
    imports = report.get("imports", {}).get("median_s", {})
    if not imports:
        return []
    parts = ", ".join(f"`{k}` {v:.2f} s" for k, v in imports.items())
    added = report["imports"]["lamina_minus_torch_s"]
    return [
        f"Import wall time (fresh interpreter, median): {parts}; `import lamina`"
        f" adds {added:.2f} s to `import torch`."
    ]


if __name__ == "__main__":
    print(markdown(json.loads(Path(sys.argv[1]).read_text())))
