"""The facilitator dashboard of a process: only its facilitators; publishing from it."""

import pytest

from results.models import ResultSnapshot
from tests import factories
from workshops.models import Participant, Workshop

from .published import closed_consultation

pytestmark = pytest.mark.django_db


def url(consultation):
    return f"/ergebnisse/prozesse/{consultation.process.slug}/moderation/"


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_facilitator"])
def test_dashboard_is_404_for_others(client, who):
    consultation, *_ = closed_consultation(client)
    if who == "citizen":
        client.force_login(factories.make_user())
    elif who == "other_facilitator":
        client.force_login(factories.make_facilitator(factories.make_process()))
    assert client.get(url(consultation)).status_code == 404


def test_dashboard_shows_workshops_consultations_and_publish_button(client):
    consultation, facilitator, *_ = closed_consultation(client)
    workshop = Workshop.objects.create(process=consultation.process, title="Werkstatt <Mobilität>")
    Participant.objects.create(workshop=workshop, display_name="Ada")
    client.force_login(facilitator)
    html = client.get(url(consultation)).content.decode()
    assert "Werkstatt &lt;Mobilität&gt;" in html
    assert f"/w/{workshop.code}/console/" in html
    assert f'action="/ergebnisse/{consultation.pk}/veroeffentlichen/"' in html
    assert "Ergebnis veröffentlichen" in html
    assert f"/befragungen/{consultation.pk}/verwaltung/" in html
    assert f"/api/consultations/{consultation.pk}/export?format=xlsx&amp;source=live&amp;lang=de" in html
    # Live summary: Measure A wins with these ballots.
    assert "Vorn: Maßnahme A" in html
    assert "Noch nichts veröffentlicht." in html


def test_publishing_from_the_dashboard_creates_a_snapshot(client):
    consultation, facilitator, *_ = closed_consultation(client)
    client.force_login(facilitator)
    response = client.post(f"/ergebnisse/{consultation.pk}/veroeffentlichen/", {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == url(consultation)
    snapshot = ResultSnapshot.objects.get(consultation=consultation)
    html = response.content.decode()
    assert "Das Ergebnis ist veröffentlicht" in html
    assert snapshot.sha256 in html
    assert client.get(f"/ergebnisse/{consultation.pk}/").status_code == 200


def test_publish_form_refuses_others_and_open_consultations(client):
    from tests.voting.helpers import make_consultation

    consultation, facilitator, *_ = closed_consultation(client)
    client.force_login(factories.make_user())
    assert client.post(f"/ergebnisse/{consultation.pk}/veroeffentlichen/", {"confirm": "yes"}).status_code == 404
    assert not ResultSnapshot.objects.exists()
    open_one, owner, _ = make_consultation("ranking")
    client.force_login(owner)
    html = client.post(f"/ergebnisse/{open_one.pk}/veroeffentlichen/", {"confirm": "yes"}, follow=True).content.decode()
    assert "Nur beendete Befragungen können veröffentlicht werden." in html
    assert not ResultSnapshot.objects.exists()


def test_links_to_the_dashboard(client):
    consultation, facilitator, *_ = closed_consultation(client)
    client.force_login(facilitator)
    assert url(consultation) in client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert url(consultation) in client.get(f"/prozesse/{consultation.process.slug}/").content.decode()
    client.logout()
    assert url(consultation) not in client.get(f"/prozesse/{consultation.process.slug}/").content.decode()
