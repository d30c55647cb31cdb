"""What the bootstrap refuses, and the edge cases it must survive."""

import pytest

from results.uncertainty import bootstrap, point_count, seed_for
from voting.counting import jsonable


def test_fewer_than_1000_replicates_are_refused():
    with pytest.raises(ValueError, match="1000"):
        bootstrap("approval", {}, [1, 2], [[1]], replicates=999)


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="Unknown counting method"):
        bootstrap("lottery", {}, [1, 2], [[1]])
    with pytest.raises(ValueError, match="Unknown counting method"):
        seed_for("lottery", [1, 2], [[1]])


def test_a_negative_seed_is_refused():
    with pytest.raises(ValueError, match="seed"):
        bootstrap("approval", {}, [1, 2], [[1]], seed=-1)


def test_a_grade_out_of_range_is_refused_like_the_tally_does():
    with pytest.raises(ValueError, match="Grades"):
        bootstrap("score", {}, [1, 2], [{1: 6}])


def test_no_options_gives_an_empty_result():
    result = bootstrap("ranking", {}, [], [[[1]]])

    assert result["options"] == {}
    assert result["counts"]["schulze"]["ranking"] == []


def test_a_single_option_is_always_first_and_needs_no_note():
    result = bootstrap("approval", {}, [7], [[7], [], [7]])

    assert result["options"][7]["rank_interval"] == [1, 1]
    assert result["notes"] == {"de": [], "en": []}


def test_comparisons_of_unknown_measures_or_of_a_measure_with_itself_are_not_resampled():
    result = bootstrap("pairwise", {}, [1, 2], [(1, 2), (2, 1), (1, 1), (3, 1)])

    assert result["units"] == 2


def test_a_pairwise_survey_with_one_option_has_no_score():
    result = bootstrap("pairwise", {}, [1], [(1, 2)])

    assert result["options"][1]["score"] is None


def test_the_point_count_may_come_as_json_with_string_keys():
    ballots = [[[1], [2]]] * 30 + [[[2], [1]]] * 10
    plain = jsonable(point_count("ranking", {}, [1, 2], ballots))

    assert bootstrap("ranking", {}, [1, 2], ballots, count=plain) == bootstrap("ranking", {}, [1, 2], ballots)
