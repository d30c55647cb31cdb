"""HTTP through the ASGI application, as Daphne serves it (make demo): Django's own ASGI
handler runs the whole middleware chain."""

import json

import pytest
from channels.testing import HttpCommunicator

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)
HOST = [(b"host", b"localhost")]


async def test_a_page_passes_every_middleware():
    response = await HttpCommunicator(application, "GET", "/api/gibt-es-nicht/", headers=HOST).get_response(timeout=10)

    assert response["status"] == 404
    headers = {name.decode().lower(): value.decode() for name, value in response["headers"]}
    # The JSON 404 and the policy come from our outermost middleware, the nosniff header
    # from Django's SecurityMiddleware: the chain ran through.
    assert json.loads(response["body"]) == {"detail": "Nicht gefunden."}
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


async def test_the_health_check_answers_through_asgi():
    response = await HttpCommunicator(application, "GET", "/healthz", headers=HOST).get_response(timeout=10)
    assert response["status"] == 200
    assert json.loads(response["body"]) == {"database": "ok", "channel_layer": "ok"}
