"""Score ballots: mean grades and majority judgment with its tie-break."""

import pytest

from voting.tally import count_score, majority_judgment, score_mean

POOR, FAIR, GOOD, EXCELLENT = 1, 2, 3, 4
MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE = 901, 902, 903, 904
CITIES = [MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE]


def grades_by_preference(order):
    """Tennessee example as graded on electowiki/Wikipedia: each city's voters give
    Excellent, Good, Fair, Poor down their order of preference."""
    return dict(zip(order, [EXCELLENT, GOOD, FAIR, POOR], strict=True))


TENNESSEE = (
    [grades_by_preference([MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE])] * 42
    + [grades_by_preference([NASHVILLE, CHATTANOOGA, KNOXVILLE, MEMPHIS])] * 26
    + [grades_by_preference([CHATTANOOGA, KNOXVILLE, NASHVILLE, MEMPHIS])] * 15
    + [grades_by_preference([KNOXVILLE, CHATTANOOGA, NASHVILLE, MEMPHIS])] * 17
)


def test_majority_judgment_tennessee_elects_nashville_through_the_tie_break():
    result = majority_judgment(CITIES, TENNESSEE)

    # Nashville and Chattanooga both have the majority grade Good; Nashville keeps
    # Good longer when median grades are removed (26 Excellent against 15).
    assert result["scores"] == {MEMPHIS: POOR, NASHVILLE: GOOD, CHATTANOOGA: GOOD, KNOXVILLE: FAIR}
    assert result["ranking"] == [[NASHVILLE], [CHATTANOOGA], [KNOXVILLE], [MEMPHIS]]
    assert result["grades"][NASHVILLE] == [0, 0, 32, 42, 26, 0]
    assert (result["above"][NASHVILLE], result["below"][NASHVILLE]) == (26, 32)


def test_majority_judgment_tie_break_prefers_consistent_grades_over_spread_ones():
    # Both have median 3. Removing one 3 leaves [3, 3] (median 3) against [2, 4]
    # (lower median 2), so the consistent measure wins.
    ballots = [{1: 3, 2: 2}, {1: 3, 2: 3}, {1: 3, 2: 4}]
    result = majority_judgment([1, 2], ballots)

    assert result["scores"] == {1: 3, 2: 3}
    assert result["ranking"] == [[1], [2]]


def test_majority_judgment_uses_the_lower_median_for_an_even_number_of_grades():
    result = majority_judgment([1], [{1: 1}, {1: 5}])

    assert result["scores"] == {1: 1}


def test_majority_judgment_keeps_identical_grades_tied():
    ballots = [{1: 4, 2: 2}, {1: 2, 2: 4}]
    assert majority_judgment([1, 2], ballots)["ranking"] == [[1, 2]]


def test_majority_judgment_counts_ungraded_as_the_lowest_grade():
    # Only one of three ballots grades measure 2: its majority grade is 0, not 5.
    ballots = [{1: 3, 2: 5}, {1: 3}, {1: 2}]
    result = majority_judgment([1, 2], ballots)

    assert result["scores"] == {1: 3, 2: 0}
    assert result["graded"] == {1: 3, 2: 1}
    assert result["grades"][2] == [2, 0, 0, 0, 0, 1]
    assert result["ranking"] == [[1], [2]]


def test_mean_ignores_ungraded_and_reports_how_many_grades_it_rests_on():
    ballots = [{1: 5, 2: 3}, {1: 4}, {2: 1, 3: 0}]
    result = score_mean([1, 2, 3, 4], ballots)

    assert result["scores"] == {1: 4.5, 2: 2.0, 3: 0.0, 4: None}
    assert result["counts"] == {1: 2, 2: 2, 3: 1, 4: 0}
    assert result["ranking"] == [[1], [2], [3], [4]]


def test_count_score_gives_both_counts():
    result = count_score(CITIES, TENNESSEE)

    assert result["mean"]["scores"][MEMPHIS] == pytest.approx((42 * 4 + 58 * 1) / 100)
    assert result["majority_judgment"]["ranking"][0] == [NASHVILLE]


def test_grades_out_of_range_are_refused():
    with pytest.raises(ValueError, match="0 to 5"):
        score_mean([1], [{1: 6}])
