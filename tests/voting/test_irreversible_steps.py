"""Steps that cannot be undone ask for a ticked confirmation that spells out the
consequences, checked on the server (so it holds without JavaScript): opening or
scheduling a consultation, closing it, publishing a result. Without the tick nothing
changes and the page says what is missing; with it the step is taken."""

from datetime import timedelta

import pytest
from django.utils import timezone

from participation.models import AuditLogEntry
from results.models import ResultSnapshot
from tests import factories
from tests.results.published import closed_consultation
from tests.voting.helpers import make_consultation

pytestmark = pytest.mark.django_db


def manage_url(consultation):
    return f"/befragungen/{consultation.pk}/verwaltung/"


def state(consultation):
    consultation.refresh_from_db()
    return consultation.state, consultation.phase, consultation.opens_at


@pytest.mark.parametrize("confirm", [None, "", "no", "on"])
def test_opening_without_the_confirmation_changes_nothing(client, confirm):
    draft, facilitator, ids = make_consultation("ranking", "open", open_now=False)
    client.force_login(facilitator)
    before = state(draft)
    data = {} if confirm is None else {"confirm": confirm}
    response = client.post(manage_url(draft) + "oeffnen/", data, follow=True)
    assert response.redirect_chain[-1][0] == manage_url(draft)
    assert "Bitte bestätigen Sie, dass die Befragung jetzt geöffnet werden soll." in response.content.decode()
    assert state(draft) == before == ("draft", "draft", None)
    assert not AuditLogEntry.objects.filter(action="consultation.open").exists()


def test_opening_with_the_confirmation_opens(client):
    draft, facilitator, ids = make_consultation("ranking", "open", open_now=False)
    client.force_login(facilitator)
    response = client.post(manage_url(draft) + "oeffnen/", {"confirm": "yes"}, follow=True)
    assert "Die Befragung ist geöffnet." in response.content.decode()
    assert state(draft)[:2] == ("open", "open")


def test_scheduling_needs_the_confirmation_too(client):
    draft, facilitator, ids = make_consultation(
        "score", "open", open_now=False, opens_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(facilitator)
    response = client.post(manage_url(draft) + "planen/", follow=True)
    assert "Bitte bestätigen Sie, dass die Befragung veröffentlicht werden soll." in response.content.decode()
    assert state(draft)[:2] == ("draft", "draft")
    client.post(manage_url(draft) + "planen/", {"confirm": "yes"})
    assert state(draft)[:2] == ("open", "scheduled")


def test_the_management_page_asks_to_tick_the_consequences_before_opening(client):
    draft, facilitator, ids = make_consultation(
        "score", "open", open_now=False, opens_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(facilitator)
    html = client.get(manage_url(draft)).content.decode()
    assert '<input type="checkbox" id="confirm-open" name="confirm" value="yes" required>' in html
    assert "Sie kann danach nicht wieder zum Entwurf werden" in html
    # One tick serves both ways of going public.
    assert f'formaction="/befragungen/{draft.pk}/verwaltung/planen/"' in html
    assert f'action="/befragungen/{draft.pk}/verwaltung/oeffnen/"' in html


def test_others_cannot_open_even_with_the_confirmation(client):
    draft, facilitator, ids = make_consultation("ranking", "open", open_now=False)
    client.force_login(factories.make_facilitator(factories.make_process()))
    assert client.post(manage_url(draft) + "oeffnen/", {"confirm": "yes"}).status_code == 404
    assert state(draft)[0] == "draft"


def dashboard(consultation):
    return f"/ergebnisse/prozesse/{consultation.process.slug}/moderation/"


@pytest.mark.parametrize("confirm", [None, "", "on"])
def test_publishing_without_the_confirmation_changes_nothing(client, confirm):
    consultation, facilitator, *_ = closed_consultation(client)
    client.force_login(facilitator)
    data = {} if confirm is None else {"confirm": confirm}
    response = client.post(f"/ergebnisse/{consultation.pk}/veroeffentlichen/", data, follow=True)
    assert response.redirect_chain[-1][0] == dashboard(consultation)
    assert "Bitte bestätigen Sie, dass das Ergebnis veröffentlicht werden soll." in response.content.decode()
    assert not ResultSnapshot.objects.exists()
    assert client.get(f"/ergebnisse/{consultation.pk}/").status_code == 404


def test_publishing_with_the_confirmation_publishes(client):
    consultation, facilitator, *_ = closed_consultation(client)
    client.force_login(facilitator)
    html = client.get(dashboard(consultation)).content.decode()
    box = f'<input type="checkbox" id="confirm-publish-{consultation.pk}" name="confirm" value="yes" required>'
    assert box in html
    assert "lässt sich nicht zurücknehmen" in html
    response = client.post(f"/ergebnisse/{consultation.pk}/veroeffentlichen/", {"confirm": "yes"}, follow=True)
    assert "Das Ergebnis ist veröffentlicht" in response.content.decode()
    assert ResultSnapshot.objects.filter(consultation=consultation).count() == 1
    assert client.get(f"/ergebnisse/{consultation.pk}/").status_code == 200
