"""Properties of the Method of Equal Shares (``voting/tally/budget.py``), with hypothesis.

Proportionality tested (party lists): voters fall into disjoint groups, each approving
only its own projects, all of one cost ``c``. In MES a group's projects are paid by
the group alone, and while a group still holds ``c`` and has a project left, that
project is affordable, so MES does not stop; a group of ``n_g`` of ``n`` voters
therefore gets at least ``min(k_g, floor(n_g * share / c))`` of its ``k_g`` projects,
``share`` being each voter's money in the run kept. Add1 only raises the share from
its start: from ``budget / n`` exactly (``integral=False``) the bound is
``floor(n_g / n * budget / c)``; from ``floor(budget / n)`` each voter may lose up to
1, which costs at most one project when ``c >= n`` (as generated below), hence
``floor(n_g / n * budget / c) - 1``.
"""

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.tally.budget import count_equal_shares, equal_shares
from voting.tally.points import count_points

FAST = settings(max_examples=40, deadline=None)


@st.composite
def instances(draw, points: bool | None = None):
    m = draw(st.integers(1, 6))
    costs = draw(st.lists(st.integers(1, 120), min_size=m, max_size=m))
    budget = draw(st.integers(0, sum(costs) + 50))
    use_points = draw(st.booleans()) if points is None else points
    ballot = st.dictionaries(st.integers(0, m - 1), st.integers(1, 5) if use_points else st.just(1), max_size=m)
    ballots = draw(st.lists(ballot, min_size=0, max_size=25))
    return list(range(m)), costs, budget, ballots


@FAST
@given(instances(), st.sampled_from(["add1", "add1u", "none"]))
def test_budget_never_exceeded(instance, completion):
    options, costs, budget, ballots = instance
    result = count_equal_shares(options, ballots, dict(enumerate(costs)), budget, completion)
    assert sum(costs[o] for o in result["selected"]) == result["spent"] <= budget
    assert result["spent"] + result["leftover"] == budget
    assert len(set(result["selected"])) == len(result["selected"])
    assert set(result["by_completion"]) <= set(result["selected"])


@FAST
@given(instances(), st.sampled_from(["add1", "none", "add1u"]))
def test_nobody_supports_it_never_funded(instance, completion):
    options, costs, budget, ballots = instance
    result = count_equal_shares(options, ballots, dict(enumerate(costs)), budget, completion)
    for option in result["selected"]:
        assert result["supporters"][option] > 0


@FAST
@given(
    st.lists(st.integers(1, 12), min_size=1, max_size=4),
    st.integers(60, 150),
    st.integers(1, 6),
    st.booleans(),
)
def test_party_lists_get_their_proportional_share(group_sizes, cost, projects_each, integral):
    n = sum(group_sizes)
    cost = max(cost, n)  # c >= n, see the module docstring
    m = projects_each * len(group_sizes)
    budget = cost * m // 2 + cost // 3
    utilities = np.zeros((len(group_sizes), m), dtype=np.int64)
    for g in range(len(group_sizes)):
        utilities[g, g * projects_each : (g + 1) * projects_each] = 1
    result = equal_shares([cost] * m, budget, utilities, group_sizes, integral=integral)
    for g, size in enumerate(group_sizes):
        funded = sum(1 for c in result["selected"] if c // projects_each == g)
        bound = (size * budget) // (n * cost) - (1 if integral else 0)
        assert funded >= min(projects_each, bound)


def test_51_49_greedy_takes_all_mes_splits():
    options = list(range(20))  # 0-9 red, 10-19 blue
    ballots = [dict.fromkeys(range(10), 1)] * 51 + [dict.fromkeys(range(10, 20), 1)] * 49
    costs = dict.fromkeys(options, 100)
    greedy = count_points(options, ballots, costs=costs, budget=1000)
    assert sorted(greedy["selected"]) == list(range(10))
    mes = count_equal_shares(options, ballots, costs, 1000)
    red = sum(1 for o in mes["selected"] if o < 10)
    assert (red, len(mes["selected"]) - red) == (5, 5)
    assert mes["spent"] == 1000


@FAST
@given(instances(), st.randoms(use_true_random=False))
def test_order_of_ballots_does_not_matter(instance, rnd):
    options, costs, budget, ballots = instance
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    first = count_equal_shares(options, ballots, dict(enumerate(costs)), budget)
    second = count_equal_shares(options, shuffled, dict(enumerate(costs)), budget)
    assert first["selected"] == second["selected"]


@FAST
@given(instances(), st.lists(st.integers(0, 4), min_size=1, max_size=25), st.booleans())
def test_weights_equal_repeated_rows(instance, weights, integral):
    options, costs, budget, ballots = instance
    rows = ballots[: len(weights)]
    weights = weights[: len(rows)]
    utilities = np.zeros((len(rows), len(options)), dtype=np.int64)
    for r, ballot in enumerate(rows):
        for option, points in ballot.items():
            utilities[r, option] = points
    weighted = equal_shares(costs, budget, utilities, weights, integral=integral)
    repeated = np.repeat(utilities, weights, axis=0) if len(rows) else utilities
    order = list(range(len(repeated)))
    random.Random(0).shuffle(order)
    ones = equal_shares(costs, budget, repeated[order], [1] * len(repeated), integral=integral)
    assert weighted["selected"] == ones["selected"]
    assert weighted["rounds"] == ones["rounds"]


def test_empty_inputs():
    assert count_equal_shares([], [], {}, 100)["selected"] == []
    result = count_equal_shares([1, 2], [], {1: 10, 2: 20}, 100)
    assert result["selected"] == [] and result["leftover"] == 100.0
    assert result["ranking"] == [[1, 2]]
    result = count_equal_shares([1, 2], [{}, {}], {1: 10, 2: 20}, 100)
    assert result["selected"] == [] and result["ballots"] == 2
    assert equal_shares([], 10, np.zeros((0, 0)), [])["selected"] == []
    assert equal_shares([5.0], 10, np.ones((1, 1)), [0])["selected"] == []


def test_ranking_selected_first_in_order_taken():
    ballots = [{1: 1, 2: 1}] * 3 + [{3: 1}] * 2
    result = count_equal_shares([1, 2, 3], ballots, {1: 50, 2: 50, 3: 50}, 100)
    assert result["ranking"][: len(result["selected"])] == [[o] for o in result["selected"]]
    assert sorted(o for g in result["ranking"] for o in g) == [1, 2, 3]
