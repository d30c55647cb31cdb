"""The public result page renders a published result of every method, with its
method explained, the chart and the table, the hash and the downloads."""

import pytest

from results.actions import publish
from tests.voting.helpers import make_consultation
from voting.actions import close_consultation

from .published import published_consultation

pytestmark = pytest.mark.django_db

CASES = {
    "approval": ({}, [lambda i: {"approve": [i[0], i[2]]}, lambda i: {"approve": [i[2]]}], "zugestimmt"),
    "score": (
        {},
        [lambda i: {"scores": {str(i[0]): 5, str(i[1]): 0}}, lambda i: {"scores": {str(i[1]): 3}}],
        "Mehrheitsurteil",
    ),
    "ranking": ({}, None, "Schulze-Methode"),
    "points": (
        {"budget_points": 10},
        [lambda i: {"points": {str(i[0]): 7, str(i[3]): 3}}, lambda i: {"points": {str(i[3]): 10}}],
        "Budget an Punkten",
    ),
}


@pytest.mark.parametrize("method", sorted(CASES))
def test_result_page_of_each_method(client, method):
    settings, ballots, explained = CASES[method]
    consultation, _, _, _, snapshot = published_consultation(client, method=method, ballots=ballots, settings=settings)
    response = client.get(f"/ergebnisse/{consultation.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Welche Maßnahmen zuerst?</h1>" in html
    assert explained in html
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert snapshot.sha256 in html
    for fmt in ("csv", "xlsx", "json", "pdf"):
        assert f"/api/consultations/{consultation.pk}/export?format={fmt}" in html
    assert f"/api/consultations/{consultation.pk}/open-data" in html
    assert "python manage.py recount BUNDLE.zip" in html


def test_pairwise_result_page(client):
    consultation, facilitator, (a, b, c, d) = make_consultation(method="pairwise", eligibility="open")
    for left, right in [(a, b), (a, c), (c, b), (d, b)]:
        client.post(
            f"/api/consultations/{consultation.pk}/pairs",
            {"left": left, "right": right, "choice": "left"},
            "application/json",
        )
    publish(facilitator, close_consultation(facilitator, consultation))
    html = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    assert "Bradley-Terry" in html
    assert 'role="img"' in html
    # A wiki survey has no receipts to look up.
    assert 'name="receipt"' not in html


def test_ranking_page_shows_the_other_counts_beside_schulze(client):
    consultation, *_ = published_consultation(client)
    html = client.get(f"/ergebnisse/{consultation.pk}/").content.decode()
    other = html[html.index('id="other-counts-title"') :]
    for label in ("Borda-Punkte", "Copeland-Punkte", "Erste Plätze"):
        assert label in other


def test_english_page_shows_english_notes(client):
    consultation, *_, snapshot = published_consultation(client)
    notes = snapshot.result["uncertainty"]["notes"]
    html = client.get(f"/en/ergebnisse/{consultation.pk}/").content.decode()
    for note in notes["en"]:
        assert note in html or note.replace("'", "&#x27;") in html
