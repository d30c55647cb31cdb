"""Each replicate is counted with the same rule as the published count: the vectorised
counts, applied to all ballots once, give exactly the tally's places and scores."""

import numpy as np
import pytest

from results import uncertainty
from voting import tally

from .uncertainty_profiles import comparisons, rankings_with_ties


def recount_all_ballots(method, options, data):
    """The bootstrap's own count of one 'replicate' that holds every ballot once."""
    units = uncertainty._units(method, options, data)
    n_units = int(units.counts.sum())
    layout = uncertainty._group_layout(units, np.random.default_rng(0), min(n_units, 2000))
    sums = uncertainty._group_sums(method, units, len(options), layout)
    everything = np.rint(sums.sum(axis=0))[None, :].astype(np.int64)
    count = tally.count(method, options, data)
    parts = uncertainty._point_parts(method, count)
    return parts, uncertainty._statistics(method, units, everything, parts, options)


def assert_same_as_tally(method, options, data):
    parts, replicated = recount_all_ballots(method, options, data)
    for name, (scores, ranks) in replicated.items():
        places = uncertainty._places(parts[name]["ranking"])
        assert ranks[0].tolist() == [places[o] for o in options], (name, data)
        expected = [np.nan if parts[name]["scores"][o] is None else parts[name]["scores"][o] for o in options]
        # Bradley–Terry is refitted from another start: equal up to choix's tolerance.
        tolerance = 1e-5 if method == "pairwise" else 0
        np.testing.assert_allclose(scores[0], expected, rtol=0, atol=tolerance, err_msg=f"{name}: {data}")


@pytest.mark.parametrize("seed", range(40))
def test_ranking_counts_agree_with_the_tally_on_ties_partial_ballots_and_unknown_ids(seed):
    rng = np.random.default_rng(seed)
    options = list(range(31, 31 + int(rng.integers(1, 7))))
    ballots = rankings_with_ties(options, int(rng.integers(1, 30)), seed=seed)
    if seed % 5 == 0:
        ballots.append([])  # no groups at all
    assert_same_as_tally("ranking", options, ballots)


@pytest.mark.parametrize("seed", range(60))
def test_mean_and_majority_judgment_agree_with_the_tally_tie_breaks_included(seed):
    # Few ballots and few grades make many majority-judgment tie-breaks, at odd and even N.
    rng = np.random.default_rng(seed)
    options = list(range(41, 41 + int(rng.integers(2, 6))))
    top = int(rng.integers(1, 6))
    ballots = [
        {o: int(rng.integers(0, top + 1)) for o in options if rng.random() < 0.8} for _ in range(rng.integers(1, 14))
    ]
    assert_same_as_tally("score", options, ballots)


@pytest.mark.parametrize("seed", range(10))
def test_approval_and_points_agree_with_the_tally(seed):
    rng = np.random.default_rng(seed)
    options = [51, 52, 53, 54]
    approvals = [[o for o in options + [99] if rng.random() < 0.4] for _ in range(25)]
    assert_same_as_tally("approval", options, approvals)
    allocations = [{o: int(rng.integers(0, 4)) for o in options if rng.random() < 0.6} for _ in range(25)]
    assert_same_as_tally("points", options, allocations)


@pytest.mark.parametrize("seed", range(5))
def test_bradley_terry_agrees_with_the_tally(seed):
    options = [61, 62, 63, 64, 65]
    assert_same_as_tally("pairwise", options, comparisons(options, 200, seed=seed) + [(61, 61), (61, 99)])


def test_the_schulze_example_with_45_voters_is_recounted_the_same():
    from tests.voting.test_tally_ranking_examples import SCHULZE_45

    assert_same_as_tally("ranking", [11, 12, 13, 14, 15], SCHULZE_45)
