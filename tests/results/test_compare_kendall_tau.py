"""Kendall's tau-b between two rankings, checked on known inputs and against scipy."""

import numpy as np
import pytest
from scipy.stats import kendalltau

from results.compare import kendall_tau


def test_identical_rankings_give_1():
    assert kendall_tau([[1], [2], [3], [4]], [[1], [2], [3], [4]]) == 1.0


def test_reversed_rankings_give_minus_1():
    assert kendall_tau([[1], [2], [3], [4]], [[4], [3], [2], [1]]) == -1.0


def test_one_swap_among_four():
    # 6 pairs, 5 concordant, 1 discordant: (5 - 1) / 6.
    assert kendall_tau([[1], [2], [3], [4]], [[2], [1], [3], [4]]) == pytest.approx(4 / 6)


def test_only_common_options_count():
    assert kendall_tau([[1], [2], [3], [9]], [[8], [1], [2], [3]]) == 1.0


def test_scores_and_tie_groups_give_the_same_tau():
    scores = {1: 9.5, 2: 7.0, 3: 7.0, 4: 1.0}
    groups = [[1], [2, 3], [4]]
    other = {1: 3, 2: 4, 3: 1, 4: 2}

    assert kendall_tau(scores, other) == kendall_tau(groups, other)


@pytest.mark.parametrize("seed", range(20))
def test_agrees_with_scipy_tau_b_with_ties(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 30))
    x = rng.integers(0, 5, n).tolist()  # few distinct values: many ties
    y = rng.integers(0, 5, n).tolist()
    if len(set(x)) < 2 or len(set(y)) < 2:
        x[0], y[0] = 0, 0
        x[1], y[1] = 4, 4
    expected = kendalltau(x, y, variant="b").statistic

    got = kendall_tau(dict(enumerate(x)), dict(enumerate(y)))

    assert got == pytest.approx(expected, abs=1e-12)


def test_undefined_cases_give_none():
    assert kendall_tau([[1], [2]], [[3], [4]]) is None  # nothing in common
    assert kendall_tau([[1]], [[1]]) is None  # one option
    assert kendall_tau([[1, 2, 3]], [[1], [2], [3]]) is None  # one side ties all
    assert kendall_tau({1: None, 2: 3.0}, {1: 1.0, 2: 2.0}) is None  # no score is no ranking
