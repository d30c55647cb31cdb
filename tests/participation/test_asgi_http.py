"""HTTP through the ASGI application, as Daphne serves it: the whole middleware chain
and the view run in the request's own thread, in one hand-over from the event loop."""

import json
import threading

import pytest
from channels.testing import HttpCommunicator

from config.asgi import application, django_asgi_app

pytestmark = pytest.mark.django_db(transaction=True)
HOST = [(b"host", b"localhost")]


async def test_a_page_passes_every_middleware(monkeypatch):
    threads = []
    original = django_asgi_app.get_response

    def recording(request):
        threads.append(threading.get_ident())
        return original(request)

    monkeypatch.setattr(django_asgi_app, "get_response", recording)
    response = await HttpCommunicator(application, "GET", "/api/gibt-es-nicht/", headers=HOST).get_response(timeout=10)

    assert response["status"] == 404
    headers = {name.decode().lower(): value.decode() for name, value in response["headers"]}
    # The JSON 404 and the policy come from our outermost middleware, the nosniff header
    # from Django's SecurityMiddleware: the chain ran through.
    assert json.loads(response["body"]) == {"detail": "Nicht gefunden."}
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert len(threads) == 1 and threads[0] != threading.get_ident()


async def test_the_health_check_answers_through_asgi():
    response = await HttpCommunicator(application, "GET", "/healthz", headers=HOST).get_response(timeout=10)
    assert response["status"] == 200
    assert json.loads(response["body"]) == {"database": "ok", "channel_layer": "ok"}


def test_the_middleware_chain_is_built_for_one_synchronous_call():
    from asgiref.sync import iscoroutinefunction

    assert not iscoroutinefunction(django_asgi_app._middleware_chain)
