"""Receipts and codes must not prove a vote to a buyer: a changed ballot gets a new
receipt (the old one no longer finds what counts), an access code shows the ballot only
while voting is open, and each consultation says what the public receipt lookup shows."""

import pytest

from tests import factories
from voting import actions
from voting.models import Ballot, ReceiptLookup

from .helpers import make_consultation

pytestmark = pytest.mark.django_db


def ballot_url(consultation):
    return f"/api/consultations/{consultation.pk}/ballot"


def test_the_code_shows_the_ballot_while_open_and_no_longer_after_the_close(client):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="access_code")
    (code,), _ = actions.generate_access_codes(facilitator, consultation, 1)
    body = {"access_code": code, "ballot": {"approve": [ids[2]]}}
    cast = client.put(ballot_url(consultation), body, content_type="application/json")
    assert cast.status_code == 201
    shown = client.get(ballot_url(consultation), HTTP_X_ACCESS_CODE=code)
    assert shown.status_code == 200 and shown.json()["ballot"] == {"approve": [ids[2]]}

    actions.close_consultation(facilitator, consultation)
    after = client.get(ballot_url(consultation), HTTP_X_ACCESS_CODE=code)
    assert after.status_code == 409
    assert "nicht mehr angezeigt" in after.json()["detail"]
    assert str(ids[2]) not in after.content.decode()
    # The letter's link to the page no longer shows the ballot or its receipt either.
    page = client.get(f"/befragungen/{consultation.pk}/?code={code}").content.decode()
    assert cast.json()["receipt"] not in page


def test_a_signed_in_voter_no_longer_sees_the_ballot_after_the_close(client):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="account")
    client.force_login(factories.make_user())
    receipt = client.put(
        ballot_url(consultation), {"ballot": {"approve": [ids[1]]}}, content_type="application/json"
    ).json()["receipt"]
    assert receipt in client.get(f"/befragungen/{consultation.pk}/").content.decode()
    actions.close_consultation(facilitator, consultation)
    assert client.get(ballot_url(consultation)).status_code == 409
    assert receipt not in client.get(f"/befragungen/{consultation.pk}/").content.decode()


def test_a_change_gives_a_new_receipt_and_the_old_one_finds_nothing(client):
    consultation, facilitator, ids = make_consultation(method="approval", eligibility="account")
    client.force_login(factories.make_user())
    first = client.put(ballot_url(consultation), {"ballot": {"approve": [ids[0]]}}, content_type="application/json")
    second = client.put(ballot_url(consultation), {"ballot": {"approve": [ids[1]]}}, content_type="application/json")
    assert first.json()["receipt"] != second.json()["receipt"]
    assert list(Ballot.objects.values_list("receipt", flat=True)) == [second.json()["receipt"]]


@pytest.mark.parametrize(
    ("method", "method_settings", "chosen", "expected"),
    [
        ("points", {"use_costs": True, "budget": 5000}, None, ReceiptLookup.COUNTED),
        ("points", {"budget_points": 100}, None, ReceiptLookup.CONTENT),
        ("approval", {}, None, ReceiptLookup.CONTENT),
        ("approval", {}, "counted", ReceiptLookup.COUNTED),
        ("points", {"use_costs": True, "budget": 5000}, "content", ReceiptLookup.CONTENT),
    ],
)
def test_what_a_receipt_shows_is_chosen_per_consultation_counted_by_default_for_budgets(
    client, method, method_settings, chosen, expected
):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [factories.make_measure(process, title=f"M{n}", estimated_cost=1000) for n in range(3)]
    client.force_login(facilitator)
    body = {
        "process": process.pk,
        "title": "Bürgerhaushalt",
        "method": method,
        "eligibility": "account",
        "options": [m.pk for m in measures],
        "settings": method_settings,
    }
    if chosen:
        body["receipt_lookup"] = chosen
    response = client.post("/api/consultations/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["receipt_lookup"] == expected


def test_an_unknown_receipt_setting_is_refused_and_nothing_is_created(client):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [factories.make_measure(process, title=f"M{n}") for n in range(2)]
    client.force_login(facilitator)
    body = {
        "process": process.pk,
        "title": "T",
        "method": "approval",
        "eligibility": "account",
        "options": [m.pk for m in measures],
        "receipt_lookup": "everything",
    }
    response = client.post("/api/consultations/", body, content_type="application/json")
    assert response.status_code == 400 and "receipt_lookup" in response.json()
    assert not process.consultations.exists()


def test_the_facilitator_chooses_it_in_the_web_form_and_sees_it_on_the_management_page(client):
    process = factories.make_process()
    facilitator = factories.make_facilitator(process)
    measures = [factories.make_measure(process, title=f"M{n}") for n in range(2)]
    client.force_login(facilitator)
    form = client.get(f"/befragungen/neu/?process={process.pk}").content.decode()
    assert 'name="receipt_lookup"' in form
    response = client.post(
        f"/befragungen/neu/?process={process.pk}",
        {
            "process": process.pk,
            "title": "Welche zuerst?",
            "method": "approval",
            "eligibility": "account",
            "measures": [m.pk for m in measures],
            "receipt_lookup": "counted",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = process.consultations.get()
    assert consultation.receipt_lookup == ReceiptLookup.COUNTED
    manage = client.get(response["Location"]).content.decode()
    assert "nur „gezählt“" in manage
