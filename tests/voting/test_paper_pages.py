"""Paper ballots through the pages, without JavaScript: the facilitator names election
workers, two workers type a paper ballot differently, a third settles it; only then it
counts. Strangers never see the entry page."""

import pytest
from django.test import Client

from tests import factories
from voting import actions, paper_actions
from voting.models import Ballot, Channel, ElectionWorker, PaperBallot, PaperState

from .helpers import make_consultation

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_workers_named_on_the_management_page_type_a_ballot_twice_and_a_third_settles_it():
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    (code,), _batch = actions.generate_access_codes(facilitator, consultation, 1)
    manager = signed_in(facilitator)
    workers = [factories.make_user(username=f"helferin{n}") for n in range(3)]
    for worker in workers:
        response = manager.post(
            f"/befragungen/{consultation.pk}/verwaltung/wahlhelfer/", {"username": worker.username}, follow=True
        )
        assert f"{worker.username} gibt jetzt Papierstimmzettel ein." in response.content.decode()
    page = manager.get(f"/befragungen/{consultation.pk}/verwaltung/").content.decode()
    assert "Papierstimmzettel" in page and "helferin2 entfernen" in page
    url = f"/befragungen/{consultation.pk}/papier/"

    first, second, third = (signed_in(worker) for worker in workers)
    entry = first.get(url).content.decode()
    assert "Papierstimmzettel eingeben" in entry and 'name="approve"' in entry and "ballot.js" not in entry
    said = first.post(url, {"access_code": code, "approve": [ids[0]]}, follow=True).content.decode()
    assert "Eingegeben. Der Stimmzettel zählt, sobald eine zweite Person ihn gleich eingibt." in said
    said = second.post(url, {"access_code": code, "approve": [ids[1]]}, follow=True).content.decode()
    assert "die Eingaben weichen voneinander ab" in said
    assert "Eingaben weichen ab" in said and f"…{code.replace('-', '')[-4:]}" in said
    assert not Ballot.objects.exists()

    settled = third.post(url, {"access_code": code, "approve": [ids[1]], "resolve": "yes"}, follow=True)
    assert "Eingegeben und gezählt" in settled.content.decode()
    ballot = Ballot.objects.get()
    assert ballot.content == {"approve": [ids[1]]} and ballot.channel == Channel.PAPER

    manager.post(f"/befragungen/{consultation.pk}/verwaltung/wahlhelfer/{workers[2].pk}/entfernen/")
    assert ElectionWorker.objects.count() == 2
    assert third.get(url).status_code == 404


def test_a_wrong_code_on_the_entry_page_is_said_and_nothing_is_stored():
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    worker = factories.make_user(username="helfer")
    signed_in(facilitator).post(f"/befragungen/{consultation.pk}/verwaltung/wahlhelfer/", {"username": "helfer"})
    response = signed_in(worker).post(
        f"/befragungen/{consultation.pk}/papier/", {"access_code": "AAAA-AAAA-AAAA-AAAA", "approve": [ids[0]]}
    )
    assert response.status_code in (400, 403)
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_strangers_do_not_find_the_entry_page(who):
    consultation, facilitator, _ids = make_consultation(method="approval", eligibility="access_code")
    client = Client() if who == "anonymous" else signed_in(factories.make_user())
    response = client.get(f"/befragungen/{consultation.pk}/papier/")
    assert response.status_code == (302 if who == "anonymous" else 404)
    other, *_ = make_consultation(method="approval", eligibility="account")
    assert signed_in(facilitator).get(f"/befragungen/{other.pk}/papier/").status_code == 404


def test_two_workers_mark_a_ballot_spoiled_without_javascript_and_a_third_settles_a_mismatch():
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes, _batch = actions.generate_access_codes(facilitator, consultation, 2)
    workers = [factories.make_user(username=f"zaehlerin{n}") for n in range(3)]
    for worker in workers:
        paper_actions.add_election_worker(facilitator, consultation, worker)
    first, second, third = (signed_in(worker) for worker in workers)
    url = f"/befragungen/{consultation.pk}/papier/"
    assert 'name="spoiled"' in first.get(url).content.decode()
    # Marks ticked by mistake beside "spoiled" are not read.
    said = first.post(url, {"access_code": codes[0], "spoiled": "yes", "approve": [ids[0]]}, follow=True)
    assert "Eingegeben. Der Stimmzettel zählt" in said.content.decode()
    said = second.post(url, {"access_code": codes[0], "spoiled": "yes"}, follow=True).content.decode()
    assert "Eingegeben und als ungültig vermerkt" in said
    assert PaperBallot.objects.get().state == PaperState.SPOILED and not Ballot.objects.exists()

    first.post(url, {"access_code": codes[1], "spoiled": "yes"})
    said = second.post(url, {"access_code": codes[1], "approve": [ids[1]]}, follow=True).content.decode()
    assert "die Eingaben weichen voneinander ab" in said
    settled = third.post(url, {"access_code": codes[1], "approve": [ids[1]], "resolve": "yes"}, follow=True)
    assert "Eingegeben und gezählt" in settled.content.decode()
    assert Ballot.objects.get().content == {"approve": [ids[1]]}
    # A wrong code with "spoiled" keeps the box ticked for the next try.
    again = first.post(url, {"access_code": "AAAA-AAAA-AAAA-AAAA", "spoiled": "yes"})
    assert (
        again.status_code in (400, 403)
        and 'id="paper-spoiled" name="spoiled" value="yes" checked' in again.content.decode()
    )
