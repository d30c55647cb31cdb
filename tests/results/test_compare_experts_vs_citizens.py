"""Experts beside citizens: both rankings, their agreement, overall and per field."""

import pytest
from scipy.stats import kendalltau

from results.compare import experts_vs_citizens

MOBILITY, EDUCATION = 1, 2
# measure: (expert score, citizen score, field)
RATED = {
    101: (9.0, 40.0, MOBILITY),
    102: (8.0, 35.0, MOBILITY),
    103: (7.0, 10.0, MOBILITY),
    104: (6.0, 30.0, MOBILITY),
    201: (5.0, 25.0, EDUCATION),
    202: (4.0, 5.0, EDUCATION),
    203: (3.0, 45.0, EDUCATION),
}


def compare(**changes):
    experts = {m: e for m, (e, _, _) in RATED.items()}
    citizens = {m: c for m, (_, c, _) in RATED.items()}
    fields = {m: f for m, (_, _, f) in RATED.items()}
    return experts_vs_citizens(experts, citizens, fields, **changes)


def test_both_rankings_side_by_side_in_the_citizens_order():
    result = compare()

    assert result["common"] == 7
    assert [row["measure"] for row in result["measures"]] == [203, 101, 102, 104, 201, 103, 202]
    first = result["measures"][0]
    assert first == {
        "measure": 203,
        "field": EDUCATION,
        "expert_score": 3.0,
        "citizen_score": 45.0,
        "expert_place": 7,
        "citizen_place": 1,
        "difference": -6,
    }


def test_overall_tau_agrees_with_scipy_and_names_agreement_and_largest_differences():
    result = compare()
    experts = [RATED[m][0] for m in RATED]
    citizens = [RATED[m][1] for m in RATED]

    assert result["tau"] == pytest.approx(kendalltau(experts, citizens).statistic, abs=1e-6)
    # Same or adjacent place: 101 (1 vs 2), 102 (2 vs 3), 104 (4 vs 4), 201 (5 vs 5), 202 (6 vs 7).
    assert result["agree"] == [101, 102, 104, 201, 202]
    # Largest differences: 203 (7 vs 1), 103 (3 vs 6).
    assert result["differ"] == [203, 103]


def test_per_field_places_are_counted_within_the_field():
    fields = compare()["fields"]

    assert list(fields) == [MOBILITY, EDUCATION]
    mobility = fields[MOBILITY]
    assert mobility["common"] == 4
    places = {row["measure"]: (row["expert_place"], row["citizen_place"]) for row in mobility["measures"]}
    assert places == {101: (1, 1), 102: (2, 2), 103: (3, 4), 104: (4, 3)}
    assert mobility["tau"] == pytest.approx(4 / 6, abs=1e-6)
    assert mobility["differ"] == []
    education = fields[EDUCATION]
    assert education["tau"] == pytest.approx(-1 / 3, abs=1e-6)
    assert education["differ"] == [203]


def test_a_field_with_a_single_common_measure_has_no_tau():
    result = experts_vs_citizens({1: 5.0, 2: 4.0, 3: 1.0}, {1: 9.0, 2: 3.0, 3: 4.0, 4: 8.0}, {1: 7, 2: 7, 3: 8})

    assert result["fields"][8]["tau"] is None
    assert result["fields"][8]["summary"]["en"] == [
        "Too few measures were rated by both experts and citizens to compare the rankings."
    ]
    assert result["fields"][7]["tau"] == 1.0
    assert 4 not in [row["measure"] for row in result["measures"]]  # citizens only: not compared


def test_no_common_measures():
    result = experts_vs_citizens({1: 2.0}, {2: 3.0}, {})

    assert result["common"] == 0 and result["tau"] is None and result["fields"] == {}


def test_summaries_in_german_and_english_with_names():
    result = compare(labels={203: {"de": "Schulgarten", "en": "School garden"}})

    assert result["summary"]["de"] == [
        "7 Maßnahmen wurden sowohl von Fachleuten als auch von Bürgerinnen und Bürgern bewertet.",
        "Die Rangfolgen stimmen schwach überein (Kendalls Tau = 0,24).",
        "Auf gleichem oder benachbartem Platz: 5 von 7 Maßnahmen.",
        "Am weitesten auseinander: Schulgarten (Fachleute Platz 7, Bürgerschaft Platz 1), "
        "Maßnahme 103 (Fachleute Platz 3, Bürgerschaft Platz 6).",
    ]
    assert result["summary"]["en"][1] == "The rankings agree weakly (Kendall's tau = 0.24)."
    assert result["summary"]["en"][3] == (
        "Furthest apart: School garden (experts place 7, citizens place 1), "
        "measure 103 (experts place 3, citizens place 6)."
    )
