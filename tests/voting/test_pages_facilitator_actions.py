"""The facilitator's pages: create a consultation from the form, open, schedule and
close it, decide on proposals, and watch turnout."""

from datetime import timedelta

import pytest
from django.utils import timezone

from participation.models import MeasureOrigin
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions
from voting.models import Consultation, Proposal


@pytest.fixture
def measures(process):
    return [
        factories.make_measure(process, title="Digitales Bürgeramt"),
        factories.make_measure(process, title="Offenes WLAN"),
        factories.make_measure(process, title="Idee aus dem Workshop", origin=MeasureOrigin.WORKSHOP),
    ]


@pytest.mark.django_db
def test_create_form_lists_the_processs_measures_with_workshop_ones_marked(facilitator_client, measures):
    html = facilitator_client.get("/befragungen/neu/").content.decode()
    assert "Idee aus dem Workshop (aus einem Expertenworkshop)" in html
    assert "Offenes WLAN" in html


@pytest.mark.django_db
def test_create_form_makes_a_draft_and_leads_to_its_management_page(facilitator_client, process, measures):
    response = facilitator_client.post(
        "/befragungen/neu/",
        {
            "process": process.pk,
            "title": "Was zuerst?",
            "description": "Bitte ordnen Sie.",
            "method": "approval",
            "measures": [m.pk for m in measures],
            "max_approvals": "2",
            "eligibility": "account",
            "opens_at": "2030-03-01T09:00",
            "closes_at": "2030-03-15T18:00",
            "interim_results": "on",
        },
    )
    consultation = Consultation.objects.get(title="Was zuerst?")
    assert response.status_code == 302
    assert response["Location"] == f"/befragungen/{consultation.pk}/verwaltung/"
    assert consultation.phase == "draft"
    assert consultation.settings == {"max_approvals": 2}
    assert consultation.interim_results is True
    assert timezone.localtime(consultation.opens_at).strftime("%Y-%m-%d %H:%M") == "2030-03-01 09:00"
    assert set(consultation.options.values_list("measure_id", flat=True)) == {m.pk for m in measures}


@pytest.mark.django_db
def test_create_form_participatory_budget_takes_the_budget(facilitator_client, process):
    measures = [factories.make_measure(process, estimated_cost=1000 * n) for n in (1, 2)]
    facilitator_client.post(
        "/befragungen/neu/",
        {
            "process": process.pk,
            "title": "Bürgerhaushalt",
            "method": "points",
            "measures": [m.pk for m in measures],
            "use_costs": "on",
            "budget": "2500",
            "eligibility": "open",
        },
    )
    assert Consultation.objects.get(title="Bürgerhaushalt").settings == {
        "use_costs": True,
        "budget": 2500,
        "budget_ballot": "knapsack",
        "budget_rule": "equal_shares",
    }


@pytest.mark.django_db
def test_create_form_shows_the_actions_refusals_beside_the_fields(facilitator_client, process, measures):
    response = facilitator_client.post(
        "/befragungen/neu/",
        {
            "process": process.pk,
            "title": "Zu wenig",
            "method": "ranking",
            "measures": [measures[0].pk],
            "eligibility": "open",
            "opens_at": "2030-03-15T09:00",
            "closes_at": "2030-03-01T09:00",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Wählen Sie 2 bis 200 Maßnahmen." in html
    assert "Das Ende muss nach dem Beginn liegen." in html
    assert not Consultation.objects.filter(title="Zu wenig").exists()


@pytest.mark.django_db
def test_create_form_does_not_offer_or_take_other_processes(client, process, measures):
    other = factories.make_process(title="Fremder Prozess")
    foreign = factories.make_measure(other, title="Fremde Maßnahme")
    client.force_login(factories.make_facilitator(process))
    html = client.get("/befragungen/neu/").content.decode()
    assert "Fremde Maßnahme" not in html
    response = client.post("/befragungen/neu/", {"process": other.pk, "title": "x", "measures": [foreign.pk]})
    assert response.status_code == 404


@pytest.mark.django_db
def test_open_and_close_buttons(client):
    consultation, facilitator, ids = make_consultation("ranking", "open", open_now=False)
    client.force_login(facilitator)
    manage = f"/befragungen/{consultation.pk}/verwaltung/"
    assert "Jetzt öffnen" in client.get(manage).content.decode()
    response = client.post(manage + "oeffnen/", {"confirm": "yes"}, follow=True)
    assert "Die Befragung ist geöffnet." in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.phase == "open"
    # Closing needs the explicit confirmation.
    response = client.post(manage + "schliessen/", follow=True)
    assert "Bitte bestätigen Sie" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.phase == "open"
    response = client.post(manage + "schliessen/", {"confirm": "yes"}, follow=True)
    assert "Die Befragung ist geschlossen." in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.phase == "closed"
    # A closed consultation cannot be opened again; the page says why.
    response = client.post(manage + "oeffnen/", {"confirm": "yes"}, follow=True)
    assert "kann nicht wieder geöffnet werden" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.phase == "closed"


@pytest.mark.django_db
def test_schedule_button_publishes_for_the_opening_time(client):
    consultation, facilitator, ids = make_consultation(
        "score", "open", open_now=False, opens_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(facilitator)
    client.post(f"/befragungen/{consultation.pk}/verwaltung/planen/", {"confirm": "yes"})
    consultation.refresh_from_db()
    assert consultation.phase == "scheduled"
    assert client.logout() is None
    assert "Geplante Befragungen" in client.get("/befragungen/").content.decode()
    assert client.get(f"/befragungen/{consultation.pk}/").status_code == 200


@pytest.mark.django_db
def test_approving_a_proposal_puts_it_on_the_ballot_and_rejecting_does_not(client):
    consultation, facilitator, ids = make_consultation("pairwise", "open")
    voter = actions.Voter(consultation.pk, browser_hash="b" * 64)
    wanted = actions.propose_measure(consultation, voter, "Digitale Sprechstunde", "Per Video.")
    unwanted = actions.propose_measure(consultation, voter, "Werbung für etwas", "")
    client.force_login(facilitator)
    manage = f"/befragungen/{consultation.pk}/verwaltung/"
    html = client.get(manage).content.decode()
    assert "„Digitale Sprechstunde“ aufnehmen" in html
    assert "„Werbung für etwas“ ablehnen" in html

    client.post(f"{manage}vorschlaege/{wanted.pk}/aufnehmen/")
    client.post(f"{manage}vorschlaege/{unwanted.pk}/ablehnen/")
    assert Proposal.objects.get(pk=wanted.pk).status == "approved"
    assert Proposal.objects.get(pk=unwanted.pk).status == "rejected"
    titles = [o.measure.title for o in consultation.options.all()]
    assert "Digitale Sprechstunde" in titles and "Werbung für etwas" not in titles
    assert len(titles) == len(ids) + 1
    # Deciding twice is refused and says so.
    response = client.post(f"{manage}vorschlaege/{wanted.pk}/ablehnen/", follow=True)
    assert "bereits entschieden" in response.content.decode()
    assert Proposal.objects.get(pk=wanted.pk).status == "approved"


@pytest.mark.django_db
def test_management_page_shows_turnout_by_hour(client):
    consultation, facilitator, ids = make_consultation("approval", "open")
    for n in range(3):
        voter = actions.Voter(consultation.pk, browser_hash=f"{n}" * 64)
        actions.cast_ballot(consultation, voter, {"approve": [ids[0]]})
    client.force_login(facilitator)
    html = client.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert "3 Personen haben teilgenommen" in html
    assert "Neue Teilnehmende je Stunde" in html
    assert "<td>3</td><td>3</td>" in html
