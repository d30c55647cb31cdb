"""Rate limits on feedback, joining and ballots: a brake for scripts, with a clear 429, and
never so low that people behind one address (a venue, a school) cannot take part together."""

from pytest_django.asserts import assertContains

from participation import actions as core_actions
from tests import factories
from tests.voting.helpers import make_consultation
from voting import actions as voting_actions
from workshops import api as workshop_api
from workshops.actions import create_workshop

VENUE = "192.0.2.10"


def test_feedback_beyond_the_hourly_limit_is_refused_with_a_message(client, db, monkeypatch):
    monkeypatch.setattr(core_actions, "FEEDBACK_PER_HOUR", 3)
    citizen = factories.make_user()
    measure = factories.make_measure()
    client.force_login(citizen)
    url = f"/rueckmeldungen/measure/{measure.pk}/"
    for n in range(3):
        assert client.post(url, {"text": f"Rückmeldung {n}"}).status_code == 302
    response = client.post(url, {"text": "eine zu viel"})
    assert response.status_code == 429
    assertContains(response, "sehr viele Rückmeldungen", status_code=429)
    assert measure.feedback.count() == 3


def test_three_hundred_experts_join_from_one_venue(client, db):
    facilitator = factories.make_facilitator(factories.make_process())
    workshop = create_workshop(facilitator, facilitator.facilitated_processes.first(), "Großveranstaltung")
    for n in range(300):
        response = client.post(
            f"/api/workshops/{workshop.code}/join",
            {"display_name": f"Expertin {n}"},
            content_type="application/json",
            REMOTE_ADDR=VENUE,
        )
        assert response.status_code == 201, (n, response.content)
    assert workshop.participants.count() == 300


def test_joins_beyond_the_limit_get_429_and_other_addresses_do_not(client, db, monkeypatch):
    monkeypatch.setattr(workshop_api, "JOINS_PER_ADDRESS", 3)
    facilitator = factories.make_facilitator(factories.make_process())
    workshop = create_workshop(facilitator, facilitator.facilitated_processes.first(), "Klein")
    url = f"/api/workshops/{workshop.code}/join"
    for _ in range(3):
        assert (
            client.post(url, {"display_name": "A"}, content_type="application/json", REMOTE_ADDR=VENUE).status_code
            == 201
        )
    refused = client.post(url, {"display_name": "A"}, content_type="application/json", REMOTE_ADDR=VENUE)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    other = client.post(url, {"display_name": "B"}, content_type="application/json", REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 201


def test_a_school_class_votes_from_one_address_and_a_script_is_stopped(client, db, monkeypatch):
    consultation, _facilitator, ids = make_consultation(method="approval", eligibility="open")
    url = f"/api/consultations/{consultation.pk}/ballot"
    for n in range(30):  # one browser (cookie) each, one school address
        client.cookies.clear()
        response = client.put(
            url, {"ballot": {"approve": [ids[n % 4]]}}, content_type="application/json", REMOTE_ADDR=VENUE
        )
        assert response.status_code == 201, (n, response.content)
    monkeypatch.setattr(voting_actions, "BALLOTS_PER_ADDRESS_PER_HOUR", 30)
    client.cookies.clear()
    refused = client.put(url, {"ballot": {"approve": [ids[0]]}}, content_type="application/json", REMOTE_ADDR=VENUE)
    assert refused.status_code == 429
    assert consultation.ballots.count() == 30


def put_with_code(client, url, code, measure):
    """A ballot approving ``measure``, sent with an access code from the venue's address."""
    return client.put(
        url, {"access_code": code, "ballot": {"approve": [measure]}}, content_type="application/json", REMOTE_ADDR=VENUE
    )


def test_eligible_voters_behind_one_address_are_never_limited(client, db, monkeypatch):
    """A town-hall terminal: every holder of an access code votes, whatever the address count."""
    monkeypatch.setattr(voting_actions, "BALLOTS_PER_ADDRESS_PER_HOUR", 2)
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes, _batch = voting_actions.generate_access_codes(facilitator, consultation, 6)
    url = f"/api/consultations/{consultation.pk}/ballot"
    for code in codes:
        response = put_with_code(client, url, code, ids[0])
        assert response.status_code == 201, response.content
    assert consultation.ballots.count() == 6


def test_a_school_that_mistypes_many_access_codes_is_not_locked_out(client, db):
    """A hundred typing mistakes behind one school address; every pupil can still vote."""
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    codes, _batch = voting_actions.generate_access_codes(facilitator, consultation, 3)
    url = f"/api/consultations/{consultation.pk}/ballot"
    for n in range(100):
        assert put_with_code(client, url, f"FALSCH{n:010d}", ids[0]).status_code == 403
    for code in codes:
        assert put_with_code(client, url, code, ids[1]).status_code == 201
