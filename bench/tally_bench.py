"""Counting times of voting.tally (issue 4, item 3).

    .venv/bin/python bench/tally_bench.py [--repeat 3] [--json out.json]

Goals on one core: Schulze on 50 measures x 100,000 ballots (margin matrix
included) under 1 s; Bradley-Terry on 200,000 comparisons under 1 s. Ballots are
built as the API hands them over (Python lists); building them is not timed.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

# One core: keep BLAS (used by choix for the small stationary-distribution solve) single-threaded.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.machine import machine  # noqa: E402
from voting.tally import bradley_terry, count_ranking, schulze  # noqa: E402
from voting.tally.ranking import margin_matrix  # noqa: E402

GOAL_SECONDS = 1.0


def strict_ballots(rng, options, n):
    order = np.argsort(rng.random((n, len(options))), axis=1)
    ids = np.asarray(options)[order].tolist()
    return [[[option] for option in row] for row in ids]


def partial_ballots(rng, options, n, ranked=5):
    """Top-5 rankings with a tie in second place: what a long ballot usually gets."""
    order = np.argsort(rng.random((n, len(options))), axis=1)[:, :ranked]
    ids = np.asarray(options)[order].tolist()
    return [[[row[0]], [row[1], row[2]], *([x] for x in row[3:])] for row in ids]


def comparisons(rng, options, n):
    m = len(options)
    theta = rng.normal(0.0, 1.0, m)
    left = rng.integers(0, m, n)
    right = (left + rng.integers(1, m, n)) % m
    left_wins = rng.random(n) < 1.0 / (1.0 + np.exp(theta[right] - theta[left]))
    ids = np.asarray(options)
    winners = np.where(left_wins, ids[left], ids[right]).tolist()
    losers = np.where(left_wins, ids[right], ids[left]).tolist()
    return list(zip(winners, losers, strict=True))


def timed(function, repeat):
    """Wall-clock and CPU seconds of each run (CPU time is what one core spent,
    even when other processes share the machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    rng = np.random.default_rng(2024)
    options = list(range(101, 151))  # 50 measure ids
    print("building inputs ...", flush=True)
    strict = strict_ballots(rng, options, 100_000)
    partial = partial_ballots(rng, options, 100_000)
    pairs_50 = comparisons(rng, options, 200_000)
    options_200 = list(range(1001, 1201))
    pairs_200 = comparisons(rng, options_200, 200_000)

    cases = [
        ("margin matrix, 50 x 100,000 strict ballots", lambda: margin_matrix(options, strict), None),
        ("Schulze, 50 x 100,000 strict ballots", lambda: schulze(options, strict), GOAL_SECONDS),
        ("all ranking counts, 50 x 100,000 strict", lambda: count_ranking(options, strict), None),
        ("all ranking counts, 50 x 100,000 top-5 with ties", lambda: count_ranking(options, partial), None),
        ("Bradley-Terry, 50 options, 200,000 comparisons", lambda: bradley_terry(options, pairs_50), GOAL_SECONDS),
        ("Bradley-Terry, 200 options, 200,000 comparisons", lambda: bradley_terry(options_200, pairs_200), None),
    ]
    results = {"machine": machine(numpy=np.__version__), "cases": []}
    print(json.dumps(results["machine"]))
    all_met = True
    for name, function, goal in cases:
        wall, cpu = timed(function, args.repeat)
        median, median_cpu = statistics.median(wall), statistics.median(cpu)
        verdict = ""
        if goal is not None:
            met = median < goal
            all_met &= met
            verdict = f"  goal < {goal:.0f} s: {'met' if met else 'MISSED'}"
        print(f"{name:50s} wall median {median:.3f} s (best {min(wall):.3f})  cpu median {median_cpu:.3f} s{verdict}")
        results["cases"].append({"case": name, "wall_seconds": wall, "cpu_seconds": cpu, "goal_seconds": goal})
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
