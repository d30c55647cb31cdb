"""Where the counts of one consultation disagree, said plainly."""

from results.compare import disagreements
from voting.tally import count_ranking, count_score

A, B, C, D = 11, 12, 13, 14


def test_condorcet_winner_that_borda_does_not_elect():
    # 3 voters A > B > C, 2 voters B > C > A. A beats B and C 3:2 head to head (Schulze,
    # Copeland and first choices elect A), but B collects more Borda points: 7 against 6.
    ballots = [[[A], [B], [C]]] * 3 + [[[B], [C], [A]]] * 2
    count = count_ranking([A, B, C], ballots)
    assert count["borda"]["scores"] == {A: 6.0, B: 7.0, C: 2.0}

    result = disagreements(count, labels={A: "Radweg", B: {"de": "Bücherei", "en": "Library"}})

    assert result["winners"] == {"schulze": [A], "borda": [B], "copeland": [A], "first_choices": [A]}
    assert result["same_winners"] is False
    assert result["places"][A] == {"schulze": 1, "borda": 2, "copeland": 1, "first_choices": 1}
    assert [row["option"] for row in result["differences"]] == [A, B]
    assert all(row["spread"] == 1 for row in result["differences"])
    # Against Schulze's A > B > C, Borda's B > A > C keeps 2 of 3 pairs: tau = (2 - 1) / 3.
    assert result["tau"] == {"borda": 0.333333, "copeland": 1.0, "first_choices": 1.0}
    de, en = result["summary"]["de"], result["summary"]["en"]
    assert de[0] == (
        "Die Zählverfahren ergeben verschiedene erste Plätze – Schulze: Radweg; Borda: Bücherei; "
        "Copeland: Radweg; Erststimmen: Radweg."
    )
    assert en[0] == (
        "The counting methods disagree on first place – Schulze: Radweg; Borda: Library; "
        "Copeland: Radweg; first choices: Radweg."
    )
    assert (
        de[1] == "Radweg gewinnt jeden direkten Vergleich (Condorcet-Sieger), steht aber bei Borda nicht auf Platz 1."
    )
    assert en[2] == (
        "2 measures are placed differently by the counting methods, most of all: "
        "Radweg (places 1 to 2), Library (places 1 to 2)."
    )


def test_counts_that_agree_say_so():
    ballots = [[[A], [B], [C], [D]]] * 5 + [[[B], [A], [C], [D]]] * 2 + [[[C], [A], [B], [D]]]
    result = disagreements(count_ranking([A, B, C, D], ballots))

    assert result["same_ranking"] is True
    assert result["differences"] == []
    assert result["summary"] == {
        "de": ["Alle Zählverfahren ergeben dieselbe Rangfolge."],
        "en": ["All counting methods give the same ranking."],
    }


def test_mean_and_majority_judgment_can_disagree():
    # A: a few 5s and many 1s (mean 2.6, median 1); B: steady 3s (mean 3, median 3).
    # C: steady 2s, D: steady 0s. The mean puts B first too, but the places of A and C swap.
    ballots = [{A: 5, B: 3, C: 2, D: 0}] * 2 + [{A: 1, B: 3, C: 2, D: 0}] * 3
    result = disagreements(count_score([A, B, C, D], ballots))

    assert result["counts"] == ["mean", "majority_judgment"]
    assert result["same_winners"] is True
    assert result["places"][A] == {"mean": 2, "majority_judgment": 3}
    assert result["places"][C] == {"mean": 3, "majority_judgment": 2}
    assert result["summary"]["de"][0] == "Alle Zählverfahren ergeben denselben ersten Platz: Maßnahme 12."
    assert result["summary"]["de"][1] == (
        "Bei 2 Maßnahmen unterscheiden sich die Plätze zwischen den Zählverfahren, "
        "am stärksten bei: Maßnahme 11 (Plätze 2 bis 3), Maßnahme 13 (Plätze 2 bis 3)."
    )


def test_a_method_with_one_count_has_nothing_to_disagree_on():
    from voting.tally import count_approval

    result = disagreements(count_approval([A, B], [[A], [A, B]]))

    assert result["counts"] == ["approval"]
    assert result["same_ranking"] is True
    assert result["summary"] == {"de": [], "en": []}
