"""The published ballot file, and a citizen's receipt lookup in it."""

import pytest

from tests.voting.helpers import make_consultation

from .published import auth, cast, closed_consultation, published_consultation

pytestmark = pytest.mark.django_db


def test_a_citizen_finds_their_ballot_by_receipt(client):
    consultation, _, (a, b, c, d), voters, _ = published_consultation(client)
    _, receipt = voters[2]
    response = client.get(f"/api/consultations/{consultation.pk}/ballots", {"receipt": receipt})
    assert response.status_code == 200
    assert response.json() == {"receipt": receipt, "content": {"ranking": [[b], [a], [d], [c]]}}


def test_the_receipt_may_be_typed_loosely(client):
    consultation, _, _, voters, _ = published_consultation(client)
    _, receipt = voters[0]
    typed = receipt.replace("-", " ").lower()
    response = client.get(f"/api/consultations/{consultation.pk}/ballots", {"receipt": typed})
    assert response.status_code == 200
    assert response.json()["receipt"] == receipt


def test_an_unknown_receipt_is_404_and_a_malformed_one_400(client):
    consultation, *_ = published_consultation(client)
    url = f"/api/consultations/{consultation.pk}/ballots"
    assert client.get(url, {"receipt": "ACDE-FGHJ-KMNP"}).status_code == 404
    response = client.get(url, {"receipt": "12"})
    assert response.status_code == 400
    assert "receipt" in response.json()


def test_the_ballot_file_is_sorted_by_receipt_and_holds_nothing_else(client):
    consultation, _, _, voters, snapshot = published_consultation(client)
    body = client.get(f"/api/consultations/{consultation.pk}/ballots").json()
    receipts = [row["receipt"] for row in body["ballots"]]
    assert receipts == sorted(receipt for _, receipt in voters)
    assert all(set(row) == {"receipt", "content"} for row in body["ballots"])
    assert set(body) == {"schema", "consultation", "method", "ballots"}
    assert body["consultation"] == consultation.pk


def test_no_ballot_file_before_closing_and_publishing(client):
    consultation, facilitator, (a, *_) = make_consultation(method="approval")
    _, receipt = cast(client, consultation, {"approve": [a]})
    url = f"/api/consultations/{consultation.pk}/ballots"
    assert client.get(url).status_code == 404
    assert client.get(url, {"receipt": receipt}).status_code == 404
    assert client.get(url, **auth(facilitator)).status_code == 404
    closed, facilitator, _, _ = closed_consultation(client)
    assert client.get(f"/api/consultations/{closed.pk}/ballots").status_code == 404


def test_pairwise_files_hold_the_comparisons_without_receipts(client):
    consultation, facilitator, (a, b, c, d) = make_consultation(method="pairwise", eligibility="open")
    for left, right, choice in [(a, b, "left"), (c, a, "right"), (b, c, "skip"), (d, b, "left")]:
        response = client.post(
            f"/api/consultations/{consultation.pk}/pairs",
            {"left": left, "right": right, "choice": choice},
            "application/json",
        )
        assert response.status_code == 201
    from results.actions import publish
    from voting.actions import close_consultation

    publish(facilitator, close_consultation(facilitator, consultation))
    body = client.get(f"/api/consultations/{consultation.pk}/ballots").json()
    assert body["comparisons"] == sorted(
        [{"winner": a, "loser": b}, {"winner": a, "loser": c}, {"winner": d, "loser": b}],
        key=lambda row: (row["winner"], row["loser"]),
    )
    assert "ballots" not in body
