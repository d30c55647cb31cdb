"""Every counting method gets intervals for each of its counts, in its own terms."""

from results.uncertainty import bootstrap, point_count

from .uncertainty_profiles import OPTIONS, comparisons, points, rankings, scores

A, B, C, D, E, F = OPTIONS


def test_ranking_gives_intervals_for_schulze_borda_copeland_and_first_choices():
    result = bootstrap("ranking", {}, OPTIONS, rankings(OPTIONS, 500, [2, 1, 0, 0, -1, -2]), seed=3)

    assert result["primary"] == "schulze"
    assert list(result["counts"]) == ["schulze", "borda", "copeland", "first_choices"]
    schulze = result["counts"]["schulze"]["options"]
    # Schulze's score is how many options a measure beats: a whole number from 0 to n-1.
    assert schulze[A]["score"] == 5 and schulze[A]["score_interval"] == [5, 5]
    assert all(isinstance(x, int) for x in schulze[C]["score_interval"])
    # Borda totals and first choices move with the ballots drawn.
    borda = result["counts"]["borda"]["options"][A]
    assert borda["score_interval"][0] < borda["score"] < borda["score_interval"][1]


def test_score_gives_intervals_for_the_mean_and_the_majority_grade():
    result = bootstrap("score", {}, OPTIONS, scores(OPTIONS, 400), seed=3)

    assert result["primary"] == "mean"
    mean = result["counts"]["mean"]["options"][F]
    judgment = result["counts"]["majority_judgment"]["options"][F]
    assert 0 <= mean["score_interval"][0] < mean["score"] < mean["score_interval"][1] <= 5
    # The majority grade is a grade: whole numbers only.
    assert judgment["score"] in range(6)
    assert all(grade in range(6) for grade in judgment["score_interval"])


def test_a_measure_nobody_graded_has_no_score_and_comes_last():
    ballots = [{A: 4, B: 2}, {A: 5}, {B: 3, A: 1}] * 20

    mean = bootstrap("score", {}, [A, B, C], ballots, seed=1)["counts"]["mean"]["options"]

    assert mean[C]["score"] is None and mean[C]["score_interval"] is None
    assert mean[C]["rank_interval"] == [3, 3]


def test_approval_counts_ballots_and_points_sum_points():
    approval = bootstrap("approval", {}, [A, B], [[A], [A, B], [B], [A]] * 50, seed=1)
    assert approval["options"][A]["score"] == 150
    assert approval["unit"] == "ballots" and approval["units"] == 200

    result = bootstrap("points", {}, OPTIONS, points(OPTIONS, 300), seed=1)
    assert result["primary"] == "points"
    assert sum(entry["score"] for entry in result["options"].values()) == 300 * 10


def test_participatory_budget_says_how_often_each_measure_would_be_funded():
    costs = {A: 60_000, B: 50_000, C: 40_000}
    # A is far ahead and funded; C and B follow: C fits after A, B does not;
    # nobody gives D a point, so it is never funded, cheap as it is.
    ballots = [{A: 1}] * 100 + [{C: 1}] * 30 + [{A: 1, C: 1}] * 10 + [{B: 1}] * 30
    rules = {"use_costs": True, "budget": 100_000}

    result = bootstrap("points", rules, [A, B, C, D], ballots, {**costs, D: 1_000}, seed=1)
    options = result["options"]

    # Set up before budgets had a rule: decided greedily, as then.
    assert point_count("points", rules, [A, B, C, D], ballots, {**costs, D: 1_000})["greedy"]["selected"] == [A, C]
    assert result["primary"] == "greedy"

    assert options[A]["selected_share"] == 1.0
    assert options[B]["selected_share"] == 0.0
    assert options[C]["selected_share"] == 1.0
    assert options[D]["selected_share"] == 0.0


def test_a_close_budget_race_shows_a_share_in_between():
    costs = {A: 60_000, B: 60_000}
    ballots = [{A: 1}] * 51 + [{B: 1}] * 49
    result = bootstrap("points", {"use_costs": True, "budget": 100_000}, [A, B], ballots, costs, seed=1)

    assert result["options"][A]["selected_share"] + result["options"][B]["selected_share"] == 1.0
    assert 0.2 < result["options"][B]["selected_share"] < 0.5


def test_pairwise_resamples_the_comparisons_and_refits_bradley_terry():
    data = comparisons(OPTIONS, 2000)
    result = bootstrap("pairwise", {}, OPTIONS, data, seed=1)

    assert result["unit"] == "comparisons" and result["units"] == 2000
    assert result["primary"] == "bradley_terry"
    options = result["options"]
    # The chance to beat a random other measure, in percent; the strongest is clearly first.
    assert options[A]["rank"] == 1
    assert 50 < options[A]["score_interval"][0] <= options[A]["score"] <= options[A]["score_interval"][1] < 100
    assert options[F]["score_interval"][1] < 50
    assert "Vergleiche" in result["explanation"]["de"]
