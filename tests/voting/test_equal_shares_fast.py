"""The fast paths of ``voting/tally/budget.py`` give the same numbers as a plain MES.

The module finds a measure's payment without sorting all of its supporters (only the
rows up to the one that fixes the payment, after a guess of the water level), finds the
supporters of every measure once for many runs (``SharesAt``, the bootstrap's
replicates) and leaves out rows of weight 0 without copying the ballots. Each of these
must change the speed only: below, a plain implementation (every supporter sorted, the
rows of weight 0 dropped first, one instance per call, as the module did before) is
kept as the reference, and the results must be equal to the last bit: the same
measures in the same order, the same share, the same payments.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import pabulib_data
from tests.pabulib_data import ANIN, CZESTOCHOWA, MOKOTOW
from voting import pabulib
from voting.tally import budget
from voting.tally.budget import TOLERANCE, SharesAt, equal_shares, equal_shares_at

FAST = settings(max_examples=60, deadline=None)


# --- the plain reference ------------------------------------------------------------


def plain_payment(money, points, weights, weighted_points, cost) -> float:
    r = cost / weighted_points
    if (money >= r * points).all():
        return r
    spent = money <= 0
    if spent.any():
        left = ~spent
        money, points, weights = money[left], points[left], weights[left]
        if not len(money):
            return math.inf
    ratio = money / points
    order = np.argsort(ratio, kind="stable")
    ratio = ratio[order]
    weighted = weights[order]
    paid_before = np.cumsum(weighted * money[order])
    paid_before = np.concatenate(([0.0], paid_before[:-1]))
    points_from = np.cumsum((weighted * points[order])[::-1])[::-1]
    candidates = (cost - paid_before) / points_from
    fits = np.flatnonzero(candidates <= ratio * (1 + TOLERANCE))
    return float(candidates[fits[0]]) if len(fits) else float(ratio[-1])


class PlainInstance:
    def __init__(self, costs, utilities, weights):
        keep = weights > 0
        utilities, weights = utilities[keep], weights[keep]
        self.costs, self.rows = costs, len(weights)
        self.support = np.zeros(len(costs))
        self.supporters = {}
        for column, points in enumerate(utilities.T):
            rows = np.flatnonzero(points > 0)
            if not len(rows):
                continue
            given = points[rows].astype(np.float64)
            self.support[column] = float(weights[rows] @ given)
            weight = weights[rows].astype(np.float64)
            self.supporters[column] = (rows, given, weight, float(weight @ given))
        self.free = [c for c in self.supporters if costs[c] <= 0]
        self.paid = [c for c in self.supporters if costs[c] > 0]

    def run(self, share):
        money = np.full(self.rows, float(share))
        bound = {c: 1.0 / self.support[c] for c in self.paid}
        taken = list(self.free)
        while bound:
            best, best_column, best_rate = math.inf, -1, 0.0
            for column in sorted(bound, key=lambda c: (bound[c], c)):
                if bound[column] > best * (1 + TOLERANCE):
                    break
                rows, points, weights, weighted_points = self.supporters[column]
                held = money[rows]
                cost = float(self.costs[column])
                if float(weights @ held) < cost * (1 - TOLERANCE):
                    del bound[column]
                    continue
                rate = plain_payment(held, points, weights, weighted_points, cost)
                per_utility = rate / cost
                bound[column] = per_utility
                if per_utility < best * (1 - TOLERANCE):
                    best, best_column, best_rate = per_utility, column, rate
                elif per_utility <= best * (1 + TOLERANCE) and column < best_column:
                    best, best_column, best_rate = min(best, per_utility), column, rate
            if best_column < 0:
                break
            rows, points = self.supporters[best_column][:2]
            held = money[rows]
            money[rows] = held - np.minimum(held, best_rate * points)
            taken.append(best_column)
            del bound[best_column]
        return taken

    def cost_of(self, columns):
        return math.fsum(float(self.costs[c]) for c in columns)

    def exhaustive(self, columns, total):
        left = total - self.cost_of(columns)
        return all(self.costs[c] > left for c in self.paid if c not in set(columns))

    def fill_by_support(self, selected, total):
        left = total - self.cost_of(selected)
        for column in sorted(self.supporters, key=lambda c: -self.support[c]):
            if column not in selected and self.costs[column] <= left:
                selected.append(column)
                left -= float(self.costs[column])


def plain_equal_shares(costs, total, utilities, weights, completion="add1", integral=True):
    costs = np.asarray(costs, dtype=np.float64)
    utilities, weights = np.asarray(utilities), np.asarray(weights, dtype=np.int64)
    voters = int(weights.sum())
    instance = PlainInstance(costs, utilities, weights)
    proper_share = total / voters
    share = float(math.floor(proper_share)) if integral and completion != "none" else proper_share
    outcome = instance.run(share)
    proper = outcome if share == proper_share else instance.run(proper_share)
    rounds = 0
    if completion != "none":
        while not instance.exhaustive(outcome, total):
            following = instance.run(share + 1)
            rounds += 1
            if instance.cost_of(following) > total:
                break
            share, outcome = share + 1, following
    selected = list(outcome)
    if completion == "add1u":
        instance.fill_by_support(selected, total)
    while selected and instance.cost_of(selected) > total:
        selected.pop()
    return {
        "selected": selected,
        "by_completion": [c for c in selected if c not in set(proper)],
        "rounds": rounds,
        "share": share,
        "spent": instance.cost_of(selected),
        "capped": False,
    }


def plain_at(costs, total, utilities, weights, share, fill=True):
    costs = np.asarray(costs, dtype=np.float64)
    instance = PlainInstance(costs, np.asarray(utilities), np.asarray(weights, dtype=np.int64))
    selected = instance.run(float(share))
    while selected and instance.cost_of(selected) > total:
        selected.pop()
    if fill:
        instance.fill_by_support(selected, total)
    return selected


# --- generated instances --------------------------------------------------------------


@st.composite
def profiles(draw, rows_max=40):
    """Distinct-row profiles, some rows of weight 0, approval or points; with few
    cost levels and few ballot kinds there are many exact ties."""
    m = draw(st.integers(1, 7))
    costs = draw(st.lists(st.sampled_from([10, 25, 40, 60, 100, 150]), min_size=m, max_size=m))
    rows = draw(st.integers(1, rows_max))
    top = draw(st.sampled_from([1, 1, 3, 10]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    utilities = rng.integers(0, top + 1, size=(rows, m)) * (rng.random((rows, m)) < 0.5)
    weights = rng.integers(0, 6, size=rows)
    if not weights.any():
        weights[0] = 1
    total = draw(st.integers(0, sum(costs) + 60))
    return costs, total, utilities, weights


@FAST
@given(profiles(), st.sampled_from(["add1", "add1u", "none"]), st.booleans())
def test_equal_shares_as_plain(profile, completion, integral):
    costs, total, utilities, weights = profile
    assert equal_shares(costs, total, utilities, weights, completion, integral=integral) == plain_equal_shares(
        costs, total, utilities, weights, completion, integral
    )


@FAST
@given(profiles(), st.integers(0, 50), st.integers(0, 2**32 - 1))
def test_shares_at_as_plain_for_replicates(profile, share, seed):
    costs, total, utilities, weights = profile
    at_share = SharesAt(costs, total, utilities)
    rng = np.random.default_rng(seed)
    for _ in range(3):
        drawn = rng.multinomial(int(weights.sum()), weights / weights.sum())  # some rows drawn 0 times
        expected = plain_at(costs, total, utilities, drawn, share) if drawn.any() else []
        assert at_share(drawn, share) == expected
        assert equal_shares_at(costs, total, utilities, drawn, share, fill=False) == (
            plain_at(costs, total, utilities, drawn, share, fill=False) if drawn.any() else []
        )


@st.composite
def supporters(draw):
    """A measure's supporters with more rows than are sorted whole, money in a few
    levels (ties) and some rows spent, whole-number points and weights."""
    n = draw(st.integers(budget._SORT_ALL + 1, 3 * budget._SORT_ALL))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    levels = rng.random(draw(st.integers(1, 12))) * 100
    money = levels[rng.integers(0, len(levels), n)]
    if draw(st.booleans()):
        money = money + rng.random(n)  # no ties at all
    money[rng.random(n) < draw(st.sampled_from([0.0, 0.2]))] = 0.0
    points = rng.integers(1, draw(st.sampled_from([2, 4, 11])), n).astype(np.float64)
    weights = rng.integers(1, 4, n).astype(np.float64)
    share = draw(st.sampled_from([0.2, 0.6, 0.9, 0.99, 1.0, 1.3]))
    cost = max(1.0, float(weights @ money) * share)
    return money, points, weights, cost


@FAST
@given(supporters(), st.sampled_from([0, 1, 8]))
def test_payment_without_sorting_everything_is_the_same_number(case, steps):
    money, points, weights, cost = case
    weighted = weights * points
    weighted_points = float(weights @ points)
    expected = plain_payment(money, points, weights, weighted_points, cost)
    approval = bool((points == 1).all())
    original = budget._NEWTON_STEPS
    budget._NEWTON_STEPS = steps  # 0: the guess stays at the equal split, often too low
    try:
        found = budget._payment_per_point(money, points, weights, weighted_points, cost, weighted, approval)
        guessed = budget._payment_per_point(
            money, points, weights, weighted_points, cost, weighted, approval, guess=expected * 0.5
        )
    finally:
        budget._NEWTON_STEPS = original
    assert found == expected
    assert guessed == expected


# --- the Pabulib files kept in the repository --------------------------------------------


def _rows(name):
    instance = pabulib.read_pb(pabulib_data.text(name))
    options, ballots, costs, total, _ = pabulib.budget_profile(instance)
    column = {option: index for index, option in enumerate(options)}
    merged: dict[tuple, int] = {}
    for ballot in ballots:
        key = tuple(sorted((column[o], g) for o, g in ballot.items()))
        merged[key] = merged.get(key, 0) + 1
    utilities = np.zeros((len(merged), len(options)), dtype=np.int64)
    for row, key in enumerate(merged):
        for c, g in key:
            utilities[row, c] = g
    weights = np.array(list(merged.values()), dtype=np.int64)
    return [float(costs[o]) for o in options], float(total), utilities, weights


@pytest.mark.parametrize("name", [ANIN, CZESTOCHOWA])
def test_real_files_add1u_as_plain(name):
    costs, total, utilities, weights = _rows(name)
    assert equal_shares(costs, total, utilities, weights, "add1u") == plain_equal_shares(
        costs, total, utilities, weights, "add1u"
    )


def test_mokotow_runs_and_replicates_as_plain():
    """Mokotów's Add1 takes 311 rounds; its runs at a spread of shares (where the
    payments go through the unsorted path) and a few bootstrap-like replicates."""
    costs, total, utilities, weights = _rows(MOKOTOW)
    fast = budget._Instance(np.asarray(costs), budget._Columns(utilities), weights)
    plain = PlainInstance(np.asarray(costs), utilities, weights)
    start = math.floor(total / weights.sum())
    for share in range(start, start + 320, 40):
        assert fast.run(float(share)) == plain.run(float(share))
    at_share = SharesAt(costs, total, utilities)
    rng = np.random.default_rng(5)
    for _ in range(4):
        drawn = rng.multinomial(int(weights.sum()), weights / weights.sum())
        assert at_share(drawn, 1504.0) == plain_at(costs, total, utilities, drawn, 1504.0)
