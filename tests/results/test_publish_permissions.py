"""Only facilitators of the process publish, and only closed consultations."""

import pytest

from results.models import ResultSnapshot
from tests import factories
from tests.voting.helpers import make_consultation
from voting.models import Consultation

from .published import auth, cast, closed_consultation

pytestmark = pytest.mark.django_db


def test_an_open_consultation_is_not_published(client):
    consultation, facilitator, (a, *_) = make_consultation(method="approval")
    cast(client, consultation, {"approve": [a]})
    response = client.post(f"/api/consultations/{consultation.pk}/publish", **auth(facilitator))
    assert response.status_code == 409
    assert "beendete" in response.json()["detail"]
    assert not ResultSnapshot.objects.exists()


def test_a_draft_is_not_published(client):
    consultation, facilitator, _ = make_consultation(method="approval", open_now=False)
    assert client.post(f"/api/consultations/{consultation.pk}/publish", **auth(facilitator)).status_code == 409


def test_a_consultation_past_its_closing_time_is_published(client):
    consultation, facilitator, (a, *_) = make_consultation(method="approval")
    cast(client, consultation, {"approve": [a]})
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at="2020-01-01T08:00:00Z", closes_at="2020-01-02T08:00:00Z"
    )
    assert client.post(f"/api/consultations/{consultation.pk}/publish", **auth(facilitator)).status_code == 201


def test_anonymous_visitors_citizens_and_other_facilitators_cannot_publish(client):
    consultation, _, _, voters = closed_consultation(client)
    url = f"/api/consultations/{consultation.pk}/publish"
    assert client.post(url).status_code == 401
    assert client.post(url, **auth(voters[0][0])).status_code == 403
    other = factories.make_facilitator(factories.make_process())
    assert client.post(url, **auth(other)).status_code == 403
    assert not ResultSnapshot.objects.exists()
