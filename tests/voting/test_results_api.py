"""The count behind /results: who may see it, and that it counts what was cast.
The full result (published snapshots, intervals) is tested in tests/results/."""

import pytest

from results.actions import publish
from tests import factories
from voting.actions import close_consultation

from .helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db


def vote(client, consultation, ballot):
    client.force_login(factories.make_user())
    response = client.put(
        f"/api/consultations/{consultation.pk}/ballot", {"ballot": ballot}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    client.logout()


def test_the_facilitator_sees_the_schulze_count_of_the_cast_ballots(client):
    consultation, facilitator, (a, b, c, d) = make_consultation(method="ranking")
    for ballot in (
        {"ranking": [[a], [b], [c]]},
        {"ranking": [[a], [c], [b]]},
        {"ranking": [[b], [a]]},
    ):
        vote(client, consultation, ballot)
    response = client.get(f"/api/consultations/{consultation.pk}/results", **token_header(facilitator))
    assert response.status_code == 200
    body = response.json()
    assert body["live"] is True
    result = body["result"]
    assert (result["turnout"]["voters"], result["turnout"]["ballots"]) == (3, 3)
    assert result["count"]["schulze"]["ranking"][0] == [a]
    assert result["count"]["schulze"]["ranking"][-1] == [d]
    assert set(result["count"]) >= {"schulze", "borda", "copeland", "first_choices"}


def test_results_stay_private_until_published(client):
    consultation, facilitator, ids = make_consultation(method="approval")
    vote(client, consultation, {"approve": [ids[0]]})
    # Unpublished results answer 404, as if they did not exist.
    assert client.get(f"/api/consultations/{consultation.pk}/results").status_code == 404
    close_consultation(facilitator, consultation)
    assert client.get(f"/api/consultations/{consultation.pk}/results").status_code == 404
    publish(facilitator, consultation)
    body = client.get(f"/api/consultations/{consultation.pk}/results").json()
    assert body["live"] is False
    assert body["result"]["count"]["scores"][str(ids[0])] == 1


def test_interim_results_end_with_closing_until_published(client):
    consultation, facilitator, ids = make_consultation(method="approval", interim_results=True)
    vote(client, consultation, {"approve": [ids[0]]})
    assert client.get(f"/api/consultations/{consultation.pk}/results").status_code == 200
    close_consultation(facilitator, consultation)
    assert client.get(f"/api/consultations/{consultation.pk}/results").status_code == 404


def test_interim_results_are_public_while_open_when_allowed(client):
    consultation, _, ids = make_consultation(method="approval", interim_results=True)
    vote(client, consultation, {"approve": [ids[1], ids[2]]})
    vote(client, consultation, {"approve": [ids[1]]})
    body = client.get(f"/api/consultations/{consultation.pk}/results").json()
    assert body["live"] is True
    assert body["result"]["count"]["scores"][str(ids[1])] == 2
    assert body["result"]["count"]["ranking"][0] == [ids[1]]


def test_pairwise_votes_are_scored_as_chance_to_win(client):
    consultation, facilitator, (a, b, c, d) = make_consultation(method="pairwise", eligibility="open")
    url = f"/api/consultations/{consultation.pk}/pairs"
    for left, right, choice in [(a, b, "left"), (a, c, "left"), (b, c, "left"), (c, d, "skip"), (a, d, "left")]:
        assert client.post(url, {"left": left, "right": right, "choice": choice}, "application/json").status_code == 201
    result = client.get(f"/api/consultations/{consultation.pk}/results", **token_header(facilitator)).json()["result"]
    scores = result["count"]["scores"]
    assert result["count"]["ranking"][0] == [a]
    assert all(0 <= value <= 100 for value in scores.values())
    assert result["turnout"]["ballots"] == 4  # the skip is no comparison
