"""The published intervals can be recomputed from the open data: same data and seed,
same figures, bit for bit."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from results.uncertainty import bootstrap, seed_for

from .uncertainty_profiles import OPTIONS, approvals_with_exact_counts, rankings, scores

ROOT = Path(__file__).resolve().parents[2]
LIKED = [1.0, 0.8, 0.5, 0.5, 0.1, -0.5]


def as_text(result):
    return json.dumps(result, sort_keys=True, default=str)


def test_same_data_and_seed_give_the_same_result_twice():
    ballots = rankings(OPTIONS, 800, LIKED)

    first = bootstrap("ranking", {}, OPTIONS, ballots, seed=17)
    second = bootstrap("ranking", {}, OPTIONS, ballots, seed=17)

    assert first == second
    assert as_text(first) == as_text(second)


def test_another_seed_draws_other_replicates():
    ballots = scores(OPTIONS, 300)

    one = bootstrap("score", {}, OPTIONS, ballots, seed=1)
    other = bootstrap("score", {}, OPTIONS, ballots, seed=2)

    def intervals(result):
        return [entry["score_interval"] for entry in result["counts"]["mean"]["options"].values()]

    assert intervals(one) != intervals(other)
    assert one["seed"] == 1 and other["seed"] == 2


def test_the_order_of_the_ballots_does_not_matter():
    # The database hands ballots over in no particular order; the bundle sorts them.
    ballots = rankings(OPTIONS, 3000, LIKED)  # more than 2000: the block resampling path
    shuffled = [ballots[i] for i in np.random.default_rng(0).permutation(len(ballots))]
    # Nor does the order inside a tied group.
    ballots.append([[OPTIONS[0], OPTIONS[1]], [OPTIONS[2]]])
    shuffled.append([[OPTIONS[1], OPTIONS[0]], [OPTIONS[2]]])

    assert bootstrap("ranking", {}, OPTIONS, ballots, seed=5) == bootstrap("ranking", {}, OPTIONS, shuffled, seed=5)
    assert seed_for("ranking", OPTIONS, ballots) == seed_for("ranking", OPTIONS, shuffled)


def test_the_seed_is_a_function_of_the_data():
    ballots = approvals_with_exact_counts(OPTIONS, [50, 40, 30, 20, 10, 5], 100)
    changed = [list(ballot) for ballot in ballots]
    changed[0] = [OPTIONS[5]] if changed[0] != [OPTIONS[5]] else [OPTIONS[4]]

    seed = seed_for("approval", OPTIONS, ballots)

    assert seed == seed_for("approval", OPTIONS, list(reversed(ballots)))
    assert seed != seed_for("approval", OPTIONS, changed)
    assert seed != seed_for("score", OPTIONS, [dict.fromkeys(ballot, 1) for ballot in ballots])
    assert 0 <= seed < 2**64
    # seed=None derives the same seed without a second pass over the ballots.
    assert bootstrap("approval", {}, OPTIONS, ballots, seed=None) == bootstrap(
        "approval", {}, OPTIONS, ballots, seed=seed
    )


SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from results.uncertainty import bootstrap
from tests.results.uncertainty_profiles import OPTIONS, rankings
print(json.dumps(bootstrap("ranking", {{}}, OPTIONS, rankings(OPTIONS, 2500, {liked!r}), seed=None), sort_keys=True))
"""


def test_another_process_with_other_hash_seeds_gets_the_same_bytes():
    here = json.dumps(bootstrap("ranking", {}, OPTIONS, rankings(OPTIONS, 2500, LIKED), seed=None), sort_keys=True)
    outputs = set()
    for hash_seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT.format(root=str(ROOT), liked=LIKED)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={"PYTHONHASHSEED": hash_seed, "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": hash_seed},
        )
        outputs.add(done.stdout.strip())

    assert outputs == {here}


def test_floats_are_rounded_to_six_decimals():
    result = bootstrap("score", {}, OPTIONS, scores(OPTIONS, 300), seed=3)

    for entry in result["counts"]["mean"]["options"].values():
        for value in [entry["score"], *entry["score_interval"], entry["first_share"]]:
            assert value == round(value, 6)
