"""What an API client is told when the database connection breaks mid-request: a JSON 503
it may retry, never Django's HTML 500 (the live version: test_db_backends_terminated.py)."""

import pytest
from django.db import InterfaceError, OperationalError

from tests import factories
from tests.voting.helpers import make_consultation, token_header

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_lost_connection_answers_a_retryable_503_and_the_next_request_works(client, monkeypatch, error):
    consultation, _facilitator, ids = make_consultation(method="approval")
    headers = token_header(factories.make_user())
    url = f"/api/consultations/{consultation.pk}/ballot"

    def broken(*args, **kwargs):
        raise error("terminating connection due to administrator command")

    with monkeypatch.context() as patch:
        patch.setattr("voting.actions.cast_ballot", broken)
        response = client.put(url, {"ballot": {"approve": [ids[0]]}}, content_type="application/json", **headers)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "1"
    assert response.json()["retry"] is True and response.json()["detail"]

    again = client.put(url, {"ballot": {"approve": [ids[0]]}}, content_type="application/json", **headers)
    assert again.status_code == 201, again.content
