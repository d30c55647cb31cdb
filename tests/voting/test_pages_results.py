"""Results on the consultation page: interim results only where the consultation
allows them; the facilitator sees the count on the management page."""

import pytest

from results.actions import publish
from tests.voting.helpers import make_consultation
from voting import actions


def vote(consultation, n, ballot):
    for i in range(n):
        voter = actions.Voter(consultation.pk, browser_hash=f"{ballot}-{i}".ljust(64, "x"))
        actions.cast_ballot(consultation, voter, ballot)


@pytest.mark.django_db
def test_interim_results_are_shown_when_allowed(client):
    consultation, _, ids = make_consultation("approval", "open", interim_results=True)
    vote(consultation, 2, {"approve": [ids[1]]})
    vote(consultation, 1, {"approve": [ids[0], ids[1]]})
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert "Zwischenergebnis" in html
    section = html[html.index('id="results-title"') :]
    assert "3 Stimmen" in section
    # Maßnahme B (3 approvals) first, then Maßnahme A (1).
    assert section.index("Maßnahme B") < section.index("Maßnahme A")
    assert '<th scope="row">Maßnahme B</th><td>3</td>' in section


@pytest.mark.django_db
def test_no_results_on_the_public_page_without_interim_results(client):
    consultation, facilitator, ids = make_consultation("approval", "open")
    vote(consultation, 2, {"approve": [ids[1]]})
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    assert 'id="results-title"' not in html
    client.force_login(facilitator)
    html = client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert "Zwischenstand (nur für die Moderation)" in html
    assert '<th scope="row">Maßnahme B</th><td>2</td>' in html


@pytest.mark.django_db
def test_ranking_results_show_schulze_with_borda_and_copeland_once_published(client):
    # Intent changed with the results module: after closing, the public sees the
    # final result only once a facilitator has published it.
    consultation, facilitator, ids = make_consultation("ranking", "open", interim_results=True)
    vote(consultation, 3, {"ranking": [[ids[2]], [ids[0]]]})
    actions.close_consultation(facilitator, consultation)
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    section = html[html.index('id="results-title"') :]
    assert "Das Ergebnis wird nach der Prüfung veröffentlicht." in section
    assert "Schulze-Methode" not in section
    publish(facilitator, consultation)
    html = client.get(f"/befragungen/{consultation.pk}/").content.decode()
    section = html[html.index('id="results-title"') :]
    assert ">Ergebnis<" in section
    for name in ("Schulze-Methode", "Borda-Punkte", "Copeland-Punkte"):
        assert name in section
