"""Wiki-survey count (Bradley–Terry via choix) and the choice of the next pair."""

import math
import random
from collections import Counter

import numpy as np
import pytest

from voting.tally import bradley_terry, next_pair


def simulated(strength, n, seed):
    rng = random.Random(seed)
    ids = list(strength)
    comparisons = []
    for _ in range(n):
        a, b = rng.sample(ids, 2)
        p_a = 1 / (1 + math.exp(strength[b] - strength[a]))
        comparisons.append((a, b) if rng.random() < p_a else (b, a))
    return comparisons


def test_recovers_the_order_of_known_strengths():
    strength = {101: 2.0, 102: 1.0, 103: 0.0, 104: -1.0, 105: -2.0}
    result = bradley_terry(list(strength), simulated(strength, 6000, seed=1))

    assert result["ranking"] == [[101], [102], [103], [104], [105]]
    fitted = [result["strengths"][i] for i in strength]
    # Same spacing as the truth, up to noise (the fit is centred at 0).
    assert np.allclose(fitted, [2, 1, 0, -1, -2], atol=0.25)


def test_a_measure_that_always_wins_ranks_first_with_a_finite_strength():
    comparisons = [(1, 2), (1, 3), (1, 4)] * 5 + [(2, 3), (3, 4), (4, 2), (3, 2)]
    result = bradley_terry([1, 2, 3, 4], comparisons)

    assert result["ranking"][0] == [1]
    assert math.isfinite(result["strengths"][1])
    assert 90 < result["scores"][1] < 100


def test_percentages_lie_between_0_and_100_and_average_50():
    strength = {i: random.Random(i).gauss(0, 1.5) for i in range(1, 21)}
    result = bradley_terry(list(strength), simulated(strength, 3000, seed=2))
    scores = list(result["scores"].values())

    assert all(0 <= s <= 100 for s in scores)
    assert sum(scores) / len(scores) == pytest.approx(50)


def test_chance_of_two_measures_matches_the_model():
    result = bradley_terry([1, 2], [(1, 2)] * 30 + [(2, 1)] * 10)
    theta = result["strengths"]
    p = math.exp(theta[1]) / (math.exp(theta[1]) + math.exp(theta[2]))

    assert result["scores"][1] == pytest.approx(100 * p)
    assert result["scores"][1] == pytest.approx(75, abs=2)  # 30 of 40 won, little regularised


def test_appearances_wins_and_ignored_comparisons():
    comparisons = [(1, 2), (2, 1), (1, 3), (3, 3), (1, 99)]  # a self-pair and an unknown id
    result = bradley_terry([1, 2, 3], comparisons)

    assert result["appearances"] == {1: 3, 2: 2, 3: 1}
    assert result["wins"] == {1: 2, 2: 1, 3: 0}
    assert result["comparisons"] == 3


def test_without_comparisons_every_measure_stands_at_50():
    result = bradley_terry([1, 2, 3], [])

    assert result["scores"] == {1: 50.0, 2: 50.0, 3: 50.0}
    assert result["ranking"] == [[1, 2, 3]]


def test_next_pair_is_deterministic_for_a_seeded_rng():
    options = list(range(1, 11))
    seen = dict.fromkeys(options, 3)
    first = [next_pair(options, seen, [], random.Random(7)) for _ in range(5)]
    again = [next_pair(options, seen, [], random.Random(7)) for _ in range(5)]

    assert first == again
    assert all(a != b and {a, b} <= set(options) for a, b in first)


def test_next_pair_favours_little_seen_measures():
    options = [1, 2, 3, 4, 5]
    appearances = {1: 0, 2: 200, 3: 200, 4: 200, 5: 200}  # 1 was just added
    rng = random.Random(3)
    shown = Counter()
    for _ in range(1000):
        shown.update(next_pair(options, appearances, [], rng))

    assert shown[1] > 900
    assert all(shown[o] < 400 for o in (2, 3, 4, 5))


def test_next_pair_avoids_the_pair_just_shown():
    options = [1, 2, 3]
    rng = random.Random(5)
    for _ in range(200):
        pair = next_pair(options, {1: 0, 2: 0, 3: 50}, [(2, 1)], rng)
        assert set(pair) != {1, 2}


def test_next_pair_shows_the_only_pair_again_if_there_is_no_other():
    assert set(next_pair([1, 2], {}, [(1, 2)], random.Random(1))) == {1, 2}


def test_next_pair_puts_the_little_seen_measure_on_both_sides():
    rng = random.Random(11)
    left = Counter(next_pair([1, 2], {1: 0, 2: 10}, [], rng)[0] for _ in range(400))

    assert 120 < left[1] < 280


def test_next_pair_accepts_a_numpy_generator():
    pair = next_pair([1, 2, 3], {}, [], np.random.default_rng(0))
    assert len(set(pair)) == 2


def test_next_pair_needs_two_measures():
    assert next_pair([1], {1: 0}, [], random.Random(0)) is None
    assert next_pair([], {}, [], random.Random(0)) is None
