"""Which pages may open a workshop socket: the site's own, compared in scheme, host and port.

Before, only the host name was compared with ALLOWED_HOSTS, so a page served from
``http://localhost:9999`` (any local program) could open sockets to the site on
``127.0.0.1:8000`` with the visitor's session. Now the ``Origin`` must be the socket's own
origin (its Host, if ALLOWED_HOSTS allows it, with its scheme), SITE_URL's, or one of
CSRF_TRUSTED_ORIGINS; anything else is refused at the handshake (HTTP 403).
"""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from workshops.auth import origin_allowed
from workshops.tickets import issue_ticket

from ..workshops.wsutil import add_participant, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "beteiligung.example.org"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.CSRF_TRUSTED_ORIGINS = []
    return settings


async def open_socket(host, origin, extra=()):
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ticket = await database_sync_to_async(issue_ticket)(anna)
    headers = [(b"host", host.encode())] + ([(b"origin", origin.encode())] if origin is not None else [])
    communicator = WebsocketCommunicator(
        application, f"/ws/workshops/{workshop.code}/?ticket={ticket}", headers=headers + list(extra)
    )
    connected, _ = await communicator.connect(timeout=5)
    if connected:
        assert (await communicator.receive_json_from(timeout=5))["type"] == "snapshot"
        await communicator.disconnect()
    return connected


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),  # the page this server served
        ("localhost", "http://localhost"),
        ("localhost:80", "http://LOCALHOST"),  # default port written or not, any case
        ("[::1]:8000", "http://[::1]:8000"),
        ("127.0.0.1:8001", "http://127.0.0.1:8000"),  # SITE_URL (e.g. a proxy that rewrites Host)
    ],
)
async def test_the_sites_own_pages_may_open_a_socket(site, host, origin):
    assert await open_socket(host, origin)


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("127.0.0.1:8000", "http://localhost:9999"),  # another program on this machine
        ("127.0.0.1:8001", "http://127.0.0.1:8002"),  # same host, other port
        ("127.0.0.1:8000", "https://127.0.0.1:8000"),  # same host and port, other scheme
        ("localhost:8000", "http://localhost"),  # port 80 is not 8000
        ("127.0.0.1:8000", "http://evil.example"),
        ("evil.example", "http://evil.example"),  # a Host not in ALLOWED_HOSTS (DNS rebinding)
        ("127.0.0.1:8000", "null"),  # a sandboxed frame or a file:// page
        ("127.0.0.1:8000", None),  # no Origin at all
        ("127.0.0.1:8000", "http://127.0.0.1:8000/workshop/"),
        ("127.0.0.1:8000", "http://127.0.0.1:80000"),
        ("127.0.0.1:8000", "ws://127.0.0.1:8000"),
        ("127.0.0.1:8000", "http://user@127.0.0.1:8000"),
    ],
)
async def test_pages_of_other_origins_are_refused(site, host, origin):
    assert not await open_socket(host, origin)


async def test_a_production_site_behind_a_tls_proxy(site):
    # README's production start: Daphne behind a proxy that sets X-Forwarded-Proto.
    site.SITE_URL = "https://beteiligung.example.org"
    site.CSRF_TRUSTED_ORIGINS = ["https://beteiligung.example.org", "https://*.stadt.example"]
    site.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = [(b"x-forwarded-proto", b"https")]
    assert await open_socket("beteiligung.example.org", "https://beteiligung.example.org", proxied)
    assert await open_socket("127.0.0.1:8001", "https://beteiligung.example.org")  # Host rewritten by the proxy
    assert await open_socket("127.0.0.1:8001", "https://mitmachen.stadt.example")
    assert not await open_socket("127.0.0.1:8001", "http://beteiligung.example.org")
    assert not await open_socket("127.0.0.1:8001", "https://beteiligung.example.org:8443")
    assert not await open_socket("127.0.0.1:8001", "https://stadt.example.evil.example")
    assert not await open_socket("127.0.0.1:8001", "http://mitmachen.stadt.example")


def scope(scheme, host, origin, *headers):
    return {"type": "websocket", "scheme": scheme, "headers": [(b"host", host), (b"origin", origin), *headers]}


def test_the_sockets_own_scheme_counts(site):
    assert origin_allowed(scope("wss", b"localhost", b"https://localhost"))
    assert not origin_allowed(scope("wss", b"localhost", b"http://localhost"))
    assert not origin_allowed(scope("ws", b"localhost", b"https://localhost"))
    # A proxy's X-Forwarded-Proto only counts where Django trusts it too (SECURE_PROXY_SSL_HEADER).
    forwarded = (b"x-forwarded-proto", b"https")
    assert not origin_allowed(scope("ws", b"localhost", b"https://localhost", forwarded))
    site.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert origin_allowed(scope("ws", b"localhost", b"https://localhost", forwarded))
    assert not origin_allowed(scope("ws", b"localhost", b"http://localhost", forwarded))
