"""No options, no ballots, or a single option: every count still answers."""

import json

import pytest

from voting.tally import (
    bradley_terry,
    count,
    count_approval,
    count_points,
    count_ranking,
    count_score,
    margin_matrix,
)

EMPTY_BALLOT = {"approval": [], "score": {}, "ranking": [], "points": {}}


@pytest.mark.parametrize("method", ["approval", "score", "ranking", "points", "pairwise"])
def test_no_options_and_no_ballots(method):
    result = count(method, [], [])

    assert json.dumps(result)
    assert result["method"] in {method, "bradley_terry"}


@pytest.mark.parametrize("method", ["approval", "score", "ranking", "points", "pairwise"])
def test_options_but_no_ballots_leave_all_options_tied(method):
    result = count(method, [1, 2, 3], [])
    counts = [result[key] for key in ("schulze", "borda", "copeland", "mean", "majority_judgment") if key in result]

    for each in counts or [result]:
        assert each["ranking"] == [[1, 2, 3]]


@pytest.mark.parametrize("method", ["approval", "score", "ranking", "points"])
def test_empty_ballots_count_as_ballots_for_nothing(method):
    result = count(method, [1, 2], [EMPTY_BALLOT[method]] * 3)

    assert result["ballots"] == 3


def test_single_option_everywhere():
    assert count_approval([7], [[7]])["ranking"] == [[7]]
    assert count_score([7], [{7: 4}])["majority_judgment"]["scores"] == {7: 4}
    ranked = count_ranking([7], [[[7]], [[7]]])
    assert ranked["schulze"]["winners"] == [7]
    assert ranked["condorcet_winner"] == 7
    assert margin_matrix([7], [[[7]]]).tolist() == [[0]]
    assert count_points([7], [{7: 3}], costs={7: 5}, budget=10)["selected"] == [7]
    alone = bradley_terry([7], [])
    assert alone["ranking"] == [[7]]
    assert alone["scores"] == {7: None}


def test_empty_margin_matrix():
    assert margin_matrix([], []).shape == (0, 0)
    assert margin_matrix([1, 2], []).tolist() == [[0, 0], [0, 0]]


def test_unknown_method():
    with pytest.raises(ValueError, match="Unknown"):
        count("lottery", [1], [])
