"""Ranked ballots counted on published worked examples and hand-checked cases."""

import numpy as np

from voting.tally import borda, condorcet_winner, copeland, count_ranking, first_choices, margin_matrix, schulze

# Measure ids deliberately not 0..n-1, so that a mix-up of ids and positions shows.
A, B, C, D, E = 11, 12, 13, 14, 15
LETTER = {"A": A, "B": B, "C": C, "D": D, "E": E}


def profile(spec):
    """[(count, "ACBED"), ...] -> strict ballots of single-option groups."""
    return [[[LETTER[letter]] for letter in order] for count, order in spec for _ in range(count)]


# Schulze's 45-voter example (Schulze 2011, section 3.1; Wikipedia "Schulze method").
SCHULZE_45 = profile(
    [
        (5, "ACBED"),
        (5, "ADECB"),
        (8, "BEDAC"),
        (3, "CABED"),
        (7, "CAEBD"),
        (2, "CBADE"),
        (7, "DCEBA"),
        (8, "EBADC"),
    ]
)


def test_schulze_45_voter_example_ranks_e_a_c_b_d():
    result = schulze([A, B, C, D, E], SCHULZE_45)

    assert result["ranking"] == [[E], [A], [C], [B], [D]]
    assert result["winners"] == [E]
    assert result["ballots"] == 45


def test_schulze_45_voter_example_has_the_published_pairwise_counts():
    margins = margin_matrix([A, B, C, D, E], SCHULZE_45)
    # Published d[X, Y] (voters preferring X to Y), e.g. d[A,B] = 20, d[B,A] = 25.
    d = {
        A: {B: 20, C: 26, D: 30, E: 22},
        B: {A: 25, C: 16, D: 33, E: 18},
        C: {A: 19, B: 29, D: 17, E: 24},
        D: {A: 15, B: 12, C: 28, E: 14},
        E: {A: 23, B: 27, C: 21, D: 31},
    }
    ids = [A, B, C, D, E]
    for i, x in enumerate(ids):
        for j, y in enumerate(ids):
            if x != y:
                assert margins[i, j] == d[x][y] - d[y][x]


def test_schulze_45_voter_example_strongest_paths_by_hand():
    paths = schulze([A, B, C, D, E], SCHULZE_45)["strongest_paths"]
    # E->A: direct link only 1, but E->B->A has strength min(9, 5) = 5;
    # A->E: best is A->C->E, min(7, 3) = 3.
    assert paths[E][A] == 5
    assert paths[A][E] == 3


def test_the_45_voter_example_has_no_condorcet_winner():
    assert condorcet_winner([A, B, C, D, E], SCHULZE_45) is None


# Wikipedia's Tennessee capital example (Borda count article): Nashville 194,
# Chattanooga 173, Memphis 126, Knoxville 107.
MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE = 901, 902, 903, 904
TENNESSEE = (
    [[[MEMPHIS], [NASHVILLE], [CHATTANOOGA], [KNOXVILLE]]] * 42
    + [[[NASHVILLE], [CHATTANOOGA], [KNOXVILLE], [MEMPHIS]]] * 26
    + [[[CHATTANOOGA], [KNOXVILLE], [NASHVILLE], [MEMPHIS]]] * 15
    + [[[KNOXVILLE], [CHATTANOOGA], [NASHVILLE], [MEMPHIS]]] * 17
)
CITIES = [MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE]


def test_borda_tennessee_textbook_scores():
    result = borda(CITIES, TENNESSEE)

    assert result["scores"] == {NASHVILLE: 194, CHATTANOOGA: 173, MEMPHIS: 126, KNOXVILLE: 107}
    assert result["ranking"] == [[NASHVILLE], [CHATTANOOGA], [MEMPHIS], [KNOXVILLE]]


def test_tennessee_condorcet_copeland_and_first_choices():
    result = count_ranking(CITIES, TENNESSEE)

    assert result["condorcet_winner"] == NASHVILLE
    assert result["schulze"]["ranking"] == [[NASHVILLE], [CHATTANOOGA], [KNOXVILLE], [MEMPHIS]]
    assert result["copeland"]["scores"] == {NASHVILLE: 3, CHATTANOOGA: 2, KNOXVILLE: 1, MEMPHIS: 0}
    assert result["first_choices"]["scores"] == {MEMPHIS: 42, NASHVILLE: 26, CHATTANOOGA: 15, KNOXVILLE: 17}
    assert result["first_choices"]["ranking"][0] == [MEMPHIS]


def test_borda_gives_tied_and_unranked_options_the_average_of_their_places():
    # 4 options: places are worth 3, 2, 1, 0.
    ballots = [
        [[1], [2, 3]],  # 1 -> 3; 2, 3 share places 2 and 1 -> 1.5 each; 4 unranked -> 0
        [[4, 2]],  # 4, 2 share 3 and 2 -> 2.5 each; 1, 3 unranked share 1 and 0 -> 0.5 each
    ]
    result = borda([1, 2, 3, 4], ballots)

    assert result["scores"] == {1: 3.5, 2: 4.0, 3: 2.0, 4: 2.5}
    assert result["ranking"] == [[2], [1], [4], [3]]


def test_copeland_counts_a_pairwise_tie_as_half():
    ballots = [[[1], [2], [3]], [[2], [1], [3]]]  # 1 and 2 tie head to head, both beat 3
    result = copeland([1, 2, 3], ballots)

    assert result["scores"] == {1: 1.5, 2: 1.5, 3: 0.0}
    assert result["ranking"] == [[1, 2], [3]]


def test_first_choices_split_a_tied_first_group_evenly():
    ballots = [[[1, 2, 3]], [[1]], [[2], [1]]]
    result = first_choices([1, 2, 3, 4], ballots)

    assert result["scores"] == {1: 1 + 1 / 3, 2: 1 + 1 / 3, 3: 1 / 3, 4: 0.0}
    assert result["ranking"] == [[1, 2], [3], [4]]


def test_unmentioned_options_are_tied_below_all_ranked_ones():
    margins = margin_matrix([1, 2, 3], [[[3]]])

    assert margins.tolist() == [[0, 0, -1], [0, 0, -1], [1, 1, 0]]


def test_schulze_ranking_keeps_ties_where_paths_are_equal():
    ballots = [[[1], [2], [3]], [[2], [1], [3]]]
    result = schulze([1, 2, 3], ballots)

    assert result["ranking"] == [[1, 2], [3]]
    assert result["winners"] == [1, 2]


def test_schulze_resolves_a_condorcet_cycle_by_the_strongest_paths():
    # 1 > 2 by 3, 2 > 3 by 5, 3 > 1 by 1: the weakest link (3 over 1) is dropped.
    ballots = [[[1], [2], [3]]] * 4 + [[[2], [3], [1]]] * 3 + [[[3], [1], [2]]] * 2
    result = count_ranking([1, 2, 3], ballots)

    assert result["condorcet_winner"] is None
    assert result["schulze"]["ranking"] == [[1], [2], [3]]


def test_sparse_ids_and_unknown_ids():
    huge = 10**12
    ballots = [[[huge], [5], [777]], [[5], [huge]]]  # 777 is not an option
    margins = margin_matrix([5, huge], ballots)

    assert np.array_equal(margins, [[0, 0], [0, 0]])
    assert schulze([5, huge], ballots)["ranking"] == [[5, huge]]


def brute_force_margins(options, ballots):
    level = []
    for ballot in ballots:
        rank = {option: len(ballot) for option in options}
        for place, group in enumerate(ballot):
            for option in group:
                rank[option] = place
        level.append(rank)
    return [[sum((r[a] < r[b]) - (r[a] > r[b]) for r in level) for b in options] for a in options]


def test_long_ballots_with_repeats_match_a_pair_by_pair_count():
    rng = np.random.default_rng(4)
    options = list(range(500, 650))  # 150 measures: more levels than fit in int8
    ballots = []
    for _ in range(30):
        order = rng.permutation(options).tolist()
        cuts = sorted(set(rng.integers(1, len(order), 100).tolist()))
        ranked = order[: rng.integers(1, len(order) + 1)]
        groups, start = [], 0
        for cut in [c for c in cuts if c < len(ranked)] + [len(ranked)]:
            groups.append(ranked[start:cut])
            start = cut
        ballots.append(groups)
    ballots += ballots[:10]  # identical ballots are merged and weighted
    ballots.append([[x] for x in options])  # strict and complete: 150 levels

    assert margin_matrix(options, ballots).tolist() == brute_force_margins(options, ballots)
