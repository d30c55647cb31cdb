"""Approval and points counts, and the participatory-budget selection."""

import json
from decimal import Decimal

import pytest

from voting.tally import count_approval, count_points


def test_approval_counts_shares_and_ranking():
    ballots = [[1, 2], [2], [2, 3], []]
    result = count_approval([1, 2, 3, 4], ballots)

    assert result["scores"] == {1: 1, 2: 3, 3: 1, 4: 0}
    assert result["shares"] == {1: 0.25, 2: 0.75, 3: 0.25, 4: 0.0}
    assert result["ranking"] == [[2], [1, 3], [4]]
    assert json.loads(json.dumps(result))["scores"] == {"1": 1, "2": 3, "3": 1, "4": 0}


def test_approval_counts_a_measure_named_twice_on_one_ballot_once():
    assert count_approval([1], [[1, 1]])["scores"] == {1: 1}


def test_points_totals_shares_and_supporters():
    ballots = [{1: 60, 2: 40}, {2: 100}, {3: 50, 1: 50}]
    result = count_points([1, 2, 3, 4], ballots)

    assert result["scores"] == {1: 110, 2: 140, 3: 50, 4: 0}
    assert result["shares"][2] == pytest.approx(140 / 300)
    assert result["supporters"] == {1: 2, 2: 2, 3: 1, 4: 0}
    assert result["ranking"] == [[2], [1], [3], [4]]
    assert "selected" not in result


def test_budget_selection_walks_down_the_ranking_and_skips_what_no_longer_fits():
    ballots = [{1: 30, 2: 50, 3: 20}, {1: 40, 2: 40, 3: 10, 5: 10}]
    costs = {1: 50_000, 2: 80_000, 3: 20_000, 4: 10_000, 5: 30_000}
    result = count_points([1, 2, 3, 4, 5], ballots, costs=costs, budget=100_000)

    # Ranking 2 (90), 1 (70), 3 (30), 5 (10), 4 (0): 2 fits (20,000 left), 1 does
    # not, 3 fits exactly, 5 no longer fits, 4 has no points.
    assert result["selected"] == [2, 3]
    assert result["spent"] == 100_000
    assert result["leftover"] == 0


def test_budget_selection_takes_a_cheaper_measure_further_down():
    ballots = [{1: 10, 2: 5, 3: 1}]
    costs = {1: 70, 2: 50, 3: 20}
    result = count_points([1, 2, 3], ballots, costs=costs, budget=100)

    assert result["selected"] == [1, 3]
    assert result["spent"] == 90
    assert result["leftover"] == 10
    assert sum(costs[m] for m in result["selected"]) <= 100


def test_money_is_counted_exactly():
    ballots = [{1: 3, 2: 2, 3: 1}]
    decimal = count_points([1, 2, 3], ballots, costs=dict.fromkeys([1, 2, 3], Decimal("0.1")), budget=Decimal("0.3"))
    floats = count_points([1, 2, 3], ballots, costs=dict.fromkeys([1, 2, 3], 0.1), budget=0.3)

    assert decimal["selected"] == floats["selected"] == [1, 2, 3]
    assert decimal["leftover"] == Decimal("0.0")
    assert floats["leftover"] == 0.0


def test_a_measure_without_cost_is_an_error():
    with pytest.raises(ValueError, match="No cost"):
        count_points([1, 2], [{1: 1}], costs={1: 5}, budget=10)
