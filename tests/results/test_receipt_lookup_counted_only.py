"""A receipt looked up publicly: with receipt lookup "counted" (the default for budgets)
it says only that the ballot was counted, unchanged since the receipt was given, and
never what is on it; with "content" it shows the ballot as before."""

import pytest

from tests.voting.helpers import make_consultation
from voting.actions import close_consultation

from .published import auth, cast, make_voter, published_consultation

pytestmark = pytest.mark.django_db

# Costs 1000, 2000, 3000, 4000 EUR; a budget of 5000 EUR.
BUDGET = {"use_costs": True, "budget": 5000}


def budget_ballots():
    return [
        lambda i: {"points": {str(i[0]): 1, str(i[3]): 1}},
        lambda i: {"points": {str(i[1]): 1, str(i[2]): 1}},
        lambda i: {"points": {str(i[2]): 1}},
    ]


def lookup(client, consultation, receipt, **headers):
    return client.get(f"/api/consultations/{consultation.pk}/ballots", {"receipt": receipt}, **headers)


def test_a_budget_receipt_says_counted_and_nothing_about_the_vote(client):
    consultation, _, _, voters, _ = published_consultation(
        client, method="points", ballots=budget_ballots(), settings=BUDGET
    )
    assert consultation.receipt_lookup == "counted"
    for _, receipt in voters:
        response = lookup(client, consultation, receipt.lower().replace("-", " "))
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"receipt", "counted", "message"}
        assert body["receipt"] == receipt and body["counted"] is True
        assert "gezählt" in body["message"] and "neue Quittung" in body["message"]
        # Nothing of the ballot in the answer.
        assert "points" not in response.content.decode()


def test_the_counted_answer_speaks_english(client):
    consultation, _, _, voters, _ = published_consultation(
        client, method="points", ballots=budget_ballots(), settings=BUDGET
    )
    body = lookup(client, consultation, voters[0][1], HTTP_ACCEPT_LANGUAGE="en").json()
    assert "was counted" in body["message"] and "new receipt" in body["message"]


def test_counted_only_unknown_and_malformed_receipts_answer_as_before(client):
    consultation, *_ = published_consultation(client, method="points", ballots=budget_ballots(), settings=BUDGET)
    assert lookup(client, consultation, "ACDE-FGHJ-KMNP").status_code == 404
    assert lookup(client, consultation, "12").status_code == 400


def test_a_budget_can_show_the_content_when_the_facilitator_chooses_so(client):
    consultation, _, ids, voters, _ = published_consultation(
        client, method="points", ballots=budget_ballots(), settings=BUDGET, receipt_lookup="content"
    )
    body = lookup(client, consultation, voters[1][1]).json()
    assert body == {"receipt": voters[1][1], "content": {"points": {str(ids[1]): 1, str(ids[2]): 1}}}


def test_any_method_can_show_only_counted(client):
    consultation, _, _, voters, _ = published_consultation(client, method="ranking", receipt_lookup="counted")
    body = lookup(client, consultation, voters[2][1]).json()
    assert body["counted"] is True and "content" not in body


def test_the_page_says_counted_without_the_ballot(client):
    consultation, _, _, voters, _ = published_consultation(
        client, method="points", ballots=budget_ballots(), settings=BUDGET
    )
    html = client.get(f"/ergebnisse/{consultation.pk}/", {"receipt": voters[0][1]}).content.decode()
    section = html[html.index('id="receipt-title"') :]
    found = section[section.index('class="receipt-result"') :]
    assert 'role="status"' in section[: section.index("</div>", section.index('class="receipt-result"'))]
    assert "Ihr Stimmzettel wurde gezählt." in found and voters[0][1] in found
    assert "neue Quittung" in found
    # The ballot (measures A and D) is not spelt out: no list of measures in the answer.
    answer = found[: found.index("</div>")]
    assert "Maßnahme" not in answer and "<li>" not in answer
    assert "Ihr Stimmzettel ist enthalten." not in html
    # The form explains beforehand what a receipt shows here, tied to the field for screen readers.
    assert 'aria-describedby="receipt-help"' in section and 'id="receipt-help"' in section


def test_the_page_says_counted_in_english(client):
    consultation, _, _, voters, _ = published_consultation(
        client, method="points", ballots=budget_ballots(), settings=BUDGET
    )
    html = client.get(f"/en/ergebnisse/{consultation.pk}/", {"receipt": voters[0][1]}).content.decode()
    found = html[html.index('class="receipt-result"') :]
    assert "Your ballot was counted." in found
    assert "new receipt" in found


def test_the_page_shows_the_ballot_where_the_receipt_shows_content(client):
    consultation, _, _, voters, _ = published_consultation(
        client, method="points", ballots=budget_ballots(), settings=BUDGET, receipt_lookup="content"
    )
    html = client.get(f"/ergebnisse/{consultation.pk}/", {"receipt": voters[0][1]}).content.decode()
    found = html[html.index('class="receipt-result"') :]
    assert "Ihr Stimmzettel ist enthalten." in found
    assert "Maßnahme A: 1" in found and "Maßnahme D: 1" in found
    assert 'id="receipt-help"' not in html


def test_a_receipt_replaced_by_a_change_is_not_found_and_the_new_one_is_counted(client):
    consultation, facilitator, ids = make_consultation(method="points", settings=BUDGET)
    voter = make_voter()
    client.force_login(voter)
    url = f"/api/consultations/{consultation.pk}/ballot"
    first = client.put(url, {"ballot": {"points": {str(ids[0]): 1}}}, content_type="application/json")
    second = client.put(url, {"ballot": {"points": {str(ids[1]): 1}}}, content_type="application/json")
    client.logout()
    assert first.status_code == 201 and second.status_code in (200, 201)
    old, new = first.json()["receipt"], second.json()["receipt"]
    assert old != new
    cast(client, consultation, {"points": {str(ids[2]): 1}})
    from results.actions import publish

    publish(facilitator, close_consultation(facilitator, consultation))
    assert lookup(client, consultation, old).status_code == 404
    assert lookup(client, consultation, new).json()["counted"] is True
    html = client.get(f"/ergebnisse/{consultation.pk}/", {"receipt": old}).content.decode()
    assert "Diese Quittung wurde nicht gefunden." in html
    assert "gilt nur die Quittung, die Sie zuletzt erhalten haben" in html


def test_the_facilitator_gets_no_more_from_the_lookup_than_anyone(client):
    consultation, facilitator, _, voters, _ = published_consultation(
        client, method="points", ballots=budget_ballots(), settings=BUDGET
    )
    body = lookup(client, consultation, voters[0][1], **auth(facilitator)).json()
    assert "content" not in body
