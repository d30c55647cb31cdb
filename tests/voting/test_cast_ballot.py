"""Casting, changing and resubmitting ballots of every method; bad ballots store nothing."""

import pytest

from tests import factories
from voting.models import Ballot, VoterRecord

from .helpers import make_consultation

pytestmark = pytest.mark.django_db


def put(client, consultation, ballot, **extra):
    payload = {"ballot": ballot, **extra}
    return client.put(f"/api/consultations/{consultation.pk}/ballot", payload, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "method_settings", "make_ballot"),
    [
        ("approval", {"max_approvals": 2}, lambda ids: {"approve": [ids[0], ids[2]]}),
        ("score", {}, lambda ids: {"scores": {str(ids[0]): 5, str(ids[1]): 0}}),
        ("ranking", {}, lambda ids: {"ranking": [[ids[2]], [ids[0], ids[1]]]}),
        ("points", {"budget_points": 10}, lambda ids: {"points": {str(ids[1]): 7, str(ids[3]): 3}}),
        ("points", {"use_costs": True, "budget": 5000}, lambda ids: {"points": {str(ids[0]): 1, str(ids[3]): 1}}),
    ],
)
def test_a_verified_citizen_casts_and_gets_a_receipt(client, method, method_settings, make_ballot):
    consultation, _, ids = make_consultation(method=method, settings=method_settings)
    client.force_login(factories.make_user())
    response = put(client, consultation, make_ballot(ids))
    assert response.status_code == 201, response.content
    receipt = response.json()["receipt"]
    assert len(receipt) == 14 and receipt.count("-") == 2
    again = put(client, consultation, make_ballot(ids))
    assert again.status_code == 200
    assert again.json() == {"receipt": receipt, "created": False, "changed": False}
    assert Ballot.objects.count() == 1 and VoterRecord.objects.count() == 1
    mine = client.get(f"/api/consultations/{consultation.pk}/ballot").json()
    assert mine["receipt"] == receipt


def test_changing_the_ballot_keeps_one_ballot_and_the_last_one_counts(client):
    consultation, _, ids = make_consultation(method="ranking")
    client.force_login(factories.make_user())
    first = put(client, consultation, {"ranking": [[ids[0]], [ids[1]]]}).json()
    second = put(client, consultation, {"ranking": [[ids[3]], [ids[2]], [ids[1]]]}).json()
    assert second["changed"] is True and second["receipt"] != first["receipt"]
    assert Ballot.objects.get().content == {"ranking": [[ids[3]], [ids[2]], [ids[1]]]}
    assert Ballot.objects.get().receipt == second["receipt"]
    # The same ballot again keeps its receipt.
    again = put(client, consultation, {"ranking": [[ids[3]], [ids[2]], [ids[1]]]}).json()
    assert again == {"receipt": second["receipt"], "created": False, "changed": False}
    assert VoterRecord.objects.get().changes == 1


BAD_BALLOTS = [
    ("approval", {"max_approvals": 2}, lambda ids: {"approve": [ids[0], ids[1], ids[2]]}, "höchstens 2"),
    ("approval", {}, lambda ids: {"approve": [ids[0], ids[0]]}, "zweimal"),
    ("approval", {}, lambda ids: {"approve": [999999]}, "nicht auf diesem Stimmzettel"),
    ("approval", {}, lambda ids: {"approve": "alle"}, "Liste"),
    ("approval", {}, lambda ids: {"scores": {}}, "genau dem Schlüssel"),
    ("score", {}, lambda ids: {"scores": {str(ids[0]): 6}}, "von 0 bis 5"),
    ("score", {}, lambda ids: {"scores": {str(ids[0]): -1}}, "von 0 bis 5"),
    ("score", {}, lambda ids: {"scores": {str(ids[0]): 2.5}}, "ganze Zahl"),
    ("score", {}, lambda ids: {"scores": {str(ids[0]): 2, f" {ids[0]}": 3}}, "zweimal"),
    ("ranking", {}, lambda ids: {"ranking": [ids[0], ids[1]]}, "Gruppen"),
    ("ranking", {}, lambda ids: {"ranking": [[ids[0]], [ids[0]]]}, "zweimal"),
    ("ranking", {}, lambda ids: {"ranking": [[]]}, "Gruppen"),
    ("points", {"budget_points": 10}, lambda ids: {"points": {str(ids[0]): 11}}, "10 Punkte"),
    ("points", {}, lambda ids: {"points": {str(ids[0]): -5, str(ids[1]): 10}}, "nicht negativ"),
    (
        "points",
        {"use_costs": True, "budget": 2500},
        lambda ids: {"points": {str(ids[0]): 1, str(ids[1]): 1}},
        "Budget von 2500 EUR",
    ),
]


@pytest.mark.parametrize(("method", "method_settings", "make_ballot", "reason"), BAD_BALLOTS)
def test_a_bad_ballot_is_refused_with_the_reason_and_nothing_is_stored(
    client, method, method_settings, make_ballot, reason
):
    consultation, _, ids = make_consultation(method=method, settings=method_settings)
    client.force_login(factories.make_user())
    response = put(client, consultation, make_ballot(ids))
    assert response.status_code == 400, response.content
    assert reason in response.json()["ballot"][0]
    assert Ballot.objects.count() == 0 and VoterRecord.objects.count() == 0


def test_missing_ballot_or_non_object_body(client):
    consultation, _, _ = make_consultation()
    client.force_login(factories.make_user())
    url = f"/api/consultations/{consultation.pk}/ballot"
    assert client.put(url, {}, content_type="application/json").status_code == 400
    assert client.put(url, [1, 2], content_type="application/json").status_code == 400
    assert client.put(url, "{nope", content_type="application/json").status_code == 400


def test_account_eligibility_needs_a_signed_in_verified_account(client):
    consultation, _, ids = make_consultation(method="approval")
    assert put(client, consultation, {"approve": [ids[0]]}).status_code == 401
    client.force_login(factories.make_user(verified=False))
    assert put(client, consultation, {"approve": [ids[0]]}).status_code == 403
    assert Ballot.objects.count() == 0


def test_after_closing_nothing_can_be_cast_or_changed(client):
    from voting.actions import close_consultation

    consultation, facilitator, ids = make_consultation(method="approval")
    client.force_login(factories.make_user())
    assert put(client, consultation, {"approve": [ids[0]]}).status_code == 201
    close_consultation(facilitator, consultation)
    response = put(client, consultation, {"approve": [ids[1]]})
    assert response.status_code == 409 and "beendet" in response.json()["detail"]
    assert Ballot.objects.get().content == {"approve": [ids[0]]}


def test_not_yet_open_consultations_refuse_ballots(client):
    consultation, facilitator, ids = make_consultation(method="approval", open_now=False)
    client.force_login(factories.make_user())
    assert put(client, consultation, {"approve": [ids[0]]}).status_code == 404  # a draft is invisible


def test_open_consultations_allow_one_ballot_per_browser(client):
    consultation, _, ids = make_consultation(method="approval", eligibility="open")
    first = put(client, consultation, {"approve": [ids[0]]})
    assert first.status_code == 201
    assert "consultation_voter" in first.cookies
    second = put(client, consultation, {"approve": [ids[1]]})  # same browser: a change
    assert second.status_code == 200 and second.json()["receipt"] != first.json()["receipt"]
    client.cookies.clear()
    assert put(client, consultation, {"approve": [ids[1]]}).status_code == 201  # another browser
    assert Ballot.objects.count() == 2
