"""Recount with bootstrap intervals (results.uncertainty), timed on one core.

    .venv/bin/python bench/results_bench.py [--repeat 3] [--replicates 1000] [--json out.json]

Goal (issue 5): the full recount of a ranking consultation with 50 measures and
100,000 ballots, intervals included (1,000 replicates), in under 5 s on one core.
"Full recount" is what publishing and `recount` do: the count of all ballots, the
seed from the data and the bootstrap. Score, approval and points ballots, and a
wiki survey of 200,000 comparisons, are timed the same way. Ballots are built as
the API hands them over (Python lists and dicts); building them is not timed.
The ballots have a signal (measures differ in how much they are liked), so the
intervals separate some places and not others, as in a real consultation.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

# One core: BLAS (the replicate matrix product, choix's small solves) single-threaded.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.machine import machine  # noqa: E402
from results import uncertainty  # noqa: E402
from voting.tally.ranking import FlatRankings  # noqa: E402

GOAL_SECONDS = 5.0
MEASURES = 50
BALLOTS = 100_000
COMPARISONS = 200_000


def appeal(rng, m):
    """How much each measure is liked: spread enough that the top and bottom are clear."""
    return np.sort(rng.normal(0.0, 0.6, m))[::-1]


def strict_rankings(rng, options, n, liked):
    noise = rng.gumbel(size=(n, len(options)))
    order = np.argsort(-(liked + noise), axis=1)
    ids = np.asarray(options)[order].tolist()
    return [[[option] for option in row] for row in ids]


def top_five_rankings(rng, options, n, liked):
    """Top-5 with a tie in second place: what a long ballot usually gets."""
    noise = rng.gumbel(size=(n, len(options)))
    ids = np.asarray(options)[np.argsort(-(liked + noise), axis=1)[:, :5]].tolist()
    return [[[row[0]], [row[1], row[2]], *([x] for x in row[3:])] for row in ids]


def score_ballots(rng, options, n, liked):
    """Each ballot grades about 30 of the 50 measures, 0..5."""
    grades = np.clip(np.rint(2.5 + liked + rng.normal(0.0, 1.3, (n, len(options)))), 0, 5).astype(int)
    graded = rng.random((n, len(options))) < 0.6
    return [
        {option: grade for option, grade, shown in zip(options, row, mask, strict=True) if shown}
        for row, mask in zip(grades.tolist(), graded.tolist(), strict=True)
    ]


def approval_ballots(rng, options, n, liked):
    chance = 1.0 / (1.0 + np.exp(-(liked - 1.0)))
    approved = rng.random((n, len(options))) < chance
    ids = np.asarray(options)
    return [ids[row].tolist() for row in approved]


def points_ballots(rng, options, n, liked, budget=10):
    """10 points each, spread over a few measures."""
    weights = np.exp(liked) / np.exp(liked).sum()
    picks = rng.multinomial(budget, weights, size=n)
    return [{option: int(p) for option, p in zip(options, row, strict=True) if p} for row in picks.tolist()]


def comparisons(rng, options, n, liked):
    m = len(options)
    left = rng.integers(0, m, n)
    right = (left + rng.integers(1, m, n)) % m
    left_wins = rng.random(n) < 1.0 / (1.0 + np.exp(liked[right] - liked[left]))
    ids = np.asarray(options)
    winners = np.where(left_wins, ids[left], ids[right]).tolist()
    losers = np.where(left_wins, ids[right], ids[left]).tolist()
    return list(zip(winners, losers, strict=True))


def full_recount(method, settings, options, data, replicates, costs=None):
    """What publishing and a recount run: count, seed from the data, bootstrap."""
    count = uncertainty.point_count(method, settings, options, data, costs)
    return uncertainty.bootstrap(method, settings, options, data, costs, replicates=replicates, seed=None, count=count)


def timed(function, repeat):
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu, result


def describe(result):
    """How many places the primary count separates clearly (a sanity line, not timed)."""
    blocks = result["separation"]
    clear = sum(1 for block in blocks if block["clear"])
    return f"{clear} of {len(result['options'])} places clear, {len(blocks) - clear} unclear blocks"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case")
    parser.add_argument("--replicates", type=int, default=uncertainty.MIN_REPLICATES)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    rng = np.random.default_rng(2025)
    options = list(range(101, 101 + MEASURES))
    liked = appeal(rng, MEASURES)
    print("building inputs ...", flush=True)
    inputs = {
        "ranking": strict_rankings(rng, options, BALLOTS, liked),
        "ranking_top5": top_five_rankings(rng, options, BALLOTS, liked),
        "score": score_ballots(rng, options, BALLOTS, liked),
        "approval": approval_ballots(rng, options, BALLOTS, liked),
        "points": points_ballots(rng, options, BALLOTS, liked),
        "pairwise": comparisons(rng, options, COMPARISONS, liked),
    }
    strict = FlatRankings.from_ballots(inputs["ranking"])
    flat = (strict.groups_per_ballot, strict.group_sizes, strict.ids)
    costs = {option: 10_000 + 1_000 * (option % 7) for option in options}
    budget_settings = {"use_costs": True, "budget": 150_000}
    budget_ballots = [dict.fromkeys(ballot, 1) for ballot in inputs["points"]]
    r = args.replicates
    cases = [
        (
            f"ranking, {MEASURES} x {BALLOTS:,} strict: count + bootstrap",
            lambda: full_recount("ranking", {}, options, inputs["ranking"], r),
            GOAL_SECONDS,
        ),
        (
            # As results.ballotfile reads a published ranking file: arrays, no list per ballot
            # (a fresh object each run, so the profile it keeps is built again).
            f"ranking, {MEASURES} x {BALLOTS:,} strict, as arrays (FlatRankings)",
            lambda: full_recount("ranking", {}, options, FlatRankings(*flat), r),
            GOAL_SECONDS,
        ),
        (
            f"ranking, {MEASURES} x {BALLOTS:,} top-5 with ties",
            lambda: full_recount("ranking", {}, options, inputs["ranking_top5"], r),
            None,
        ),
        (
            f"score, {MEASURES} x {BALLOTS:,} (mean + majority judgment)",
            lambda: full_recount("score", {}, options, inputs["score"], r),
            None,
        ),
        (
            f"approval, {MEASURES} x {BALLOTS:,}",
            lambda: full_recount("approval", {}, options, inputs["approval"], r),
            None,
        ),
        (f"points, {MEASURES} x {BALLOTS:,}", lambda: full_recount("points", {}, options, inputs["points"], r), None),
        (
            f"budget, {MEASURES} x {BALLOTS:,} (selection shares)",
            lambda: full_recount("points", budget_settings, options, budget_ballots, r, costs),
            None,
        ),
        (
            f"pairwise, {MEASURES} options x {COMPARISONS:,} comparisons",
            lambda: full_recount("pairwise", {}, options, inputs["pairwise"], r),
            None,
        ),
    ]
    results = {"machine": machine(numpy=np.__version__), "replicates": r, "cases": []}
    print(json.dumps(results["machine"]))
    all_met = True
    for name, function, goal in cases:
        wall, cpu, result = timed(function, args.repeat)
        median, median_cpu = statistics.median(wall), statistics.median(cpu)
        verdict = ""
        if goal is not None:
            # CPU time is what one core spent, even when other processes share the machine.
            met = median_cpu < goal
            all_met &= met
            verdict = f"  goal < {goal:.0f} s (cpu): {'met' if met else 'MISSED'}"
        print(
            f"{name:58s} wall median {median:.3f} s (best {min(wall):.3f})  cpu median {median_cpu:.3f} s"
            f"  [{describe(result)}]{verdict}",
            flush=True,
        )
        results["cases"].append(
            {
                "case": name,
                "wall_seconds": wall,
                "cpu_seconds": cpu,
                "goal_seconds": goal,
                "separation": describe(result),
            }
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
