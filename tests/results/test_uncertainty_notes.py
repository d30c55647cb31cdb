"""Plain-language notes on which places are clear and which are not."""

from results.uncertainty import bootstrap

from .uncertainty_profiles import OPTIONS, approvals_with_exact_counts

A, B, C, D, E, F = OPTIONS


def test_two_clear_leaders_and_three_tied_middle_places():
    # A and B far ahead of each other and of the rest; C, D and E exactly tied; F last.
    ballots = approvals_with_exact_counts(OPTIONS, [900, 700, 400, 400, 400, 100], 1000)

    result = bootstrap("approval", {}, OPTIONS, ballots, seed=8)

    assert result["notes"] == {
        "de": [
            "Platz 1 ist klar von den folgenden Plätzen getrennt.",
            "Die Plätze 3 bis 5 sind nicht klar voneinander getrennt.",
        ],
        "en": [
            "Place 1 is clearly separated from the places below.",
            "Places 3 to 5 are not clearly separated.",
        ],
    }
    assert result["separation"] == [
        {"places": [1, 1], "options": [A], "clear": True},
        {"places": [2, 2], "options": [B], "clear": True},
        {"places": [3, 5], "options": [C, D, E], "clear": False},
        {"places": [6, 6], "options": [F], "clear": True},
    ]
    for tied in (C, D, E):
        assert result["options"][tied]["rank"] == 3  # tied options share the best place
        assert result["options"][tied]["rank_interval"] == [3, 5]


def test_all_places_clear_is_said_once():
    ballots = approvals_with_exact_counts(OPTIONS, [950, 800, 650, 500, 350, 200], 1000)

    notes = bootstrap("approval", {}, OPTIONS, ballots, seed=8)["notes"]

    assert notes == {
        "de": ["Alle Plätze sind klar voneinander getrennt, auch Platz 1."],
        "en": ["All places are clearly separated, place 1 included."],
    }


def test_an_unclear_top_is_not_called_clear():
    ballots = approvals_with_exact_counts(OPTIONS, [600, 598, 300, 200, 100, 50], 1000)

    notes = bootstrap("approval", {}, OPTIONS, ballots, seed=8)["notes"]

    assert notes["de"] == ["Die Plätze 1 und 2 sind nicht klar voneinander getrennt."]
    assert notes["en"] == ["Places 1 and 2 are not clearly separated."]


def test_notes_for_each_count_of_a_method():
    # Borda and Schulze can separate places differently; each count has its own notes.
    ballots = [[[A], [B], [C]]] * 60 + [[[B], [A], [C]]] * 40
    result = bootstrap("ranking", {}, [A, B, C], ballots, seed=1)

    for name in ("schulze", "borda", "copeland", "first_choices"):
        assert result["counts"][name]["notes"]["de"], name
    assert result["notes"] == result["counts"]["schulze"]["notes"]
    assert result["options"] == result["counts"]["schulze"]["options"]


def test_no_ballots_no_intervals_and_a_note_saying_so():
    result = bootstrap("ranking", {}, OPTIONS, [], seed=1)

    assert result["units"] == 0
    assert result["notes"]["de"] == ["Noch keine Stimmen: Es gibt nichts, woraus sich Spannen berechnen ließen."]
    assert result["notes"]["en"] == ["No votes yet: there is nothing to compute ranges from."]
    for entry in result["options"].values():
        assert entry["score_interval"] is None and entry["rank_interval"] is None


def test_the_explanation_names_the_replicates_in_both_languages():
    ballots = approvals_with_exact_counts(OPTIONS, [30, 20, 10, 10, 5, 1], 40)

    explanation = bootstrap("approval", {}, OPTIONS, ballots, seed=1, replicates=2000)["explanation"]

    assert "2.000 Nachzählungen" in explanation["de"]
    assert "2,000 recounts" in explanation["en"]
