"""The demo shows every part of the platform: a workshop, an open and a published consultation,
and a published participatory budget counted by both rules."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from demo import content
from results.models import ResultSnapshot
from voting.models import Ballot, Consultation, StatementVote
from workshops.models import Card, Workshop

pytestmark = pytest.mark.django_db

DEMO = content.read()
WORKSHOP = DEMO.workshop
OPEN, CLOSED, BUDGET, OPINION = DEMO.consultations
VOTERS = CLOSED["synthetic_ballots"]["voters"]
BUDGET_VOTERS = BUDGET["synthetic_ballots"]["voters"]


def test_demo_has_a_workshop_an_open_consultation_and_a_published_result(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=None)
    workshop = Workshop.objects.get(code=WORKSHOP["code"])
    assert Card.objects.filter(workshop=workshop).count() == len(WORKSHOP["card"])
    assert client.get(f"/w/{workshop.code}/").status_code == 200
    open_one = Consultation.objects.get(title=OPEN["title"])
    assert open_one.phase == "open"
    assert client.get(f"/befragungen/{open_one.pk}/").status_code == 200
    closed = Consultation.objects.get(title=CLOSED["title"])
    snapshot = ResultSnapshot.objects.get(consultation=closed)
    assert snapshot.content["turnout"]["ballots"] == VOTERS
    assert Ballot.objects.filter(consultation=closed).count() == VOTERS
    page = client.get(f"/ergebnisse/{closed.pk}/")
    assert page.status_code == 200 and snapshot.sha256 in page.content.decode()

    budget = ResultSnapshot.objects.get(consultation__title=BUDGET["title"]).content
    assert budget["main_count"] == "equal_shares" and budget["turnout"]["ballots"] == BUDGET_VOTERS
    # The demo's two camps: the larger one alone takes the money by votes, not by equal shares.
    funding = budget["disagreements"]["funding"]
    assert not funding["same"] and funding["only"]["equal_shares"] and funding["only"]["greedy"]

    # The opinion map is open, its seeded participants already in groups.
    opinion = Consultation.objects.get(title=OPINION["title"])
    assert opinion.phase == "open"
    cache.clear()
    page = client.get(f"/befragungen/{opinion.pk}/").content.decode()
    assert (
        f"{OPINION['synthetic_answers']['participants']} Personen" in page
        and "Worin sich alle Gruppen einig sind" in page
    )
    answers = StatementVote.objects.count()

    call_command("load_demo", stdout=None)  # a second run adds nothing
    assert StatementVote.objects.count() == answers
    assert Ballot.objects.count() == VOTERS + BUDGET_VOTERS
    assert ResultSnapshot.objects.count() == 2 and Workshop.objects.count() == 1
