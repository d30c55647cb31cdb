"""Who sees which result: the public only what is published, facilitators the live count."""

import pytest

from participation.models import Process
from tests import factories
from tests.voting.helpers import make_consultation

from .published import auth, cast, closed_consultation, published_consultation

pytestmark = pytest.mark.django_db


def test_facilitators_see_the_live_result_and_every_snapshot(client):
    consultation, facilitator, (a, *_), _, snapshot = published_consultation(client)
    body = client.get(f"/api/consultations/{consultation.pk}/results", **auth(facilitator)).json()
    assert body["live"] is True
    assert body["result"]["count"]["schulze"]["winners"] == [a]
    assert body["snapshots"] == [
        {"id": snapshot.pk, "sha256": snapshot.sha256, "published_at": snapshot.published_at.isoformat()}
    ]


def test_a_closed_unpublished_result_is_404_for_the_public_but_live_for_facilitators(client):
    consultation, facilitator, _, voters = closed_consultation(client)
    url = f"/api/consultations/{consultation.pk}/results"
    assert client.get(url).status_code == 404
    assert client.get(url, **auth(voters[0][0])).status_code == 404
    other = factories.make_facilitator(factories.make_process())
    assert client.get(url, **auth(other)).status_code == 404
    body = client.get(url, **auth(facilitator)).json()
    assert body["live"] is True and body["snapshots"] == []


def test_open_consultations_without_interim_results_are_404(client):
    consultation, facilitator, (a, *_) = make_consultation(method="score")
    cast(client, consultation, {"scores": {str(a): 4}})
    assert client.get(f"/api/consultations/{consultation.pk}/results").status_code == 404
    live = client.get(f"/api/consultations/{consultation.pk}/results", **auth(facilitator)).json()
    assert live["result"]["count"]["mean"]["scores"][str(a)] == 4


def test_interim_results_while_open_carry_their_uncertainty(client):
    consultation, _, (a, b, *_) = make_consultation(method="approval", interim_results=True)
    cast(client, consultation, {"approve": [a]})
    cast(client, consultation, {"approve": [a, b]})
    body = client.get(f"/api/consultations/{consultation.pk}/results").json()
    assert body["live"] is True and body["snapshot"] is None
    assert body["result"]["consultation"]["phase"] == "open"
    assert body["result"]["count"]["scores"][str(a)] == 2
    assert str(a) in str(body["result"]["uncertainty"])


def test_results_of_an_unpublished_process_are_404(client):
    consultation, *_ = published_consultation(client)
    Process.objects.filter(pk=consultation.process_id).update(published=False)
    assert client.get(f"/api/consultations/{consultation.pk}/results").status_code == 404
    assert client.get(f"/api/consultations/{consultation.pk}/open-data").status_code == 404
    assert client.get(f"/api/consultations/{consultation.pk}/ballots").status_code == 404
