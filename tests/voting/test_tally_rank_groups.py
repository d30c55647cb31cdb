"""Scores become a ranking of tie groups."""

from voting.tally import rank_groups


def test_best_first_with_ties_grouped_in_the_given_order():
    assert rank_groups({5: 2, 3: 7, 9: 2, 1: 0}) == [[3], [5, 9], [1]]


def test_lower_is_better():
    assert rank_groups({5: 2, 3: 7, 9: 2}, higher_is_better=False) == [[5, 9], [3]]


def test_options_without_a_score_come_last_together():
    assert rank_groups({1: None, 2: 1.5, 3: None}) == [[2], [1, 3]]


def test_empty():
    assert rank_groups({}) == []
