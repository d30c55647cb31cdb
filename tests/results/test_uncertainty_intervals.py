"""Bootstrap intervals: they hold the published figure, stay within the possible places,
narrow with more ballots and stay wide when the vote is close."""

import pytest

from results.uncertainty import bootstrap, point_count

from .uncertainty_profiles import OPTIONS, approvals_with_exact_counts, every_method

CASES = every_method()


# "settings" is pytest-django's fixture, hence "rules" for the consultation's settings.
@pytest.mark.parametrize(("method", "rules", "data", "costs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_every_interval_holds_the_point_estimate_and_ranks_stay_within_1_to_n(method, rules, data, costs):
    count = point_count(method, rules, OPTIONS, data, costs)
    result = bootstrap(method, rules, OPTIONS, data, costs, seed=11)

    assert result["replicates"] == 1000
    for name, part in result["counts"].items():
        assert set(part["options"]) == set(OPTIONS)
        for option, entry in part["options"].items():
            low, high = entry["rank_interval"]
            assert 1 <= low <= entry["rank"] <= high <= len(OPTIONS), (name, option)
            score_low, score_high = entry["score_interval"]
            assert score_low <= entry["score"] <= score_high, (name, option)
            assert 0.0 <= entry["first_share"] <= 1.0
        # The point ranking is the count's own.
        own = count[name] if name in count and isinstance(count[name], dict) else count
        assert part["ranking"] == own["ranking"]


def approval_share_width(n_ballots):
    """Width of the 95% interval of the share of ballots approving option 21 (30% approve)."""
    ballots = approvals_with_exact_counts([21, 22], [int(0.3 * n_ballots), int(0.6 * n_ballots)], n_ballots)
    entry = bootstrap("approval", {}, [21, 22], ballots, seed=2)["options"][21]
    low, high = entry["score_interval"]
    return (high - low) / n_ballots


def test_intervals_narrow_as_the_number_of_ballots_grows():
    small, large = approval_share_width(200), approval_share_width(20_000)

    # The width shrinks like 1/sqrt(N): a hundred times the ballots, a tenth of the width.
    assert 7 < small / large < 13


@pytest.mark.parametrize("n_ballots", [1_000, 20_000])
def test_the_spread_matches_sampling_theory_with_and_without_blocks(n_ballots):
    # With more than 2,000 ballots, blocks of ballots are resampled; the spread must stay
    # that of the ordinary bootstrap: 2 x 1.96 x sqrt(p (1 - p) / N) for a share p.
    expected = 2 * 1.96 * (0.3 * 0.7 / n_ballots) ** 0.5

    assert approval_share_width(n_ballots) == pytest.approx(expected, rel=0.15)


def test_a_near_tie_leaves_both_places_open():
    ballots = [[[21], [22]]] * 501 + [[[22], [21]]] * 499
    result = bootstrap("ranking", {}, [21, 22], ballots, seed=4)
    schulze = result["counts"]["schulze"]["options"]

    assert result["counts"]["schulze"]["ranking"] == [[21], [22]]
    assert schulze[21]["rank_interval"] == [1, 2]
    assert schulze[22]["rank_interval"] == [1, 2]
    assert 0.2 < schulze[21]["first_share"] < 0.8
    assert result["notes"]["de"] == ["Die Plätze 1 und 2 sind nicht klar voneinander getrennt."]
    assert result["notes"]["en"] == ["Places 1 and 2 are not clearly separated."]


def test_a_landslide_separates_the_places():
    ballots = [[[21], [22]]] * 900 + [[[22], [21]]] * 100
    result = bootstrap("ranking", {}, [21, 22], ballots, seed=4)

    for name in ("schulze", "borda", "copeland", "first_choices"):
        options = result["counts"][name]["options"]
        assert options[21]["rank_interval"] == [1, 1]
        assert options[22]["rank_interval"] == [2, 2]
        assert options[21]["first_share"] == 1.0
    borda = result["counts"]["borda"]["options"][21]
    assert borda["score"] == 900.0
    assert 870 <= borda["score_interval"][0] < 900 < borda["score_interval"][1] <= 930
