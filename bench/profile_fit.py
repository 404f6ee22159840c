"""Per-step profile of lamina's `fit` on one workload (cProfile, 1 thread).

    python -m bench.profile_fit O            # top functions, µs per training step
    python -m bench.profile_fit W1 --scale 0.2 --sort tottime --top 40

The first epoch (building, first-call work) runs outside the profile; the
profiled epochs are steady ones. Times are divided by the number of steps, so
they read as "µs each step spends here" (cProfile roughly doubles the cost of
Python-heavy code, so compare rows with each other, not with bench.run).
"""

import argparse
import cProfile
import pstats

from bench.run import _pin_one_thread


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workload")
    parser.add_argument("--contender", default="lamina")
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    _pin_one_thread()
    from bench import workloads

    runner = workloads.build(args.workload, args.contender, args.scale)
    runner.run(1)
    profiler = cProfile.Profile()
    profiler.enable()
    times = runner.run(args.epochs)
    profiler.disable()
    steps = runner.steps_per_epoch * args.epochs
    print(f"{args.workload} {args.contender}: {steps} steps, epochs {times}")
    print(f"wall per step under profile: {1e6 * sum(times) / steps:,.0f} µs")
    stats = pstats.Stats(profiler)
    rows = sorted(
        stats.stats.items(),
        key=lambda kv: kv[1][3] if args.sort == "cumulative" else kv[1][2],
        reverse=True,
    )
    print(f"{'cum µs/step':>12} {'self µs/step':>12} {'calls/step':>10}  function")
    for (path, line, name), (_, calls, self_s, cum_s, _) in rows[: args.top]:
        where = path.replace(str(_repo()), "").lstrip("/")
        print(
            f"{1e6 * cum_s / steps:12.1f} {1e6 * self_s / steps:12.1f} "
            f"{calls / steps:10.1f}  {where}:{line}({name})"
        )


def _repo():
    from bench.run import REPO_DIR

    return REPO_DIR


if __name__ == "__main__":
    main()
