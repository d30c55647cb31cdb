"""The wiki survey: pairs to compare, answers recorded, proposals approved before they enter."""

import pytest

from tests import factories
from voting.models import PairwiseVote, Proposal

from .helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db


def test_next_pair_offers_two_different_measures_and_prefers_little_seen_ones(client):
    consultation, _, ids = make_consultation(method="pairwise", eligibility="open", n_options=5)
    url = f"/api/consultations/{consultation.pk}"
    pair = client.get(f"{url}/pairs/next").json()
    assert pair["left"]["id"] != pair["right"]["id"]
    assert {pair["left"]["id"], pair["right"]["id"]} <= set(ids)
    # Many answers about the first two measures: the others should now come up more often.
    for _ in range(30):
        client.post(f"{url}/pairs", {"left": ids[0], "right": ids[1], "choice": "left"}, "application/json")
    shown = [client.get(f"{url}/pairs/next").json() for _ in range(40)]
    seen = [p["left"]["id"] for p in shown] + [p["right"]["id"] for p in shown]
    fresh = sum(1 for m in seen if m in ids[2:])
    assert fresh > len(seen) * 0.6


def test_bad_pair_answers_are_refused(client):
    consultation, _, ids = make_consultation(method="pairwise", eligibility="open")
    url = f"/api/consultations/{consultation.pk}/pairs"
    for payload, field in [
        ({"left": ids[0], "right": ids[0], "choice": "left"}, "right"),
        ({"left": 999999, "right": ids[0], "choice": "left"}, "left"),
        ({"left": ids[0], "right": ids[1], "choice": "beide"}, "choice"),
        ({"left": "1", "right": ids[1], "choice": "left"}, "left"),
    ]:
        response = client.post(url, payload, "application/json")
        assert response.status_code == 400 and field in response.json(), payload
    assert PairwiseVote.objects.count() == 0


def test_a_citizen_proposal_enters_the_survey_only_after_approval(client):
    consultation, facilitator, ids = make_consultation(method="pairwise", eligibility="open")
    url = f"/api/consultations/{consultation.pk}"
    response = client.post(
        f"{url}/proposals", {"title": "Trinkbrunnen mit Füllstandsanzeige", "description": "…"}, "application/json"
    )
    assert response.status_code == 201
    proposal = response.json()
    assert proposal["status"] == "pending"
    assert client.get(f"{url}/proposals").json() == []  # the public sees approved proposals only
    listed = client.get(f"{url}/proposals", **token_header(facilitator)).json()
    assert [p["title"] for p in listed] == ["Trinkbrunnen mit Füllstandsanzeige"]
    assert client.post(f"{url}/proposals/{proposal['id']}/approve").status_code == 401
    citizen = token_header(factories.make_user())
    assert client.post(f"{url}/proposals/{proposal['id']}/approve", **citizen).status_code == 403
    approved = client.post(f"{url}/proposals/{proposal['id']}/approve", **token_header(facilitator))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    measure = approved.json()["measure"]
    assert client.get(f"{url}/").json()["options"][-1] == measure
    assert client.post(f"{url}/proposals/{proposal['id']}/reject", **token_header(facilitator)).status_code == 409


def test_proposals_are_limited_per_voter_and_checked(client):
    consultation, _, _ = make_consultation(method="pairwise", eligibility="open")
    url = f"/api/consultations/{consultation.pk}/proposals"
    assert client.post(url, {"title": ""}, "application/json").status_code == 400
    assert client.post(url, {"title": "x" * 201}, "application/json").status_code == 400
    for n in range(5):
        assert client.post(url, {"title": f"Idee {n}"}, "application/json").status_code == 201
    assert client.post(url, {"title": "Idee 6"}, "application/json").status_code == 429
    assert Proposal.objects.count() == 5


def test_ballots_are_refused_in_pairwise_and_pairs_elsewhere(client):
    consultation, _, ids = make_consultation(method="pairwise", eligibility="open")
    response = client.put(
        f"/api/consultations/{consultation.pk}/ballot", {"ballot": {"approve": [ids[0]]}}, "application/json"
    )
    assert response.status_code == 409
    ranking, _, rids = make_consultation(method="ranking", eligibility="open")
    response = client.post(
        f"/api/consultations/{ranking.pk}/pairs",
        {"left": rids[0], "right": rids[1], "choice": "left"},
        "application/json",
    )
    assert response.status_code == 409


def test_an_answer_sent_again_with_its_id_is_recorded_once(client):
    """A retry after an error or a lost response must not count the comparison twice."""
    consultation, _, ids = make_consultation(method="pairwise", eligibility="open")
    url = f"/api/consultations/{consultation.pk}"
    pair = client.get(f"{url}/pairs/next").json()
    answer = {"left": pair["left"]["id"], "right": pair["right"]["id"], "choice": "left", "id": pair["request_id"]}
    first = client.post(f"{url}/pairs", answer, "application/json")
    again = client.post(f"{url}/pairs", answer, "application/json")
    assert (first.status_code, first.json()) == (201, {"recorded": True, "duplicate": False})
    assert (again.status_code, again.json()) == (200, {"recorded": True, "duplicate": True})
    assert PairwiseVote.objects.count() == 1
    # The next pair has an id of its own: its answer counts.
    following = client.get(f"{url}/pairs/next").json()
    assert following["request_id"] != pair["request_id"]
    answer = {"left": following["left"]["id"], "right": following["right"]["id"], "choice": "skip"}
    assert client.post(f"{url}/pairs", {**answer, "id": following["request_id"]}, "application/json").status_code == 201
    # Without an id every answer counts, as before.
    assert client.post(f"{url}/pairs", answer, "application/json").status_code == 201
    assert PairwiseVote.objects.count() == 3


def test_another_voter_may_use_the_same_id(client):
    consultation, _, ids = make_consultation(method="pairwise", eligibility="open")
    url = f"/api/consultations/{consultation.pk}/pairs"
    answer = {"left": ids[0], "right": ids[1], "choice": "right", "id": "antwort-1"}
    assert client.post(url, answer, "application/json").status_code == 201
    client.cookies.clear()  # another browser
    assert client.post(url, answer, "application/json").status_code == 201
    assert PairwiseVote.objects.count() == 2


@pytest.mark.parametrize("bad_id", ["", "x" * 65, "leer zeichen", 42, ["a"]])
def test_a_malformed_answer_id_is_refused(client, bad_id):
    consultation, _, ids = make_consultation(method="pairwise", eligibility="open")
    url = f"/api/consultations/{consultation.pk}/pairs"
    response = client.post(url, {"left": ids[0], "right": ids[1], "choice": "left", "id": bad_id}, "application/json")
    assert response.status_code == 400 and "id" in response.json()
    assert PairwiseVote.objects.count() == 0
