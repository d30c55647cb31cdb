"""Unpublished results do not exist for the public: 404, and nothing in the list."""

import pytest

from tests.voting.helpers import make_consultation

from .published import closed_consultation, published_consultation

pytestmark = pytest.mark.django_db


def test_closed_but_unpublished_result_is_404(client):
    consultation, facilitator, *_ = closed_consultation(client)
    assert client.get(f"/ergebnisse/{consultation.pk}/").status_code == 404
    assert "Welche Maßnahmen zuerst?" not in client.get("/ergebnisse/").content.decode()


def test_open_consultation_has_no_result_page(client):
    consultation, _, _ = make_consultation("ranking", interim_results=True)
    assert client.get(f"/ergebnisse/{consultation.pk}/").status_code == 404


def test_list_shows_the_latest_snapshot(client):
    consultation, *_, snapshot = published_consultation(client)
    html = client.get("/ergebnisse/").content.decode()
    assert f"/ergebnisse/{consultation.pk}/" in html
    assert snapshot.sha256[:12] in html
    assert consultation.process.title in html


def test_unpublished_process_hides_its_results(client):
    consultation, *_ = published_consultation(client)
    consultation.process.published = False
    consultation.process.save()
    assert client.get(f"/ergebnisse/{consultation.pk}/").status_code == 404
    assert client.get(f"/ergebnisse/prozesse/{consultation.process.slug}/").status_code == 404
